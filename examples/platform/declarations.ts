// Reads the platform repo's declarations file: identities.yaml (or a .json file), one entry per
// workload identity, each with the identity's fields and a `workload` block for the Kubernetes
// side. Every problem in the file is reported at once, naming the file, the entry and the field.
import * as fs from 'fs';
import * as path from 'path';
import { ClusterKind, declarationsFromData, ExtraKeyProblem, IdentityDeclaration, WorkloadIdentity } from 'iks-workload-identity';
import * as YAML from 'yaml';

/** What the Kubernetes side runs for an identity: the `workload` block of an entry. */
export interface Workload {
  /** The app's container image, pinned by tag or digest. */
  readonly image: string;
  /** @default 1 */
  readonly replicas?: number;
  /** The container port. @default - none */
  readonly port?: number;
  /** Which kind of cluster the token-fetch Job targets; required when the identity's clusters mix IKS and ROKS. */
  readonly clusterKind?: ClusterKind;
}

/** One declared identity and its workload. */
export interface PlatformIdentity {
  readonly identity: WorkloadIdentity;
  readonly workload: Workload;
}

/** The declarations file the examples read unless told otherwise (argv or PLATFORM_IDENTITIES). */
export function defaultDeclarationsFile(): string {
  // Beside this file when run from source; from build/examples/platform, in examples/platform.
  const candidates = [path.join(__dirname, 'identities.yaml'), path.resolve(__dirname, '..', '..', '..', 'examples', 'platform', 'identities.yaml')];
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
}

/** Reads, parses and validates a declarations file; throws one error listing every problem. */
export function loadDeclarations(file: string): PlatformIdentity[] {
  const shown = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  const text = fs.readFileSync(file, 'utf8');
  let data: unknown;
  try {
    // Anchors (`&clusters`, `*clusters`) keep a file of many identities short, so aliases are
    // expected; the bound stops an alias bomb (aliases of aliases) before it expands.
    data = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { merge: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new Error(`${shown}${positionOf(e)}: ${readError(e)}`);
  }
  return platformIdentitiesFromData(data, shown);
}

/**
 * Alias uses the YAML reader expands, counting the aliases inside an aliased node (the `yaml`
 * package's `maxAliasCount`): ten times the 2,000 trusted profiles an account may hold, each
 * entry using an anchor or two.
 */
export const MAX_ALIAS_COUNT = 20_000;

function positionOf(e: unknown): string {
  const pos = (e as YAML.YAMLParseError).linePos?.[0];
  return pos ? `:${pos.line}:${pos.col}` : '';
}

/** The reader's error in a line that says what to do. */
function readError(e: unknown): string {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (/Excessive alias count/.test(message)) {
    return `the YAML aliases expand to more than ${MAX_ALIAS_COUNT.toLocaleString('en-US')} alias uses (aliases inside aliased nodes multiply); a declarations file needs far fewer: use anchors for leaves such as the cluster list, not for nodes that hold other aliases`;
  }
  if (e instanceof RangeError || /Maximum call stack size exceeded/.test(message)) {
    return 'the file nests too deeply to read (a declarations file needs about 7 levels); flatten it';
  }
  return message;
}

/** Validates parsed declarations (`{ identities: [...] }`); `source` names them in messages. */
export function platformIdentitiesFromData(data: unknown, source: string): PlatformIdentity[] {
  return declarationsFromData(data, source, { extraKeys: { workload: checkWorkload } })
    .map((d: IdentityDeclaration) => ({ identity: d.identity, workload: d.extra.workload as Workload }));
}

const WORKLOAD_KEYS = ['image', 'replicas', 'port', 'clusterKind'];

function checkWorkload(value: unknown, entry: Readonly<Record<string, unknown>>): ExtraKeyProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ field: '', value, message: 'workload is an object { image, replicas?, port?, clusterKind? }' }];
  }
  const w = value as Record<string, unknown>;
  const problems: ExtraKeyProblem[] = Object.keys(w).filter((k) => !WORKLOAD_KEYS.includes(k))
    .map((k) => ({ field: k, value: w[k], message: `unknown key; workload has ${WORKLOAD_KEYS.join(', ')}` }));
  const image = w.image;
  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    problems.push({ field: 'image', value: image, message: 'the image is a reference such as "icr.io/payments/payments-api:1.4.2"' });
  } else if (!/[:@]/.test(image.split('/').pop()!) || image.endsWith(':latest')) {
    problems.push({ field: 'image', value: image, message: 'pin the image by tag or digest (not "latest"), so every rollout runs what was reviewed' });
  }
  const whole = (key: string, min: number, max: number) => {
    const v = w[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
      problems.push({ field: key, value: v, message: `${key} is a whole number from ${min} to ${max}` });
    }
  };
  whole('replicas', 1, 100);
  whole('port', 1, 65535);
  const kinds = new Set(Array.isArray(entry.clusters) ? entry.clusters.map((c) => (c as { kind?: unknown })?.kind) : []);
  if (w.clusterKind !== undefined && w.clusterKind !== ClusterKind.IKS && w.clusterKind !== ClusterKind.ROKS) {
    problems.push({ field: 'clusterKind', value: w.clusterKind, message: 'clusterKind is "IKS" or "ROKS"' });
  } else if (w.clusterKind === undefined && kinds.size > 1) {
    problems.push({ field: 'clusterKind', value: undefined, message: 'the identity runs on IKS and ROKS clusters, whose Pod Security differs; set the kind this namespace\'s manifests are applied to' });
  }
  return problems;
}
