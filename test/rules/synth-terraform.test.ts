// The Terraform rules inside `app.synth()`: a WorkloadIdentityProfile that breaks one fails
// synthesis before cdktf writes the stack, unless the identity acknowledges the rule, whose
// reason is then recorded in cdk.tf.json.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { ClusterKind, TrustMode, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import { ibm, WorkloadIdentityProfile } from '../../src/terraform';
import { CLUSTER_CRN } from './fixtures';

const ADMIN_ON_SERVICE = { name: 'admin-secrets', roles: ['Administrator'], resources: { service: 'secrets-manager' } };
const P1_REASON = 'rotates every secret of the team, reviewed in SEC-1234';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function identity(overrides: Partial<WorkloadIdentityProps>): WorkloadIdentity {
  return new WorkloadIdentity({ name: 'orders', serviceAccount: { namespace: 'shop' }, clusters: [{ kind: ClusterKind.IKS, crn: CLUSTER_CRN }], ...overrides });
}

/** Synthesizes one stack with the identity's profile; returns the error and the stack JSON, if written. */
function synth(id: WorkloadIdentity, tweak?: (p: WorkloadIdentityProfile) => void): { error?: Error; json?: any } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-rules-tf-'));
  dirs.push(outdir);
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'orders');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  const profile = new WorkloadIdentityProfile(stack, 'orders', { identity: id });
  tweak?.(profile);
  try {
    app.synth();
  } catch (e) {
    return { error: e as Error, json: readStack(outdir) };
  }
  return { json: readStack(outdir) };
}

function readStack(outdir: string): any {
  const file = path.join(outdir, 'stacks', 'orders', 'cdk.tf.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

const metadataOf = (json: any, type: string) => Object.values(json.resource[type] as Record<string, any>).map((r) => r['//']['iks-workload-identity']);

describe('the Terraform rules at synthesis', () => {
  test('fail app.synth() on Administrator over a whole service, and write no stack', () => {
    // GIVEN an identity granting Administrator on every Secrets Manager instance
    // WHEN its stack is synthesized
    const { error, json } = synth(identity({ policies: [ADMIN_ON_SERVICE] }));
    // THEN synthesis fails naming the rule and the policy, and cdk.tf.json is not written
    expect(error?.message).toMatch(/IWI-P1 ibm_iam_trusted_profile_policy\.orders_policy-admin-secrets_[0-9A-F]+: grants Administrator on every instance of service "secrets-manager"/);
    expect(json).toBeUndefined();
  });

  test('judge what an override writes, not only what the declaration says', () => {
    // GIVEN a Reader policy whose roles an escape-hatch override turns into Administrator
    const id = identity({ policies: [{ ...ADMIN_ON_SERVICE, roles: ['Reader'] }] });
    // WHEN its stack is synthesized
    const { error } = synth(id, (p) => p.policies.get('admin-secrets')!.addOverride('roles', ['Administrator']));
    // THEN the rule sees the overridden roles and fails synthesis
    expect(error?.message).toContain('grants Administrator on every instance of service "secrets-manager"');
  });

  test('pass with an acknowledgement, whose reason cdk.tf.json records on the policy', () => {
    // GIVEN the same identity acknowledging IWI-P1
    const id = identity({ policies: [ADMIN_ON_SERVICE], acknowledgements: [{ ruleId: 'IWI-P1', reason: P1_REASON }] });
    // WHEN its stack is synthesized
    const { error, json } = synth(id);
    // THEN it succeeds and the policy's "//" comment holds the acknowledgement
    expect(error).toBeUndefined();
    expect(metadataOf(json, 'ibm_iam_trusted_profile_policy')).toEqual([{ acknowledge: { 'IWI-P1': P1_REASON } }]);
  });

  test('record an acknowledgement only on the resources its rule judges', () => {
    // GIVEN an identity acknowledging IWI-P1 and IWI-K4 (a Kubernetes rule)
    const id = identity({ policies: [ADMIN_ON_SERVICE], acknowledgements: [
      { ruleId: 'IWI-P1', reason: P1_REASON }, { ruleId: 'IWI-K4', reason: 'not relevant to Terraform' }] });
    // WHEN its stack is synthesized
    const { json } = synth(id);
    // THEN the profile and the link carry none, and the policy only IWI-P1
    expect(metadataOf(json, 'ibm_iam_trusted_profile')).toEqual([undefined]);
    expect(metadataOf(json, 'ibm_iam_trusted_profile_link')).toEqual([undefined]);
    expect(metadataOf(json, 'ibm_iam_trusted_profile_policy')).toEqual([{ acknowledge: { 'IWI-P1': P1_REASON } }]);
  });

  test('pass claim rules without a cluster restriction only as acknowledged, recording the reason', () => {
    // GIVEN claim-rule trust with the cluster restriction dropped and IWI-T1 acknowledged
    const reason = 'the namespace is reserved for this team on every cluster of the account';
    const id = identity({ trust: TrustMode.CLAIM_RULE, restrictClaimRulesToClusters: false, acknowledgements: [{ ruleId: 'IWI-T1', reason }] });
    // WHEN its stack is synthesized
    const { error, json } = synth(id);
    // THEN it succeeds and each claim rule records the acknowledgement
    expect(error).toBeUndefined();
    expect(metadataOf(json, 'ibm_iam_trusted_profile_claim_rule')).toEqual([{ acknowledge: { 'IWI-T1': reason } }]);
  });

  test('record the profile name on every resource when the profile exists already', () => {
    // GIVEN an identity attaching to an existing profile
    const id = identity({ existingProfile: { name: 'orders-legacy', id: 'Profile-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' } });
    // WHEN its stack is synthesized
    const { json } = synth(id);
    // THEN the link records the profile's name, so the check command can match the pods' profile
    expect(metadataOf(json, 'ibm_iam_trusted_profile_link')).toEqual([{ profileName: 'orders-legacy' }]);
  });
});
