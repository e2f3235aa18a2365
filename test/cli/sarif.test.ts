// `check --format sarif`, validated against the official SARIF 2.1.0 JSON schema (OASIS
// sarif-2.1.0-rtm.5, as shipped in @microsoft/jest-sarif; draft-04, hence ajv-draft-04).
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as sarif from 'sarif';
import { ALL_RULES } from '../../src/rules';
import { check, scratch } from './check-support';

jest.setTimeout(60_000);

const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The schema's `language` pattern has a stray `]`, legal only without the `u` flag: compile
// patterns as JSON Schema draft-04 validators of its time did.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const JOB = JSON.stringify({
  apiVersion: 'batch/v1', kind: 'Job',
  metadata: { name: 'token-fetch', namespace: 'payments', annotations: { 'iks-workload-identity/acknowledge.IWI-K2': 'lab cluster with a patched IAM' } },
  spec: { template: { spec: { serviceAccountName: 'payments-api', restartPolicy: 'Never', containers: [{
    name: 'fetch', image: 'curlimages/curl:8.11.1', command: ['/bin/sh', '-c', 'curl -d cr_token=$(cat /var/run/secrets/tokens/sa-token) https://iam.cloud.ibm.com/identity/token'],
    volumeMounts: [{ name: 'sa-token', mountPath: '/var/run/secrets/tokens' }] }],
  volumes: [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { path: 'sa-token', expirationSeconds: 7200 } }] } }] } } },
});
const STACK = JSON.stringify({ resource: {
  ibm_iam_trusted_profile: { p: { name: 'payments-api' } },
  ibm_iam_trusted_profile_policy: { admin: { iam_id: '${ibm_iam_trusted_profile.p.iam_id}', roles: ['Administrator'], resources: { service: 'kms' } } },
} });

function sarifOf(dir: string): { log: sarif.Log; status: number | null } {
  const r = check(['check', '--k8s', 'k8s', '--terraform', 'tf', '--format', 'sarif'], dir);
  return { log: JSON.parse(r.stdout), status: r.status };
}

describe('check --format sarif', () => {
  test('is valid SARIF 2.1.0 by the official schema', () => {
    // GIVEN a broken Job (one finding acknowledged) and a broad policy
    const dir = scratch({ 'k8s/jobs/job.json': JOB, 'tf/stacks/p/cdk.tf.json': STACK });
    // WHEN checked as SARIF
    const { log, status } = sarifOf(dir);
    // THEN the log validates, and the exit status still reflects the open errors
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(status).toBe(1);
  });

  test('the schema check can fail: a log with a wrong level or no version is rejected', () => {
    // GIVEN a valid log, then two broken copies of it
    const dir = scratch({ 'k8s/job.json': JOB, 'tf/cdk.tf.json': STACK });
    const { log } = sarifOf(dir);
    const badLevel = JSON.parse(JSON.stringify(log));
    badLevel.runs[0].results[0].level = 'fatal';
    const noVersion: any = { ...log };
    delete noVersion.version;
    // WHEN validated
    // THEN both are rejected
    expect(validate(badLevel)).toBe(false);
    expect(validate(noVersion)).toBe(false);
  });

  test('declares every rule with its title, explanation, fix as help, and level', () => {
    // GIVEN any check
    const dir = scratch({ 'k8s/job.json': JOB, 'tf/cdk.tf.json': STACK });
    // WHEN checked as SARIF
    const { log } = sarifOf(dir);
    // THEN tool.driver.rules lists all rules, in order
    const rules = log.runs[0].tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    for (const [i, r] of ALL_RULES.entries()) {
      expect(rules[i].shortDescription?.text).toBe(r.title);
      expect(rules[i].help?.text).toContain(r.fix);
      expect(rules[i].defaultConfiguration?.level).toBe(r.severity);
    }
  });

  test('gives one result per finding, with the file relative to the working directory and the object', () => {
    // GIVEN the Job alone in k8s/jobs/job.json and the stack
    const dir = scratch({ 'k8s/jobs/job.json': JOB, 'tf/stacks/p/cdk.tf.json': STACK });
    // WHEN checked as SARIF, and as JSON for comparison
    const { log } = sarifOf(dir);
    const json = JSON.parse(check(['check', '--k8s', 'k8s', '--terraform', 'tf', '--format', 'json'], dir).stdout);
    // THEN as many results as findings, each pointing at its file and object
    const results = log.runs[0].results ?? [];
    expect(results).toHaveLength(json.findings.length);
    const k4 = results.find((r) => r.ruleId === 'IWI-K4')!;
    expect(k4.level).toBe('error');
    expect(k4.locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri: 'k8s/jobs/job.json', uriBaseId: 'SRCROOT' });
    expect(k4.locations?.[0].logicalLocations?.[0]).toEqual(expect.objectContaining({
      name: 'token-fetch', fullyQualifiedName: 'Job payments/token-fetch', properties: { kind: 'Job', namespace: 'payments' },
    }));
    const p1 = results.find((r) => r.ruleId === 'IWI-P1')!;
    expect(p1.locations?.[0].physicalLocation?.artifactLocation?.uri).toBe('tf/stacks/p/cdk.tf.json');
    expect(p1.locations?.[0].logicalLocations?.[0]).toEqual(expect.objectContaining({ name: 'admin', fullyQualifiedName: 'ibm_iam_trusted_profile_policy.admin' }));
    expect(log.runs[0].tool.driver.rules![k4.ruleIndex!].id).toBe('IWI-K4');
  });

  test('keeps acknowledged findings as in-source suppressions with the reason', () => {
    // GIVEN the Job acknowledging IWI-K2
    const dir = scratch({ 'k8s/job.json': JOB, 'tf/cdk.tf.json': STACK });
    // WHEN checked as SARIF
    const { log } = sarifOf(dir);
    // THEN the IWI-K2 result is there, suppressed in source with the justification
    const k2 = (log.runs[0].results ?? []).filter((r) => r.ruleId === 'IWI-K2');
    expect(k2).toHaveLength(1);
    expect(k2[0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'lab cluster with a patched IAM' }]);
    expect((log.runs[0].results ?? []).filter((r) => r.ruleId !== 'IWI-K2').every((r) => r.suppressions === undefined)).toBe(true);
  });

  test('points at files outside the working directory with a file URI', () => {
    // GIVEN outputs in another folder than the working directory
    const dir = scratch({ 'k8s/job.json': JOB, 'tf/cdk.tf.json': STACK });
    const elsewhere = scratch();
    // WHEN checked from there with absolute paths
    const r = check(['check', '--k8s', path.join(dir, 'k8s'), '--terraform', path.join(dir, 'tf'), '--format', 'sarif'], elsewhere);
    const log: sarif.Log = JSON.parse(r.stdout);
    // THEN the artifact URIs are absolute file URIs, still valid SARIF
    expect(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation?.uri).toMatch(/^file:\/\//);
    expect(validate(log)).toBe(true);
  });

  test('reports findings left out by the per-object cap as a notification', () => {
    // GIVEN a Pod with 30 privileged containers
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'many', namespace: 'payments' },
      spec: { containers: Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, image: 'x', securityContext: { privileged: true } })) } };
    const dir = scratch({ 'k8s/pod.json': JSON.stringify(manifest) });
    // WHEN checked as SARIF with a cap of 3
    const r = check(['check', '--k8s', 'k8s', '--no-terraform', '--format', 'sarif', '--max-findings-per-object', '3'], dir);
    const log: sarif.Log = JSON.parse(r.stdout);
    // THEN 3 results and a notification counting the rest; still valid
    expect(log.runs[0].results).toHaveLength(3);
    expect(log.runs[0].invocations?.[0].toolExecutionNotifications?.[0].message.text).toMatch(/^\d+ more finding\(s\) on Pod payments\/many not shown/);
    expect(validate(log)).toBe(true);
  });

  test('gives the line where each YAML object starts as the region, List items included', () => {
    // GIVEN a YAML file: a ServiceAccount, then a List whose second item is a privileged Pod
    const text = [
      'apiVersion: v1', 'kind: ServiceAccount', 'metadata: { name: sa, namespace: payments }', '---',
      'apiVersion: v1', 'kind: List', 'items:',
      '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c } }',
      '  - apiVersion: v1', '    kind: Pod', '    metadata: { name: priv, namespace: payments }',
      '    spec: { containers: [{ name: c, image: x, securityContext: { privileged: true } }] }', '',
    ].join('\n');
    const dir = scratch({ 'k8s/all.yaml': text });
    // WHEN checked as SARIF
    const r = check(['check', '--k8s', 'k8s', '--no-terraform', '--format', 'sarif'], dir);
    const log: sarif.Log = JSON.parse(r.stdout);
    // THEN the Pod's findings point at line 9, where the item starts
    const pod = (log.runs[0].results ?? []).filter((x) => x.locations?.[0].logicalLocations?.[0].name === 'priv');
    expect(pod.length).toBeGreaterThan(0);
    expect(pod.every((x) => x.locations?.[0].physicalLocation?.region?.startLine === 9)).toBe(true);
    expect(validate(log)).toBe(true);
  });
});
