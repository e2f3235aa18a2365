// Constraints the model enforced before issue 9, each tied to where the provider states it.
import { TrustMode, WorkloadIdentity } from '../../../src';
import { IKS_A, IKS_B } from '../fixtures';
import { fields, policyBlock, props, refusal, synthStack } from './helpers';

test('a policy has exactly one of resources, resource_attributes and account_management', () => {
  // Source: v2.5.0 `resource_ibm_iam_trusted_profile_policy.go`, ConflictsWith on the three.
  // GIVEN a policy with resources and accountManagement
  const error = refusal({ policies: [{ name: 'p', roles: ['Viewer'], resources: { service: 'kms' }, accountManagement: true }] });
  // THEN it is refused naming both shapes
  expect(fields(error)).toEqual(['policies[0]']);
  expect(error.message).toContain('split it into one policy per shape');
});

test('a policy names its subject by iam_id, not the deprecated profile_id', () => {
  // Source: v2.5.0 `resource_ibm_iam_trusted_profile_policy.go`: profile_id "deprecated ... Please use iam_id".
  // GIVEN any policy
  const block = policyBlock({ name: 'p', roles: ['Reader'], resources: { service: 'kms' } });
  // THEN iam_id is set and profile_id is not
  expect(block.iam_id).toMatch(/^\$\{ibm_iam_trusted_profile\..*\.iam_id\}$/);
  expect(block).not.toHaveProperty('profile_id');
});

test('a claim rule is Profile-CR without the SAML-only expiration and realm_name', () => {
  // Source: v2.5.0 `ibm/service/iamidentity/resource_ibm_iam_trusted_profile_claim_rule.go` and
  // website/docs/r/iam_trusted_profile_claim_rule.html.markdown (realm_name, expiration: Profile-SAML).
  // GIVEN a claim-rule identity
  const json = synthStack(new WorkloadIdentity(props({ trust: TrustMode.CLAIM_RULE })));
  const rule = Object.values(json.resource!.ibm_iam_trusted_profile_claim_rule)[0];
  // THEN the rule is Profile-CR for IKS service accounts, with neither SAML field
  expect(rule).toMatchObject({ type: 'Profile-CR', cr_type: 'IKS_SA' });
  expect(rule).not.toHaveProperty('expiration');
  expect(rule).not.toHaveProperty('realm_name');
});

test('a profile needing more than 20 claim rules is refused', () => {
  // Source: IBM Cloud docs, account `iam-manageaccess.md`: 20 claim rules per trusted profile.
  // GIVEN 21 service-account names on IKS and claim-rule trust
  const additionalServiceAccounts = Array.from({ length: 20 }, (_, i) => ({ namespace: 'payments', name: `sa-${i}` }));
  const error = refusal({ trust: TrustMode.CLAIM_RULE, additionalServiceAccounts });
  // THEN the identity is refused on its service accounts
  expect(fields(error)).toEqual(['additionalServiceAccounts']);
  expect(error.message).toContain('at most 20 claim rules per trusted profile');
});

test('a link names one cluster CRN, namespace and service account, one link per cluster', () => {
  // Source: v2.5.0 `website/docs/r/iam_trusted_profile_link.html.markdown`: exactly one link block.
  // GIVEN two IKS clusters
  const json = synthStack(new WorkloadIdentity(props({ clusters: [IKS_A, IKS_B] })));
  // THEN there are two links, each with one link block
  const links = Object.values(json.resource!.ibm_iam_trusted_profile_link);
  expect(links).toHaveLength(2);
  for (const l of links) expect(Object.keys(l.link).sort()).toEqual(['crn', 'name', 'namespace']);
  expect(links.map((l) => l.cr_type)).toEqual(['IKS_SA', 'IKS_SA']);
});
