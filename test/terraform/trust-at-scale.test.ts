// One profile trusted by several service accounts on several clusters, claim rules over sets
// of namespaces, the acknowledged opt-out of the cluster restriction, and existing profiles.
import { TerraformStack, Testing } from 'cdktf';
import { TrustMode, WorkloadIdentityError } from '../../src';
import { WorkloadIdentityProfile } from '../../src/terraform';
import { IKS_A, IKS_B, identity, only, PROFILE_ID, resources, ROKS_C, synth } from './fixtures';

const EXISTING_ID = 'Profile-6f1e7c2a-3b4d-4e5f-9a8b-7c6d5e4f3a2b';

describe('several service accounts on several clusters', () => {
  test('links every service account on every cluster, IKS and ROKS mixed', () => {
    // GIVEN two service accounts and three clusters of both kinds
    const id = identity({
      clusters: [IKS_A, ROKS_C, IKS_B],
      additionalServiceAccounts: [{ namespace: 'payments-canary' }],
    });
    // WHEN it is synthesized
    const links = Object.values(resources(synth(id), 'ibm_iam_trusted_profile_link'));
    // THEN there is one link per cluster and service account, with the cluster's cr_type
    expect(links.map((l) => `${l.cr_type} ${l.link.namespace}/${l.link.name} ${l.link.crn.split(':')[7]}`).sort()).toEqual([
      'IKS_SA payments-canary/payments-api iksaaaaaaaaaaaaaaaaa',
      'IKS_SA payments-canary/payments-api iksbbbbbbbbbbbbbbbbb',
      'IKS_SA payments/payments-api iksaaaaaaaaaaaaaaaaa',
      'IKS_SA payments/payments-api iksbbbbbbbbbbbbbbbbb',
      'ROKS_SA payments-canary/payments-api rokscccccccccccccccc',
      'ROKS_SA payments/payments-api rokscccccccccccccccc',
    ]);
    for (const link of links) expect(link.profile_id).toBe(PROFILE_ID);
  });

  test('keeps the existing links when a service account is added', () => {
    // GIVEN an identity, then the same identity with one more service account
    const before = resources(synth(identity({ clusters: [IKS_A] })), 'ibm_iam_trusted_profile_link');
    const after = resources(synth(identity({ clusters: [IKS_A], additionalServiceAccounts: [{ namespace: 'payments-canary' }] })), 'ibm_iam_trusted_profile_link');
    // THEN every link of before is in after under the same logical ID, unchanged
    for (const [logicalId, body] of Object.entries(before)) expect(after[logicalId]).toEqual(body);
    expect(Object.keys(after)).toHaveLength(2);
  });

  test('claim rules match a set of namespaces with IN, per service-account name and cluster kind', () => {
    // GIVEN claim-rule trust for one service account name in two namespaces on IKS and ROKS
    const id = identity({
      trust: TrustMode.CLAIM_RULE,
      clusters: [IKS_A, ROKS_C],
      additionalServiceAccounts: [{ namespace: 'payments-canary' }],
    });
    // WHEN it is synthesized
    const rules = Object.values(resources(synth(id), 'ibm_iam_trusted_profile_claim_rule'));
    // THEN there is one rule per kind, each over both namespaces and restricted to its clusters
    expect(rules.map((r) => r.cr_type).sort()).toEqual(['IKS_SA', 'ROKS_SA']);
    for (const rule of rules) {
      expect(rule.conditions).toEqual(expect.arrayContaining([
        { claim: 'namespace', operator: 'IN', value: '["payments","payments-canary"]' },
        { claim: 'name', operator: 'EQUALS', value: '"payments-api"' },
      ]));
      expect(rule.conditions.find((c: { claim: string }) => c.claim === 'service_instance')).toBeDefined();
    }
  });

  test('claim rules never trust a namespace and name pair that was not declared', () => {
    // GIVEN two service accounts with different names in different namespaces
    const id = identity({
      trust: TrustMode.CLAIM_RULE,
      additionalServiceAccounts: [{ namespace: 'ledger', name: 'ledger-worker' }],
    });
    // WHEN it is synthesized
    const rules = Object.values(resources(synth(id), 'ibm_iam_trusted_profile_claim_rule'));
    // THEN each name gets its own rule with only its own namespace (no payments/ledger-worker)
    const pairs = rules.map((r) => {
      const value = (claim: string) => JSON.parse(r.conditions.find((c: { claim: string }) => c.claim === claim).value);
      return `${value('namespace')}/${value('name')}`;
    });
    expect(pairs.sort()).toEqual(['ledger/ledger-worker', 'payments/payments-api']);
  });
});

describe('the cluster restriction of claim rules', () => {
  test('can be dropped only with an acknowledgement of IWI-T1', () => {
    // GIVEN claim-rule trust without the cluster restriction and without an acknowledgement
    // WHEN the identity is built
    // THEN it is refused, naming the field and the rule to acknowledge
    expect(() => identity({ trust: TrustMode.CLAIM_RULE, restrictClaimRulesToClusters: false }))
      .toThrow(/restrictClaimRulesToClusters is false; without the cluster restriction.*acknowledge rule IWI-T1/);
  });

  test('once acknowledged, the rule has no service_instance condition', () => {
    // GIVEN the restriction dropped with an acknowledgement
    const id = identity({
      trust: TrustMode.CLAIM_RULE,
      restrictClaimRulesToClusters: false,
      acknowledgements: [{ ruleId: 'IWI-T1', reason: 'Clusters are recreated daily by the DR drill; the namespace is reserved account-wide' }],
    });
    // WHEN it is synthesized
    const rule = only(synth(id), 'ibm_iam_trusted_profile_claim_rule');
    // THEN only namespace and name are matched
    expect(rule.conditions.map((c: { claim: string }) => c.claim)).toEqual(['namespace', 'name']);
  });

  test('cannot be dropped for links, which name one cluster each', () => {
    // GIVEN link trust with the restriction dropped (and acknowledged)
    // WHEN the identity is built
    // THEN it is refused: there is nothing to drop
    expect(() => identity({
      restrictClaimRulesToClusters: false,
      acknowledgements: [{ ruleId: 'IWI-T1', reason: 'Clusters are recreated daily by the DR drill' }],
    })).toThrow(/only claim rules can drop the cluster restriction/);
  });
});

describe('an existing profile shared by several identities', () => {
  /** The stack of `identities`, each under its own name. */
  function stackOf(...identities: ReturnType<typeof identity>[]): any {
    const stack = new TerraformStack(Testing.app(), 'test');
    for (const id of identities) new WorkloadIdentityProfile(stack, id.name, { identity: id });
    return JSON.parse(Testing.synth(stack));
  }
  const attached = (name: string, id = EXISTING_ID) => identity({ name, existingProfile: { name: 'team-shared', id } });

  test('is read by one data source per stack, not one per identity', () => {
    // GIVEN three identities attached to one existing profile
    // WHEN they are synthesized in one stack
    const json = stackOf(attached('app-a'), attached('app-b'), attached('app-c'));
    // THEN the stack reads the profile once, and every output names that one read
    const reads = Object.entries(json.data.ibm_iam_trusted_profile) as [string, any][];
    expect(reads).toHaveLength(1);
    expect(reads[0][1].profile_id).toBe(EXISTING_ID);
    for (const name of ['app_a', 'app_b', 'app_c']) expect(json.output[`${name}_profile_iam_id`].value).toBe(`\${data.ibm_iam_trusted_profile.${reads[0][0]}.iam_id}`);
  });

  test('is read once per distinct profile, each under an address named by its ID', () => {
    // GIVEN identities on two existing profiles
    const other = 'Profile-0b7f3d1c-2e4a-4b8e-9c51-2b7f0e6d1a93';
    // WHEN they are synthesized in one stack
    const json = stackOf(attached('app-a'), attached('app-b', other));
    // THEN there are two reads, whose addresses name the profile IDs
    const addresses = Object.keys(json.data.ibm_iam_trusted_profile).sort();
    // (sorted: "Profile-0b7f..." before "Profile-6f1e...")
    expect(addresses).toEqual([
      expect.stringMatching(new RegExp(`^iks-workload-identity_existing-profile-${other}_[0-9A-F]{8}$`)),
      expect.stringMatching(new RegExp(`^iks-workload-identity_existing-profile-${EXISTING_ID}_[0-9A-F]{8}$`)),
    ]);
    expect(Object.values(json.data.ibm_iam_trusted_profile).map((d: any) => d.profile_id).sort()).toEqual([other, EXISTING_ID].sort());
  });
});

describe('an existing profile', () => {
  test('is read through the data source and never created', () => {
    // GIVEN an identity attached to an existing profile by ID
    const id = identity({ existingProfile: { name: 'payments-shared', id: EXISTING_ID } });
    // WHEN it is synthesized
    const json = synth(id);
    // THEN there is no profile resource, one data source for it, and links and policies attach to it
    expect(resources(json, 'ibm_iam_trusted_profile')).toEqual({});
    const lookup = Object.values(json.data?.ibm_iam_trusted_profile ?? {});
    expect(lookup).toHaveLength(1);
    expect(lookup[0].profile_id).toBe(EXISTING_ID);
    expect(only(json, 'ibm_iam_trusted_profile_link').profile_id).toBe(EXISTING_ID);
  });

  test('binds policies to the iam_id the data source reads', () => {
    const id = identity({
      existingProfile: { name: 'payments-shared', id: EXISTING_ID },
      policies: [{ name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' } }],
    });
    // WHEN it is synthesized
    // THEN the policy's subject is the data source's iam_id
    const policy = only(synth(id), 'ibm_iam_trusted_profile_policy');
    expect(policy.iam_id).toMatch(/^\$\{data\.ibm_iam_trusted_profile\.[^.]+\.iam_id\}$/);
  });

  test('is selected by its name on the Kubernetes side', () => {
    // GIVEN an existing profile named differently from the identity
    const id = identity({ existingProfile: { name: 'payments-shared', id: EXISTING_ID } });
    // WHEN the pods' environment is computed
    // THEN the pods' environment names that profile
    expect(id.profileName).toBe('payments-shared');
    expect(id.environment()).toContainEqual({ name: 'IBMCLOUD_CR_PROFILE', value: 'payments-shared' });
  });

  test('without an ID cannot be synthesized for Terraform, and says why', () => {
    // GIVEN an existing profile known by name only
    const id = identity({ existingProfile: { name: 'payments-shared' } });
    // WHEN the Terraform side is synthesized
    // THEN it throws naming the missing ID and why
    expect(() => synth(id)).toThrow(/without existingProfile\.id; the Terraform provider looks profiles up by ID only/);
  });

  test('refuses profileName and description, which belong to the existing profile', () => {
    // GIVEN an existing profile plus profileName and description
    // WHEN the identity is built
    // THEN both fields are reported
    let error: WorkloadIdentityError | undefined;
    try {
      identity({ existingProfile: { name: 'payments-shared', id: EXISTING_ID }, profileName: 'other', description: 'x' });
    } catch (e) {
      error = e as WorkloadIdentityError;
    }
    expect(error?.problems.map((p) => p.field)).toEqual(['profileName', 'description']);
  });

  test('refuses an ID that is not a profile ID', () => {
    // GIVEN an IAM ID where the profile ID belongs
    // WHEN the identity is built
    // THEN the field, the value and the expected form are named
    expect(() => identity({ existingProfile: { name: 'payments-shared', id: 'iam-Profile-123' } }))
      .toThrow(/existingProfile\.id is "iam-Profile-123"; a trusted profile ID looks like "Profile-<uuid>"/);
  });
});
