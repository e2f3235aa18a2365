// Every name derived from an identity comes from src/model/derived-names.ts and is checked when
// the identity is constructed. Kubernetes labels a Job's pods with the Job's name (`job-name`),
// and a label value has at most 63 characters (kubernetes/kubernetes, staging/src/k8s.io/
// apimachinery/pkg/util/validation/validation.go: LabelValueMaxLength = 63, IsValidLabelValue).
// Terraform block labels and output names are identifiers: a letter or "_", then letters, digits,
// "_" and "-" (hashicorp/hcl, hclsyntax/spec.md, "Identifiers", ASCII subset).
import {
  ClusterKind,
  defaultKubernetesObjects,
  isLabelValue,
  MAX_IDENTITY_NAME_LENGTH,
  TerraformIds,
  terraformOutputName,
  tokenFetchJobName,
  TrustMode,
  WorkloadIdentity,
} from '../../src';
import { captureError, IKS_CRN, propsWith } from './fixtures';

describe('the names both sides use', () => {
  test('the longest identity name leaves the token-fetch Job a 63-character label', () => {
    // GIVEN the longest identity name the model allows
    const name = 'a'.repeat(MAX_IDENTITY_NAME_LENGTH);
    // WHEN the Job name is derived
    const job = tokenFetchJobName(name);
    // THEN it is exactly 63 characters, a valid label value
    expect(MAX_IDENTITY_NAME_LENGTH).toBe(51);
    expect(job).toHaveLength(63);
    expect(isLabelValue(job)).toBe(true);
  });

  test.each([
    ['payments-api', 'payments_api_profile_id'],
    ['1api', '_1api_profile_id'],
    ['a', 'a_profile_id'],
  ])('the Terraform output of %s is the identifier %s', (name, output) => {
    // GIVEN an identity name (a DNS-1123 label, which may start with a digit)
    // WHEN its output name is derived THEN it is a Terraform identifier
    expect(terraformOutputName(name, 'profile_id')).toBe(output);
  });

  test('the default objects of a trusted service account are its ServiceAccount, the Deployment and the Job in its namespace', () => {
    // GIVEN identity "payments-api" trusting payments/runner
    // WHEN its default objects are listed
    // THEN they are keyed by kind, namespace and name
    expect(defaultKubernetesObjects('payments-api', { namespace: 'payments', name: 'runner' })).toEqual([
      { kind: 'ServiceAccount', namespace: 'payments', name: 'runner' },
      { kind: 'Deployment', namespace: 'payments', name: 'payments-api' },
      { kind: 'Job', namespace: 'payments', name: 'payments-api-token-fetch' },
    ]);
  });

  test('claim rules are keyed by the model\'s claim-rule key', () => {
    // GIVEN an identity trusted by claim rule
    const identity = new WorkloadIdentity(propsWith({ trust: TrustMode.CLAIM_RULE }));
    // WHEN its claim rules are listed
    // THEN the key is the one the Terraform side names the resource by
    expect(identity.claimRules.map((r) => r.key)).toEqual([TerraformIds.claimRuleKey('IKS_SA', 'payments-api')]);
    expect(TerraformIds.claimRule(identity.claimRules[0].key)).toBe('claim-rule-iks-payments-api');
  });

  test.each([
    [' ', false], ['', true], ['a', true], ['A.b_c-d', true], ['-a', false], ['a-', false], ['a'.repeat(64), false],
  ])('label value %j is %s', (value, valid) => {
    // GIVEN a candidate label value WHEN checked THEN it follows Kubernetes' label-value syntax
    expect(isLabelValue(value)).toBe(valid);
  });
});

describe('Terraform links whose IDs would collide', () => {
  test('refuses two clusters whose key and namespace run into one link ID, naming both', () => {
    // GIVEN cluster keys "prod-a" and "prod" with service accounts a/x and payments... arranged so
    // that "link-prod-a-x-api" comes out twice: prod-a + (x, api) and prod + (a-x, api)
    const error = captureError(propsWith({
      serviceAccount: { namespace: 'x', name: 'api' },
      additionalServiceAccounts: [{ namespace: 'a-x', name: 'api' }],
      clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN, key: 'prod-a' }, { kind: ClusterKind.IKS, lookup: { nameOrId: 'other' }, key: 'prod' }],
    }));
    // THEN the later cluster's key is named, with the link it collides with
    expect(error.problems.map((p) => p.field)).toEqual(['clusters[1].key']);
    expect(error.message).toContain('gets the ID "link-prod-a-x-api", the same as the link of clusters[0] with serviceAccount');
  });

  test('refuses two service accounts whose namespace and name split one link ID differently', () => {
    // GIVEN a-b/c and a/b-c on one cluster: both give "link-<key>-a-b-c"
    const error = captureError(propsWith({
      serviceAccount: { namespace: 'a-b', name: 'c' },
      additionalServiceAccounts: [{ namespace: 'a', name: 'b-c' }],
    }));
    // THEN the second service account is named, with the first
    expect(error.problems.map((p) => p.field)).toEqual(['additionalServiceAccounts[0]']);
    expect(error.message).toContain('the same as the link of clusters[0] with serviceAccount');
  });

  test('allows the same service accounts with claim rules, which are keyed by name only', () => {
    // GIVEN the colliding pair trusted by claim rule
    const identity = new WorkloadIdentity(propsWith({
      trust: TrustMode.CLAIM_RULE,
      serviceAccount: { namespace: 'a-b', name: 'c' },
      additionalServiceAccounts: [{ namespace: 'a', name: 'b-c' }],
    }));
    // WHEN built THEN there is a rule per name
    expect(identity.claimRules.map((r) => r.key).sort()).toEqual(['iks-b-c', 'iks-c']);
  });
});
