// Hand-written manifests can hold any shape: `containers` as an object, `ports` as a string,
// `securityContext` as a list, null anywhere, an object whose `toString` is not a function.
// Neither the exported Pod Security checker nor any rule may throw on them.
import * as fc from 'fast-check';
import { ALL_RULES, runRules } from '../../src/rules';
import { checkPodSecurityRestricted, formatPodSecurityViolation } from '../../src/k8s';

const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodTemplate', 'DeploymentConfig', 'toString', '__proto__', 'constructor'];

/** Any JSON value, including ones that break naive string conversion. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
  fc.constant({ toString: 1, valueOf: 'x' }),
  fc.constant([]),
);
/** `shape`, or any JSON value in its place. */
const maybe = <T>(shape: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: shape as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyJson });
const some = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => maybe(fc.record(fields, { requiredKeys: [] }));

const securityContext = some({
  runAsNonRoot: anyJson, runAsUser: anyJson, privileged: anyJson, allowPrivilegeEscalation: anyJson, procMount: anyJson,
  capabilities: some({ drop: maybe(fc.array(anyJson)), add: maybe(fc.array(anyJson)) }),
  seccompProfile: some({ type: anyJson }), seLinuxOptions: some({ type: anyJson, user: anyJson }),
  windowsOptions: some({ hostProcess: anyJson }), appArmorProfile: some({ type: anyJson }), sysctls: maybe(fc.array(some({ name: anyJson }))),
});
const container = some({
  name: anyJson, image: anyJson, securityContext, ports: maybe(fc.array(some({ hostPort: anyJson }))),
  env: maybe(fc.array(some({ name: maybe(fc.constantFrom('IBMCLOUD_CR_TOKEN', 'IBMCLOUD_CR_PROFILE', 'X_AUTH_TYPE', 'X_CR_TOKEN_FILENAME')), value: anyJson, valueFrom: anyJson }))),
  volumeMounts: maybe(fc.array(some({ name: anyJson, mountPath: anyJson, subPath: anyJson, subPathExpr: anyJson }))),
  command: maybe(fc.array(maybe(fc.constantFrom('sh', '-c', 'cat /var/run/secrets/tokens/sa-token', 'eval "$X"', '$(X)')))),
  args: maybe(fc.array(anyJson)), workingDir: anyJson, livenessProbe: some({ httpGet: some({ host: anyJson }) }), lifecycle: anyJson,
});
const podSpec = some({
  serviceAccountName: anyJson, hostNetwork: anyJson, securityContext,
  containers: maybe(fc.array(container, { maxLength: 3 })), initContainers: maybe(fc.array(container, { maxLength: 2 })),
  volumes: maybe(fc.array(some({ name: anyJson, hostPath: anyJson, projected: some({ sources: maybe(fc.array(some({ serviceAccountToken: some({ path: anyJson, audience: anyJson, expirationSeconds: anyJson }) }))) }) }))),
});
const template = some({ metadata: some({ annotations: maybe(fc.dictionary(fc.string(), anyJson)) }), spec: podSpec });
const manifest = some({
  apiVersion: maybe(fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'apps.openshift.io/v1')),
  kind: maybe(fc.constantFrom(...KINDS)),
  metadata: some({ name: anyJson, namespace: anyJson, annotations: maybe(fc.dictionary(fc.string(), anyJson)) }),
  spec: fc.oneof(podSpec, some({ template }), some({ jobTemplate: some({ spec: some({ template }) }) })),
  template,
});

describe('malformed manifests', () => {
  test('checkPodSecurityRestricted never throws and returns formattable violations', () => {
    fc.assert(fc.property(fc.oneof(manifest, anyJson, fc.array(manifest, { maxLength: 3 })), (input) => {
      // GIVEN any shape WHEN it is checked THEN a list comes back, each entry formattable
      const violations = checkPodSecurityRestricted(input);
      expect(Array.isArray(violations)).toBe(true);
      for (const v of violations) expect(typeof formatPodSecurityViolation(v)).toBe('string');
    }), { numRuns: 400 });
  });

  test('no rule throws on them, with or without a Terraform side', () => {
    fc.assert(fc.property(fc.array(manifest, { maxLength: 3 }), fc.boolean(), (manifests, withTerraform) => {
      // GIVEN any manifests, and a stack defining the profile or none
      const documents = {
        kubernetes: manifests.map((m) => ({ file: 'k.yaml', manifest: m })),
        ...(withTerraform ? { terraform: [{ file: 'cdk.tf.json', config: { resource: { ibm_iam_trusted_profile: { p: { name: 'x' } } } } }] } : {}),
      };
      // WHEN every rule runs THEN a report comes back
      expect(Array.isArray(runRules(documents, ALL_RULES).findings)).toBe(true);
    }), { numRuns: 300 });
  });

  test.each([
    ['containers as an object', { containers: { name: 'app' }, initContainers: [{ name: 'init' }] }],
    ['ports as a string', { containers: [{ name: 'app', ports: '8080' }] }],
    ['securityContext as a list', { securityContext: [], containers: [{ name: 'app', securityContext: ['privileged'] }] }],
    ['null everywhere', { securityContext: null, containers: [null, { name: null, securityContext: { capabilities: null, seccompProfile: null } }], volumes: [null] }],
    ['a name whose toString is not a function', { containers: [{ name: { toString: 1 }, ports: [{ hostPort: { toString: 1 } }] }], volumes: [{ name: { toString: 1 }, hostPath: {} }] }],
  ])('the issue\'s shape: %s, is judged without a throw', (_label, spec) => {
    // GIVEN a Deployment with that pod spec
    const m = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } };
    // WHEN it is checked and every rule runs
    // THEN both return, and the missing settings are still reported
    expect(checkPodSecurityRestricted(m).map((v) => v.check)).toContain('runAsNonRoot');
    expect(() => runRules({ kubernetes: [{ file: 'k.yaml', manifest: m }] })).not.toThrow();
  });
});
