// Conditional and plain policies live at different Terraform addresses.
// Source: IBM-Cloud/terraform-provider-ibm v2.5.0
// `ibm/service/iampolicy/resource_ibm_iam_trusted_profile_policy.go`: Create uses IAM's v2 API
// only when rule_conditions or pattern is set, and Update of a v1 policy with them fails with
// "Cannot use rule_conditions, rule_operator, or pattern when updating v1/policy" (pinned by
// TestAccIBMIAMTrustedProfilePolicy_With_Update_To_Time_Based_Conditions in its `_test.go`).
import { AccessPolicyProps, TimeConditions } from '../../../src';
import { policyBlocks } from './helpers';

const PLAIN: AccessPolicyProps = { name: 'use-keys', roles: ['Reader'], resources: { service: 'kms', resourceInstanceId: '1b2c3d4e' } };
const CONDITIONAL: AccessPolicyProps = { ...PLAIN, ...TimeConditions.weekly({ days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00' }) };
const address = (blocks: Record<string, unknown>) => Object.keys(blocks).map((id) => id.replace(/_[0-9A-F]{8}$/, ''));

test('adding conditions to a policy changes its address, so Terraform replaces it instead of updating a v1 policy', () => {
  // GIVEN the same policy without and with conditions
  // WHEN both are synthesized
  const before = address(policyBlocks(PLAIN));
  const after = address(policyBlocks(CONDITIONAL));
  // THEN the logical IDs differ: the plain one is policy-<name>, the conditional one conditional-policy-<name>
  expect(before).toEqual(['payments-api_policy-use-keys']);
  expect(after).toEqual(['payments-api_conditional-policy-use-keys']);
});

test('changing the conditions of a conditional policy keeps its address: the provider updates v2 policies in place', () => {
  // GIVEN working hours, then other hours
  const later = { ...PLAIN, ...TimeConditions.weekly({ days: [1, 2, 3, 4, 5], from: '10:00:00', to: '18:00:00' }) };
  // WHEN both are synthesized
  // THEN the address is the same
  expect(Object.keys(policyBlocks(later))).toEqual(Object.keys(policyBlocks(CONDITIONAL)));
});

test('a plain policy and a conditional one of different names never share an address', () => {
  // GIVEN a plain policy named like the conditional one's logical ID
  const blocks = policyBlocks(CONDITIONAL, { ...PLAIN, name: 'conditional-policy-use-keys' });
  // THEN both exist under distinct IDs
  expect(address(blocks).sort()).toEqual(['payments-api_conditional-policy-use-keys', 'payments-api_policy-conditional-policy-use-keys']);
});
