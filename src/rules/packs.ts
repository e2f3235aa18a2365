// Rules grouped by what they need to see: one side's outputs, or both.
import { IWI_G1 } from './iwi-g1';
import { IWI_K1 } from './iwi-k1';
import { IWI_K2 } from './iwi-k2';
import { IWI_K3 } from './iwi-k3';
import { IWI_K4 } from './iwi-k4';
import { IWI_K5 } from './iwi-k5';
import { IWI_K6 } from './iwi-k6';
import { IWI_L1 } from './iwi-l1';
import { IWI_L2 } from './iwi-l2';
import { IWI_P1 } from './iwi-p1';
import { IWI_P2 } from './iwi-p2';
import { IWI_S1 } from './iwi-s1';
import { IWI_T1 } from './iwi-t1';
import { IWI_T2 } from './iwi-t2';
import { IWI_X1 } from './iwi-x1';
import { IWI_X2 } from './iwi-x2';
import { IWI_X3 } from './iwi-x3';
import { Rule } from './types';

/** Policies and trust, judged on Terraform JSON; run when a WorkloadIdentityProfile synthesizes. */
export const TERRAFORM_PACK: readonly Rule[] = [IWI_P1, IWI_P2, IWI_T1, IWI_T2];
/** The projected token in pod templates; run when a bound workload synthesizes. */
export const KUBERNETES_PACK: readonly Rule[] = [IWI_K1, IWI_K2, IWI_K3, IWI_K4, IWI_K5, IWI_K6];
/** Pod Security "restricted"; run when a bound workload synthesizes. */
export const POD_SECURITY_PACK: readonly Rule[] = [IWI_S1];
/** Both sides against each other; only `iks-workload-identity check` sees both. */
export const CROSS_PACK: readonly Rule[] = [IWI_X1, IWI_X2, IWI_X3];
/**
 * What only all the stacks of an account together show: IAM's account limits, and access groups
 * managed twice. `iks-workload-identity check` runs them (synthesis checks one stack's limits in
 * `IdentityStackResources`, and makes one membership resource per group per stack).
 */
export const ACCOUNT_PACK: readonly Rule[] = [IWI_L1, IWI_L2, IWI_G1];

/**
 * The rules that judge Kubernetes objects alone, given no Terraform facts: each bound workload's
 * cdk8s validation runs them, and `iks-workload-identity synth` runs them as soon as the
 * Kubernetes side is rendered, before the Terraform side is in.
 */
export const KUBERNETES_SIDE_RULES: readonly Rule[] = [...KUBERNETES_PACK, ...POD_SECURITY_PACK];

export const ALL_RULES: readonly Rule[] = [...TERRAFORM_PACK, ...KUBERNETES_PACK, ...POD_SECURITY_PACK, ...CROSS_PACK, ...ACCOUNT_PACK];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
