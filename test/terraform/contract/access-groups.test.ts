// Access-group membership.
// Source: IBM-Cloud/terraform-provider-ibm v2.5.0
// `ibm/service/iamaccessgroup/resource_ibm_iam_access_group_members.go`: Read sets
// `iam_profile_ids` (and `ibm_ids`, `iam_service_ids`) to every member of the group, and Update
// removes the members the configuration does not list. Two resources on one group would remove
// each other's members, so the library makes one per group per stack.
import { WorkloadIdentity } from '../../../src';
import { IWI_G1, runRules } from '../../../src/rules';
import { fields, props, refusal, synthStack } from './helpers';

const OBSERVABILITY = 'AccessGroup-7c1e4b2a9f3d4e6a8b0c2d4f6a8e1b3c';
const SECRETS = 'AccessGroup-0a1b2c3d4e5f40718293a4b5c6d7e8f9';

function joining(name: string, accessGroups: string[], extra = {}): WorkloadIdentity {
  return new WorkloadIdentity(props({ name, serviceAccount: { namespace: 'apps', name }, accessGroups, ...extra }));
}

test('identities joining one group share one ibm_iam_access_group_members listing every profile, sorted by identity', () => {
  // GIVEN three identities, declared out of order, two of them in a second group too
  const json = synthStack(joining('gamma', [OBSERVABILITY]), joining('alpha', [OBSERVABILITY, SECRETS]), joining('beta', [SECRETS, OBSERVABILITY]));
  // WHEN the memberships are read
  const groups = Object.values(json.resource!.ibm_iam_access_group_members).map(({ '//': _, ...b }) => b);
  const profile = (name: string) => expect.stringMatching(new RegExp(`^\\$\\{ibm_iam_trusted_profile\\.${name}_profile_[0-9A-F]{8}\\.id\\}$`));
  // THEN there is one resource per group, with the profiles in identity order
  expect(groups).toEqual(expect.arrayContaining([
    { access_group_id: OBSERVABILITY, iam_profile_ids: [profile('alpha'), profile('beta'), profile('gamma')] },
    { access_group_id: SECRETS, iam_profile_ids: [profile('alpha'), profile('beta')] },
  ]));
  expect(groups).toHaveLength(2);
});

test('an identity attached to an existing profile joins with that profile\'s ID', () => {
  // GIVEN an existing profile joining a group
  const id = 'Profile-0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9';
  const json = synthStack(joining('alpha', [OBSERVABILITY], { existingProfile: { name: 'shared', id } }));
  // THEN the literal ID is the member
  expect(Object.values(json.resource!.ibm_iam_access_group_members)[0].iam_profile_ids).toEqual([id]);
});

test('memberships are not policies: an identity with only a group has no policy', () => {
  // GIVEN an identity whose access comes from a group
  const json = synthStack(joining('alpha', [OBSERVABILITY]));
  // THEN no policy is synthesized
  expect(json.resource!.ibm_iam_trusted_profile_policy).toBeUndefined();
});

test.each([
  [['observability-readers'], 'accessGroups[0]', 'names are not IDs'],
  [[OBSERVABILITY, OBSERVABILITY], 'accessGroups[1]', 'list each group once'],
  [OBSERVABILITY, 'accessGroups', 'a list of access group IDs'],
])('refuses accessGroups %j', (accessGroups, field, says) => {
  // GIVEN a bad accessGroups value
  const error = refusal({ accessGroups: accessGroups as never });
  // THEN the field is named with the fix
  expect(fields(error)).toEqual([field]);
  expect(error.message).toContain(says);
});

test('the stack\'s JSON is byte-identical whatever the order of identities sharing groups and clusters', () => {
  // GIVEN three identities sharing two groups and a looked-up cluster, in two orders
  const cluster = { kind: 'IKS' as never, key: 'shared', lookup: { nameOrId: 'shared-cluster' } };
  const make = (name: string, groups: string[]) => joining(name, groups, { clusters: [cluster] });
  const forward = synthStack(make('alpha', [OBSERVABILITY]), make('beta', [SECRETS, OBSERVABILITY]), make('gamma', [SECRETS]));
  const reversed = synthStack(make('gamma', [SECRETS]), make('beta', [OBSERVABILITY, SECRETS]), make('alpha', [OBSERVABILITY]));
  // THEN the synthesized JSON is the same text
  expect(JSON.stringify(reversed)).toBe(JSON.stringify(forward));
});

describe('IWI-G1', () => {
  // Source: as above, `resource_ibm_iam_access_group_members.go` v2.5.0 Read and Update.
  const members = (file: string, group: string) => ({ file, config: { resource: { ibm_iam_access_group_members: { m: { access_group_id: group, iam_profile_ids: ['Profile-1'] } } } } });

  test('finds one group\'s members managed by two stacks', () => {
    // GIVEN two stacks managing the members of the same group
    const report = runRules({ terraform: [members('a/cdk.tf.json', OBSERVABILITY), members('b/cdk.tf.json', OBSERVABILITY)] }, [IWI_G1]);
    // THEN the second is an error naming the first
    expect(report.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual([
      ['IWI-G1', 'b/cdk.tf.json', `manages the members of ${OBSERVABILITY}, as ibm_iam_access_group_members.m (a/cdk.tf.json) does; each removes the other's members on apply`],
    ]);
  });

  test('accepts two stacks with a group each, and the library\'s own stack', () => {
    // GIVEN two stacks on different groups, and a synthesized stack of identities sharing groups
    const synthesized = synthStack(joining('alpha', [OBSERVABILITY, SECRETS]), joining('beta', [OBSERVABILITY]));
    const report = runRules({ terraform: [members('a/cdk.tf.json', OBSERVABILITY), members('b/cdk.tf.json', SECRETS)] }, [IWI_G1]);
    // THEN nothing is found
    expect(report.findings).toEqual([]);
    expect(runRules({ terraform: [{ file: 'c/cdk.tf.json', config: synthesized }] }, [IWI_G1]).findings).toEqual([]);
  });
});
