// Synthesized Terraform JSON against the vendored IBM provider schema: an offline
// `terraform validate` of our blocks. First the checker itself, on blocks known to be wrong;
// then every shape of declaration the constructs render.
import { ClusterKind, TimeConditions, TrustMode, WorkloadIdentityProps } from '../../src';
import { paymentsApi } from '../../examples/identity';
import { ibmProviderSchema, terraformSchemaProblems } from '../support/terraform-schema';
import { IKS_CRN, paymentsIdentity, ROKS_CRN, synthTerraform } from '../support/synth';

const PROFILE_ID = '${ibm_iam_trusted_profile.p.id}';
const link = (body: Record<string, unknown>) => ({ resource: { ibm_iam_trusted_profile_link: { l: body } } });
const GOOD_LINK = { profile_id: PROFILE_ID, cr_type: 'IKS_SA', link: { crn: IKS_CRN, namespace: 'payments', name: 'payments-api' } };

describe('the Terraform schema checker', () => {
  test('accepts a link block as the provider schema describes it', () => {
    // GIVEN a well-formed link
    // WHEN it is checked
    // THEN there is nothing to report
    expect(terraformSchemaProblems(link(GOOD_LINK))).toEqual([]);
  });

  test('reports an unknown argument, a missing required argument and two link blocks where one is allowed', () => {
    // GIVEN a link with a typo'd argument, no cr_type, and two link blocks
    const bad = link({
      profile_id: PROFILE_ID,
      crtype: 'IKS_SA',
      link: [GOOD_LINK.link, { crn: IKS_CRN, namespace: 'other', name: 'other' }],
    });

    // WHEN it is checked
    const problems = terraformSchemaProblems(bad);

    // THEN each mistake is reported at its address
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^resource\.ibm_iam_trusted_profile_link\.l\.crtype: unknown argument/),
      'resource.ibm_iam_trusted_profile_link.l.cr_type: required argument is missing',
      'resource.ibm_iam_trusted_profile_link.l.link: 2 blocks, at most 1 allowed',
    ]));
    expect(problems).toHaveLength(3);
  });

  test('reports a missing required block', () => {
    // GIVEN a link without its link block (min_items 1)
    const { link: _, ...withoutBlock } = GOOD_LINK;

    // WHEN it is checked
    // THEN the block is reported missing
    expect(terraformSchemaProblems(link(withoutBlock))).toEqual(['resource.ibm_iam_trusted_profile_link.l.link: required block is missing (at least 1)']);
  });

  test('reports an unknown argument inside a nested block', () => {
    // GIVEN a link block with a field of the wrong resource
    const bad = link({ ...GOOD_LINK, link: { ...GOOD_LINK.link, service_account: 'x' } });

    // WHEN it is checked
    // THEN the nested address is reported
    expect(terraformSchemaProblems(bad)).toEqual([expect.stringMatching(/^resource\.ibm_iam_trusted_profile_link\.l\.link\.service_account: unknown argument/)]);
  });

  test('reports a computed-only attribute that the configuration sets', () => {
    // GIVEN a profile that sets iam_id, which only the provider sets
    const bad = { resource: { ibm_iam_trusted_profile: { p: { name: 'x', iam_id: 'iam-Profile-1' } } } };

    // WHEN it is checked
    // THEN it is reported
    expect(terraformSchemaProblems(bad)).toEqual([expect.stringContaining('resource.ibm_iam_trusted_profile.p.iam_id: computed-only attribute')]);
  });

  test('reports a value of the wrong type', () => {
    // GIVEN a policy whose roles is a string instead of a list
    const bad = { resource: { ibm_iam_trusted_profile_policy: { p: { iam_id: 'x', roles: 'Reader', account_management: true } } } };

    // WHEN it is checked
    // THEN the type mismatch is reported
    expect(terraformSchemaProblems(bad)).toEqual([expect.stringContaining('resource.ibm_iam_trusted_profile_policy.p.roles: expected ["list","string"]')]);
  });

  test('reports an ibm_* type that the vendored schema does not have', () => {
    // GIVEN a resource type missing from the vendored subset
    const bad = { resource: { ibm_iam_service_id: { s: { name: 'x' } } } };

    // WHEN it is checked
    // THEN it is reported, so a new resource cannot escape the check
    expect(terraformSchemaProblems(bad)).toEqual(['resource.ibm_iam_service_id.s: resource type ibm_iam_service_id is not in the vendored provider schema']);
  });

  test('ignores cdktf metadata and Terraform meta-arguments, and takes interpolations as any type', () => {
    // GIVEN a link with metadata, depends_on, lifecycle, and an interpolated list
    const body = {
      '//': { metadata: { path: 'x' } },
      depends_on: ['ibm_iam_trusted_profile.p'],
      lifecycle: { create_before_destroy: true },
      ...GOOD_LINK,
    };
    const policy = { iam_id: 'x', roles: '${var.roles}', account_management: true };

    // WHEN they are checked
    // THEN nothing is reported
    expect(terraformSchemaProblems({ resource: { ibm_iam_trusted_profile_link: { l: body }, ibm_iam_trusted_profile_policy: { p: policy } } })).toEqual([]);
  });
});

describe('synthesized Terraform', () => {
  const variants: Array<[string, Partial<WorkloadIdentityProps>]> = [
    ['the embedded example', {}],
    ['links to IKS and ROKS clusters', { clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: ROKS_CRN }] }],
    ['a looked-up cluster', { clusters: [{ kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-eu', resourceGroupId: 'rg-1' } }] }],
    ['claim rules for IKS, ROKS and a looked-up cluster', {
      trust: TrustMode.CLAIM_RULE,
      clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: ROKS_CRN }, { kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-eu' } }],
    }],
    ['policies of every shape, with tags', {
      policies: [
        { name: 'read-secrets', roles: ['SecretsReader', 'Viewer'], resources: { service: 'secrets-manager', resourceInstanceId: 'a', region: 'us-south', attributes: { secretGroupId: 'g' } } },
        // IAM takes access tags only on a policy for all IAM-enabled services (issue 9).
        { name: 'read-tagged', roles: ['Reader'], resources: { serviceType: 'service' }, resourceTags: [{ name: 'env', value: 'prod' }] },
        { name: 'read-buckets', roles: ['Reader'], resourceAttributes: [{ name: 'serviceName', value: 'cloud-object-storage', operator: 'stringEquals' }] },
        { name: 'view-account', roles: ['Viewer'], accountManagement: true, description: 'Account settings' },
      ],
    }],
    ['a classic cluster looked up, conditional policies and access groups', {
      clusters: [{ kind: ClusterKind.IKS, lookup: { nameOrId: 'classic-1', infrastructure: 'classic' } }],
      accessGroups: ['AccessGroup-7c1e4b2a9f3d4e6a8b0c2d4f6a8e1b3c'],
      policies: [
        { name: 'weekdays', roles: ['Reader'], resources: { service: 'kms' }, ...TimeConditions.weeklyAllDay({ days: [1, 2, 3, 4, 5] }) },
        { name: 'mondays', roles: ['Reader'], resources: { service: 'kms' }, ...TimeConditions.weekly({ days: [1], from: '09:00:00', to: '17:00:00' }) },
      ],
    }],
  ];

  test.each(variants)('matches the provider schema: %s', (_, overrides) => {
    // GIVEN a declaration
    const json = JSON.parse(synthTerraform(paymentsIdentity(overrides)));

    // WHEN its Terraform JSON is checked against the vendored schema
    const problems = terraformSchemaProblems(json);

    // THEN every ibm_* block is valid, and there were blocks to check
    expect(problems).toEqual([]);
    expect(Object.keys(json.resource).every((t) => t in ibmProviderSchema().resource_schemas)).toBe(true);
    expect(json.resource.ibm_iam_trusted_profile).toBeDefined();
  });

  test('matches the provider schema for the example\'s own declaration', () => {
    // GIVEN examples/identity.ts
    // WHEN it is synthesized and checked
    // THEN there is nothing to report
    expect(terraformSchemaProblems(JSON.parse(synthTerraform(paymentsApi)))).toEqual([]);
  });
});
