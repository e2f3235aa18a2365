// Nothing a hand-written file holds makes `check` throw anything but a ReadError: whatever the
// decoders accept, the rules judge without a TypeError. Random shapes, in the places the rules read.
import fc from 'fast-check';
import { ReadError } from '../../src/decode/files';
import { decodeKubernetesFile } from '../../src/decode/kubernetes';
import { ALL_RULES, runRules } from '../../src/rules';

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined));
const container = fc.record({
  name: anyValue, image: anyValue, command: anyValue, args: anyValue, env: anyValue, ports: anyValue,
  volumeMounts: anyValue, securityContext: anyValue,
}, { requiredKeys: [] });
const podSpec = fc.record({
  containers: fc.oneof(fc.array(fc.oneof(container, anyValue), { maxLength: 3 }), anyValue),
  initContainers: fc.oneof(fc.array(container, { maxLength: 2 }), anyValue),
  volumes: fc.oneof(fc.array(fc.record({ name: anyValue, projected: anyValue, hostPath: anyValue }, { requiredKeys: [] }), { maxLength: 2 }), anyValue),
  securityContext: anyValue, hostNetwork: anyValue, serviceAccountName: anyValue, automountServiceAccountToken: anyValue,
}, { requiredKeys: [] });
const manifest = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'apps.openshift.io/v1'),
  kind: fc.constantFrom('Pod', 'Deployment', 'Job', 'CronJob', 'DeploymentConfig', 'ServiceAccount'),
  metadata: fc.oneof(fc.record({ name: anyValue, namespace: anyValue, annotations: anyValue }, { requiredKeys: [] }), anyValue),
  spec: fc.oneof(podSpec, fc.record({ template: fc.record({ spec: podSpec }, { requiredKeys: [] }) }),
    fc.record({ jobTemplate: fc.record({ spec: fc.record({ template: fc.record({ spec: podSpec }) }) }) }), anyValue),
}, { requiredKeys: ['apiVersion', 'kind'] });

describe('robustness on random input', () => {
  test('a manifest is either refused with a ReadError or judged without throwing', () => {
    let judged = 0;
    fc.assert(fc.property(manifest, (m) => {
      // GIVEN a random manifest, written as a JSON file
      let documents;
      try {
        documents = decodeKubernetesFile('m.json', Buffer.from(JSON.stringify(m)));
      } catch (e) {
        // WHEN it is refused THEN only as a ReadError
        if (!(e instanceof ReadError)) throw e;
        return;
      }
      // WHEN it is accepted THEN every rule judges it without throwing
      runRules({ kubernetes: documents, terraform: [] }, ALL_RULES);
      judged += documents.length;
    }), { numRuns: 400, seed: 42 });
    // (and the generator reaches the rules often, not only the refusals)
    expect(judged).toBeGreaterThan(40);
  });

  test('a Terraform policy or claim rule of any shape is judged without throwing', () => {
    const body = fc.dictionary(fc.constantFrom('roles', 'account_management', 'resources', 'resource_attributes', 'type', 'cr_type', 'conditions', '//', 'iam_id'), anyValue);
    fc.assert(fc.property(body, body, fc.oneof(anyValue, fc.dictionary(fc.string(), anyValue)), (policy, claim, locals) => {
      // GIVEN a policy and a claim rule with random bodies, and random locals
      const config = { resource: { ibm_iam_trusted_profile_policy: { p: policy }, ibm_iam_trusted_profile_claim_rule: { c: claim } }, locals };
      // WHEN every rule runs
      // THEN none throws
      runRules({ terraform: [{ file: 'cdk.tf.json', config }] }, ALL_RULES);
    }), { numRuns: 400, seed: 42 });
  });
});
