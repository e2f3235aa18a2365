import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { TrustMode, WorkloadIdentity } from '../../src';
import { WorkloadIdentityProfile } from '../../src/terraform';
import {
  IKS_A,
  IKS_B,
  identity,
  LOOKED_UP,
  only,
  PROFILE_CRN,
  PROFILE_ID,
  PROFILE_IAM_ID,
  READ_BUCKETS,
  READ_SECRETS,
  resources,
  ROKS_C,
  synth,
  Synth,
  synthString,
  VIEW_ACCOUNT,
} from './fixtures';

describe('the trusted profile', () => {
  test('is named after the identity profile name and carries its description', () => {
    // GIVEN an identity with an explicit profile name and description
    const id = identity({ profileName: 'Payments API', description: 'Lets the payments API read its secrets' });

    // WHEN it is synthesized
    const profile = only(synth(id), 'ibm_iam_trusted_profile');

    // THEN the profile has exactly that name and description, and nothing else is set
    expect(profile).toEqual({ name: 'Payments API', description: 'Lets the payments API read its secrets' });
  });

  test('defaults its name to the identity name and its description to the service account', () => {
    // GIVEN an identity without profileName or description
    // WHEN it is synthesized
    const profile = only(synth(identity()), 'ibm_iam_trusted_profile');

    // THEN the model's defaults reach Terraform
    expect(profile.name).toBe('payments-api');
    expect(profile.description).toBe('Workload identity for payments/payments-api, managed by iks-workload-identity');
  });

  test('adds no provider, data source or policy that the declaration does not ask for', () => {
    // GIVEN an identity without policies, outputs off
    // WHEN it is synthesized
    const json = synth(identity(), { outputs: false });

    // THEN there is a profile and a link, and no provider, stack settings or policies of ours
    expect(Object.keys(json.resource ?? {}).sort()).toEqual(['ibm_iam_trusted_profile', 'ibm_iam_trusted_profile_link']);
    expect(json).not.toHaveProperty('provider');
    expect(json).not.toHaveProperty('data');
  });
});

describe('outputs', () => {
  test('exposes the profile ID, IAM ID and CRN under names derived from the identity name', () => {
    // GIVEN the default props
    // WHEN it is synthesized
    const output = synth(identity()).output;

    // THEN three outputs, named with underscores, reference the profile
    expect(output).toEqual({
      payments_api_profile_id: expect.objectContaining({ value: PROFILE_ID }),
      payments_api_profile_iam_id: expect.objectContaining({ value: PROFILE_IAM_ID }),
      payments_api_profile_crn: expect.objectContaining({ value: PROFILE_CRN }),
    });
  });

  test('adds no outputs when outputs is false', () => {
    // GIVEN outputs: false
    // WHEN it is synthesized
    const json = synth(identity(), { outputs: false });

    // THEN the stack has no outputs
    expect(json).not.toHaveProperty('output');
  });

  test('prefixes output names of an identity whose name starts with a digit so they stay valid identifiers', () => {
    // GIVEN an identity named "2fa-api", a valid DNS label but not a valid Terraform identifier start
    // WHEN it is synthesized
    const output = synth(identity({ name: '2fa-api' })).output!;

    // THEN the output names start with an underscore
    expect(Object.keys(output).sort()).toEqual(['_2fa_api_profile_crn', '_2fa_api_profile_iam_id', '_2fa_api_profile_id']);
  });

  test('exposes the profile references as attributes a stack can use', () => {
    // GIVEN a profile construct whose attributes the user's stack references in its own outputs
    const stack = new TerraformStack(Testing.app(), 'test');
    const profile = new WorkloadIdentityProfile(stack, 'payments-api', { identity: identity({ policies: [READ_SECRETS] }), outputs: false });
    new TerraformOutput(stack, 'id', { value: profile.profileId });
    new TerraformOutput(stack, 'iam-id', { value: profile.profileIamId });
    new TerraformOutput(stack, 'crn', { value: profile.profileCrn });

    // WHEN the stack is synthesized
    const output = (JSON.parse(Testing.synth(stack)) as Synth).output!;

    // THEN they reference the profile's id, iam_id and crn, and the maps are keyed by stable keys
    expect(output.id.value).toBe(PROFILE_ID);
    expect(output['iam-id'].value).toBe(PROFILE_IAM_ID);
    expect(output.crn.value).toBe(PROFILE_CRN);
    expect([...profile.links.keys()]).toEqual(['iksaaaaaaaaaaaaaaaaa/payments/payments-api']);
    expect([...profile.policies.keys()]).toEqual(['read-secrets']);
    expect(profile.claimRules.size).toBe(0);
  });
});

describe('logical IDs', () => {
  const logicalIds = (json: Synth) =>
    Object.entries({ ...json.resource, ...json.data }).flatMap(([type, blocks]) => Object.keys(blocks).map((id) => `${type}.${id}`)).sort();

  test('are readable: the construct ID, the child kind and its stable key, then cdktf\'s path hash', () => {
    // GIVEN clusters, a looked-up cluster and a policy
    const json = synth(identity({ clusters: [IKS_A, LOOKED_UP], policies: [READ_SECRETS] }));

    // WHEN the logical IDs are listed
    // THEN each names what it is for
    expect(logicalIds(json).map((id) => id.replace(/_[0-9A-F]{8}$/, '_<hash>'))).toEqual([
      // The looked-up cluster belongs to the stack, shared by every identity on it (issue 9).
      'ibm_container_vpc_cluster.iks-workload-identity_cluster-vpc-prod-eu-in-rg-0123_<hash>',
      'ibm_iam_trusted_profile.payments-api_profile_<hash>',
      'ibm_iam_trusted_profile_link.payments-api_link-iksaaaaaaaaaaaaaaaaa-payments-payments-api_<hash>',
      'ibm_iam_trusted_profile_link.payments-api_link-prod-eu-payments-payments-api_<hash>',
      'ibm_iam_trusted_profile_policy.payments-api_policy-read-secrets_<hash>',
    ]);
  });

  test('do not change when clusters and policies are reordered, nor do the resource bodies', () => {
    for (const trust of [TrustMode.LINK, TrustMode.CLAIM_RULE]) {
      // GIVEN the same identity declared in two orders
      const forward = identity({ trust, clusters: [IKS_A, IKS_B, ROKS_C, LOOKED_UP], policies: [READ_SECRETS, READ_BUCKETS, VIEW_ACCOUNT] });
      const reversed = identity({ trust, clusters: [LOOKED_UP, ROKS_C, IKS_B, IKS_A], policies: [VIEW_ACCOUNT, READ_BUCKETS, READ_SECRETS] });

      // WHEN both are synthesized
      const a = synth(forward);
      const b = synth(reversed);

      // THEN the same logical IDs hold the same bodies
      expect(logicalIds(b)).toEqual(logicalIds(a));
      expect(b).toEqual(a);
    }
  });

  test('synthesize byte-identical JSON when clusters and policies are reordered', () => {
    // GIVEN the same claim-rule identity declared in two orders
    const forward = identity({ trust: TrustMode.CLAIM_RULE, clusters: [IKS_A, IKS_B, ROKS_C, LOOKED_UP], policies: [READ_SECRETS, VIEW_ACCOUNT] });
    const reversed = identity({ trust: TrustMode.CLAIM_RULE, clusters: [LOOKED_UP, ROKS_C, IKS_B, IKS_A], policies: [VIEW_ACCOUNT, READ_SECRETS] });

    // WHEN both are synthesized
    // THEN the text is the same, including the order of IDs inside the IN condition
    expect(synthString(reversed)).toBe(synthString(forward));
  });

  test('keep a cluster\'s link when another cluster is removed', () => {
    // GIVEN an identity on two clusters, then on the second one only
    const before = synth(identity({ clusters: [IKS_A, IKS_B] }));
    const after = synth(identity({ clusters: [IKS_B] }));

    // WHEN the links are compared
    const linksBefore = resources(before, 'ibm_iam_trusted_profile_link');
    const linksAfter = resources(after, 'ibm_iam_trusted_profile_link');

    // THEN the remaining cluster's link has the same address and body, so Terraform leaves it alone
    const [kept] = Object.keys(linksAfter);
    expect(linksBefore[kept]).toEqual(linksAfter[kept]);
  });

  test('synthesize byte-identical JSON twice', () => {
    // GIVEN one rich identity
    const id = identity({ trust: TrustMode.CLAIM_RULE, clusters: [IKS_A, IKS_B, ROKS_C, LOOKED_UP], policies: [READ_SECRETS, READ_BUCKETS, VIEW_ACCOUNT] });

    // WHEN it is synthesized twice
    // THEN the text is the same
    expect(synthString(id)).toBe(synthString(id));
  });
});

describe('misuse', () => {
  test('rejects an identity that is not a validated WorkloadIdentity, naming props.identity', () => {
    // GIVEN the plain props instead of a WorkloadIdentity
    const stack = new TerraformStack(Testing.app(), 'test');
    const plain = { name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [IKS_A] } as unknown as WorkloadIdentity;

    // WHEN a profile is created THEN it fails, saying what to pass
    expect(() => new WorkloadIdentityProfile(stack, 'payments-api', { identity: plain })).toThrow(/props\.identity must be a WorkloadIdentity/);
  });

  test('rejects the same identity twice in one stack, since profile names are unique in an account', () => {
    // GIVEN a stack that already renders the identity
    const stack = new TerraformStack(Testing.app(), 'test');
    const id = identity();
    new WorkloadIdentityProfile(stack, 'first', { identity: id });

    // WHEN it is rendered again THEN it fails, naming the first one
    expect(() => new WorkloadIdentityProfile(stack, 'second', { identity: id })).toThrow(/already rendered by test\/first/);
  });

  test('accepts two different identities in one stack', () => {
    // GIVEN two identities with their own names
    const stack = new TerraformStack(Testing.app(), 'test');
    new WorkloadIdentityProfile(stack, 'payments-api', { identity: identity() });
    new WorkloadIdentityProfile(stack, 'ledger', { identity: identity({ name: 'ledger', serviceAccount: { namespace: 'ledger' } }) });

    // WHEN the stack is synthesized
    const json: Synth = JSON.parse(Testing.synth(stack));

    // THEN both profiles and all six outputs are there
    expect(Object.values(resources(json, 'ibm_iam_trusted_profile')).map((p) => p.name).sort()).toEqual(['ledger', 'payments-api']);
    expect(Object.keys(json.output!)).toHaveLength(6);
  });
});
