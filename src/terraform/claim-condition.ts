import { Fn, Token } from './engine';
import { IamTrustedProfileClaimRuleConditions } from './generated/providers/ibm/iam-trusted-profile-claim-rule';

/**
 * A `Profile-CR` condition that a claim equals one of `values`: `EQUALS` for one value, `IN`
 * for several.
 *
 * IAM reads a condition's `value` as JSON text: IBM documents a JSON string (`"\"payments\""`)
 * for single values. For `IN` IBM documents no form; we send a JSON array of strings. If IAM
 * turns out to want another form, this function is the only place to change.
 *
 * Values may be Terraform tokens (a looked-up cluster's ID); those are encoded by Terraform's
 * `jsonencode` at plan time, because their text does not exist at synth time.
 */
export function claimEqualsAnyOf(claim: string, values: readonly string[]): IamTrustedProfileClaimRuleConditions {
  if (values.length === 0) {
    throw new Error(`claim "${claim}": a condition needs at least one value`);
  }
  const single = values.length === 1;
  const payload: string | string[] = single ? values[0] : [...values];
  const value = values.some((v) => Token.isUnresolved(v)) ? Fn.jsonencode(payload) : JSON.stringify(payload);
  return { claim, operator: single ? 'EQUALS' : 'IN', value };
}
