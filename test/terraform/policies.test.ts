import { AccessPolicyProps, TrustMode } from '../../src';
import {
  IKS_A,
  identity,
  LOOKED_UP,
  PROFILE_IAM_ID,
  READ_BUCKETS,
  READ_SECRETS,
  resources,
  ROKS_C,
  synth,
  VIEW_ACCOUNT,
} from './fixtures';

describe('access policies', () => {
  const policies = (list: AccessPolicyProps[]) => resources(synth(identity({ policies: list })), 'ibm_iam_trusted_profile_policy');
  const policy = (p: AccessPolicyProps) => Object.values(policies([p]))[0];

  test('creates one policy per declared policy, bound by the profile IAM ID', () => {
    // GIVEN three policies
    // WHEN they are synthesized
    const all = Object.values(policies([READ_SECRETS, READ_BUCKETS, VIEW_ACCOUNT]));

    // THEN each one's subject is the profile's iam_id
    expect(all).toHaveLength(3);
    for (const p of all) expect(p.iam_id).toBe(PROFILE_IAM_ID);
  });

  test('never binds a policy by the deprecated profile_id', () => {
    // GIVEN policies of every shape in both trust modes
    for (const trust of [TrustMode.LINK, TrustMode.CLAIM_RULE]) {
      const id = identity({ trust, clusters: [IKS_A, ROKS_C, LOOKED_UP], policies: [READ_SECRETS, READ_BUCKETS, VIEW_ACCOUNT] });

      // WHEN they are synthesized
      const all = Object.values(resources(synth(id), 'ibm_iam_trusted_profile_policy'));

      // THEN no policy has profile_id
      expect(all).toHaveLength(3);
      for (const p of all) expect(p).not.toHaveProperty('profile_id');
    }
  });

  test('scopes a resources policy with every field IAM allows together in snake_case', () => {
    // GIVEN a policy using every resources field but serviceType and serviceGroupId, which
    // exclude service (the provider's docs for `resources`, v2.5.0; see the contract suite)
    const p = policy({
      name: 'everything',
      roles: ['Reader', 'Writer'],
      description: 'All the fields',
      resources: {
        service: 'cloud-object-storage',
        resourceInstanceId: 'guid-1',
        region: 'us-south',
        resourceType: 'bucket',
        resource: 'invoices',
        resourceGroupId: 'rg-1',
        attributes: { prefix: '2026/' },
      },
    });

    // THEN the block has the provider's names, and no other shape is set
    expect(p.resources).toEqual({
      service: 'cloud-object-storage',
      resource_instance_id: 'guid-1',
      region: 'us-south',
      resource_type: 'bucket',
      resource: 'invoices',
      resource_group_id: 'rg-1',
      attributes: { prefix: '2026/' },
    });
    expect(p.roles).toEqual(['Reader', 'Writer']);
    expect(p.description).toBe('All the fields');
    expect(p).not.toHaveProperty('resource_attributes');
    expect(p).not.toHaveProperty('account_management');
  });

  test('sets only the given resources fields', () => {
    // GIVEN a policy on one service instance
    // WHEN it is synthesized
    const p = policy(READ_SECRETS);

    // THEN the block has just service and instance, and no description
    expect(p.resources).toEqual({ service: 'secrets-manager', resource_instance_id: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' });
    expect(p).not.toHaveProperty('description');
  });

  test('scopes a resourceAttributes policy, defaulting the operator to stringEquals', () => {
    // GIVEN one attribute without operator and one with stringMatch
    const p = policy({
      name: 'read-invoices',
      roles: ['Reader'],
      resourceAttributes: [
        { name: 'serviceName', value: 'cloud-object-storage' },
        { name: 'resource', value: 'invoices-*', operator: 'stringMatch' },
      ],
    });

    // THEN both become resource_attributes with an explicit operator, and no other shape is set
    expect(p.resource_attributes).toEqual([
      { name: 'serviceName', value: 'cloud-object-storage', operator: 'stringEquals' },
      { name: 'resource', value: 'invoices-*', operator: 'stringMatch' },
    ]);
    expect(p).not.toHaveProperty('resources');
    expect(p).not.toHaveProperty('account_management');
  });

  test('grants an accountManagement policy on account management only', () => {
    // GIVEN an account-management policy
    // WHEN it is synthesized
    const p = policy(VIEW_ACCOUNT);

    // THEN account_management is true and no resource scope is set
    expect(p).toEqual({ iam_id: PROFILE_IAM_ID, roles: ['Viewer'], account_management: true });
  });

  test('narrows a policy by resource tags, defaulting the operator to stringEquals', () => {
    // GIVEN a policy for all IAM-enabled services with two access tags (the one scope IAM takes tags on)
    const p = policy({
      name: 'read-tagged',
      roles: ['Reader'],
      resources: { serviceType: 'service' },
      resourceTags: [{ name: 'env', value: 'prod' }, { name: 'team', value: 'pay*', operator: 'stringMatch' }],
    });

    // THEN resource_tags carries both with explicit operators
    expect(p.resource_tags).toEqual([
      { name: 'env', value: 'prod', operator: 'stringEquals' },
      { name: 'team', value: 'pay*', operator: 'stringMatch' },
    ]);
  });

  test('emits no resource_tags when none are given', () => {
    // GIVEN a policy without tags
    // WHEN it is synthesized
    // THEN the policy has no resource_tags
    expect(policy(READ_SECRETS)).not.toHaveProperty('resource_tags');
  });
});
