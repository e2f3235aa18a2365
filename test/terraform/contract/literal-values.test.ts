// Values that reach Terraform: typed at every depth, and literal. In Terraform's JSON syntax
// every string is a template (hashicorp/terraform `internal/configs` JSON syntax: "${" starts an
// interpolation, "%{" a directive), so identifiers holding either are refused and free text is
// escaped, as descriptions always were.
import { ClusterKind } from '../../../src';
import { crn } from '../fixtures';
import { fields, policyBlock, refusal } from './helpers';

const base = { name: 'p', roles: ['Reader'], resources: { service: 'kms' } };

test.each([
  [null, 'a policy description is a string'],
  [42, 'a policy description is a string'],
  ['line\u0000break', 'control character'],
])('a policy description of %j is a WorkloadIdentityError naming the field', (description, says) => {
  // GIVEN a description that is not text
  const error = refusal({ policies: [{ ...base, description: description as never }] });
  // THEN the model names policies[0].description, before cdktf sees it
  expect(fields(error)).toEqual(['policies[0].description']);
  expect(error.message).toContain(says);
});

test('a policy description holding ${ and %{ is escaped, not evaluated', () => {
  // GIVEN a description with template sequences
  const block = policyBlock({ ...base, description: 'costs ${var.x} and %{if}' });
  // THEN Terraform reads it literally
  expect(block.description).toBe('costs $${var.x} and %%{if}');
});

test.each([
  [{ resources: { service: 'kms', resourceInstanceId: '${var.instance}' } }, 'policies[0].resources.resourceInstanceId'],
  [{ resources: { service: 'kms', region: 'us-south\n' } }, 'policies[0].resources.region'],
  [{ resources: { service: 'kms', attributes: { keyRing: '%{ if x }' } } }, 'policies[0].resources.attributes.keyRing'],
  [{ resources: { service: 'kms', resource: 7 } }, 'policies[0].resources.resource'],
  [{ roles: ['Reader', '${var.role}'] }, 'policies[0].roles[1]'],
  [{ resources: { serviceType: 'service' }, resourceTags: [{ name: 'env', value: '${x}' }] }, 'policies[0].resourceTags[0]'],
])('a policy value that Terraform would evaluate or that is not a string is refused: %j', (overrides, field) => {
  // GIVEN a policy field holding a template sequence, a control character or a number
  const error = refusal({ policies: [{ ...base, ...overrides } as never] });
  // THEN the field is named
  expect(fields(error)).toEqual([field]);
});

test.each([
  [{ kind: ClusterKind.IKS, key: 'k', lookup: { nameOrId: '${var.cluster}' } }, 'clusters[0].lookup.nameOrId'],
  [{ kind: ClusterKind.IKS, key: 'k', lookup: { nameOrId: 'c', resourceGroupId: 12 } }, 'clusters[0].lookup.resourceGroupId'],
  [{ kind: ClusterKind.IKS, key: 'k', lookup: { nameOrId: 'c', resourceGroupId: '%{x}' } }, 'clusters[0].lookup.resourceGroupId'],
  [{ kind: ClusterKind.IKS, key: 'k', lookup: { nameOrId: 'c', region: 'us-south' } }, 'clusters[0].lookup.region'],
  [{ kind: ClusterKind.IKS, crn: crn('${var.id}') }, 'clusters[0].crn'],
])('a cluster value that would reach Terraform unchecked is refused: %j', (cluster, field) => {
  // GIVEN a cluster with a bad lookup or CRN
  const error = refusal({ clusters: [cluster as never] });
  // THEN the field is named
  expect(fields(error)).toEqual([field]);
});

test.each([
  [{ key: 7, operator: 'stringMatchAnyOf', value: ['a'] }, 'policies[0].ruleConditions[0].key'],
  [{ key: 'k', operator: 'stringMatchAnyOf', value: 'a' }, 'policies[0].ruleConditions[0].value'],
  [{ key: 'k', operator: 'stringMatchAnyOf', value: ['${x}'] }, 'policies[0].ruleConditions[0].value[0]'],
])('a rule condition field is checked at its own depth: %j', (condition, field) => {
  // GIVEN a condition with a wrong field
  const error = refusal({ policies: [{ ...base, ruleConditions: [condition as never], pattern: 'attribute-based-condition:resource:literal-and-wildcard' }] });
  // THEN that field is named
  expect(fields(error)).toEqual([field]);
});
