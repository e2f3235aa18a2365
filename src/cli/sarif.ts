// `check --format sarif`: SARIF 2.1.0, which GitHub code scanning and other CI tools show on a
// pull request. Every rule is declared with its fix as help text (as kube-linter's
// pkg/command/lint/sarif_format.go does); each finding is one result with the file and the
// object (kind, namespace, name, or the Terraform address) as locations; acknowledged findings
// stay in, suppressed in source with the reason as justification.
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as sarif from 'sarif';
import { Finding, Rule } from '../rules/types';

export interface SarifInput {
  readonly rules: readonly Rule[];
  readonly findings: readonly Finding[];
  /** Findings not shown, per object, by the per-object cap. */
  readonly omitted: readonly { readonly object: string; readonly file: string; readonly count: number }[];
  readonly version: string;
  /** Artifact URIs are relative to this folder (the working directory). */
  readonly root: string;
  /** The line where each object starts, by `<file>\0<object>`, when known. */
  readonly lines?: ReadonlyMap<string, number>;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(input: SarifInput): sarif.Log {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const results: sarif.Result[] = input.findings.map((f) => ({
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
    level: f.severity === 'error' ? 'error' : 'warning',
    message: { text: `${f.object}: ${f.message}` },
    locations: [{ physicalLocation: physicalLocation(f.file, input.root, input.lines?.get(`${f.file}\0${f.object}`)), logicalLocations: logicalLocations(f.object) }],
    partialFingerprints: { 'iksWorkloadIdentity/v1': createHash('sha256').update(`${f.ruleId}\0${f.object}\0${f.message}`).digest('hex').slice(0, 32) },
    ...(f.acknowledged !== undefined ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.acknowledged }] } : {}),
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'iks-workload-identity',
          semanticVersion: input.version,
          rules: input.rules.map((r) => ({
            id: r.id,
            name: r.id.replace(/-/g, ''),
            shortDescription: { text: r.title },
            fullDescription: { text: r.explanation },
            help: { text: `Fix: ${r.fix}` },
            defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
            properties: { tags: ['security', r.target.side] },
          })),
        },
      },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(`${path.resolve(input.root)}${path.sep}`).href } },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: input.omitted.map((o) => ({
          level: 'note',
          message: { text: `${o.count} more finding(s) on ${o.object} not shown (raise --max-findings-per-object to see them)` },
          locations: [{ physicalLocation: { artifactLocation: artifact(o.file, input.root) } }],
        })),
      }],
      results,
    }],
  };
}

function physicalLocation(file: string, root: string, line: number | undefined): sarif.PhysicalLocation {
  return { artifactLocation: artifact(file, root), ...(line !== undefined ? { region: { startLine: line } } : {}) };
}

/** A file relative to the root (forward slashes), or a file URI when it lies outside. */
function artifact(file: string, root: string): sarif.ArtifactLocation {
  const relative = path.relative(path.resolve(root), path.resolve(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

/**
 * `Kind namespace/name` (Kubernetes) or `type.name` (Terraform) as SARIF logical locations:
 * the object, inside its namespace when it has one.
 */
function logicalLocations(object: string): sarif.LogicalLocation[] {
  const k8s = /^(\S+) (?:([^/\s]+)\/)?(.+)$/.exec(object);
  if (k8s) {
    const [, kind, namespace, name] = k8s;
    return [{
      name, kind: 'resource', fullyQualifiedName: object,
      properties: { kind, ...(namespace !== undefined ? { namespace } : {}) },
    }];
  }
  const dot = object.indexOf('.');
  return [{
    name: dot < 0 ? object : object.slice(dot + 1), kind: 'resource', fullyQualifiedName: object,
    properties: { terraformType: dot < 0 ? object : object.slice(0, dot) },
  }];
}
