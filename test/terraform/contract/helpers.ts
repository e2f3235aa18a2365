// Helpers of the provider-contract suite: each test there encodes one constraint of IBM's
// Terraform provider (IBM-Cloud/terraform-provider-ibm v2.5.0) or of IAM, names its source, and
// asserts on the synthesized Terraform JSON or on the model's error.
import { TerraformStack, Testing } from 'cdktf';
import { AccessPolicyProps, WorkloadIdentity, WorkloadIdentityError, WorkloadIdentityProps } from '../../../src';
import { ibm, WorkloadIdentityProfile } from '../../../src/terraform';
import { Block, IKS_A, Synth } from '../fixtures';

export function props(overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentityProps {
  return { name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [IKS_A], ...overrides };
}

/** Synthesizes identities into one stack, validations included (as `cdktf synth` runs them). */
export function synthStack(...identities: WorkloadIdentity[]): Synth {
  const stack = new TerraformStack(Testing.app(), 'contract');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  for (const identity of identities) new WorkloadIdentityProfile(stack, identity.name, { identity, outputs: false });
  return JSON.parse(Testing.synth(stack, true));
}

/** The policy blocks of one identity with `policies`, by logical ID. */
export function policyBlocks(...policies: AccessPolicyProps[]): Record<string, Block> {
  return synthStack(new WorkloadIdentity(props({ policies }))).resource?.ibm_iam_trusted_profile_policy ?? {};
}

/** The one policy block of an identity with `policy`. */
export function policyBlock(policy: AccessPolicyProps): Block {
  const blocks = Object.values(policyBlocks(policy));
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

/** The model's error for `overrides`; fails the test when the declaration is accepted. */
export function refusal(overrides: Partial<WorkloadIdentityProps>): WorkloadIdentityError {
  try {
    new WorkloadIdentity(props(overrides));
  } catch (e) {
    if (e instanceof WorkloadIdentityError) return e;
    throw new Error(`expected a WorkloadIdentityError, got ${String(e)}`);
  }
  throw new Error('expected a WorkloadIdentityError, but the declaration was accepted');
}

/** The fields of a refusal's problems. */
export function fields(error: WorkloadIdentityError): string[] {
  return error.problems.map((p) => p.field);
}
