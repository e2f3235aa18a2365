import { asBlocks, Facts, isExpression } from './facts';
import { clusterValues, shortValue } from './terraform-values';
import { Observation, Rule } from './types';

export const CLAIM_RULE_TYPE = 'ibm_iam_trusted_profile_claim_rule';
export const LINK_TYPE = 'ibm_iam_trusted_profile_link';

/** Claims that pin a compute-resource token to particular clusters. */
const CLUSTER_CLAIMS = ['service_instance', 'crn'];
const RESTRICTING_OPERATORS = ['EQUALS', 'EQUALS_IGNORE_CASE', 'IN'];

/** The conditions of a claim rule, as `{ claim, operator, value }` objects. */
export function conditionsOf(body: any): Record<string, any>[] {
  return asBlocks(body?.conditions);
}

/** Whether a claim rule is for Kubernetes service accounts (not a SAML rule). */
export function isComputeClaimRule(body: any): boolean {
  return body?.type === 'Profile-CR' || (body?.type === undefined && body?.cr_type !== undefined);
}

/**
 * The values a condition accepts, when the condition says the claim equals one of them.
 * IAM reads `value` as JSON text (a string, or an array for IN); a bare string is taken as is.
 * Undefined when the condition is not an equality or its value is only known at plan time.
 */
export function acceptedValues(condition: Record<string, any>): string[] | undefined {
  if (!RESTRICTING_OPERATORS.includes(condition.operator) || typeof condition.value !== 'string') return undefined;
  if (isExpression(condition.value)) return undefined;
  let parsed: unknown = condition.value;
  try {
    parsed = JSON.parse(condition.value);
  } catch {
    // A bare string: IAM's console writes values without JSON quotes too.
  }
  const values = Array.isArray(parsed) ? parsed : [parsed];
  return values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

export const IWI_T1: Rule = {
  id: 'IWI-T1',
  severity: 'error',
  title: 'Claim rule without a cluster restriction',
  explanation: 'A Profile-CR claim rule on namespace and service-account name alone trusts that '
    + 'namespace and service account in every IKS or ROKS cluster of the account, including clusters '
    + 'created later and clusters whose administrators should not reach this profile. A type, claim, '
    + 'operator or cluster value written as an expression the rule cannot resolve counts as no restriction.',
  fix: 'Add a condition on the claim service_instance (the cluster ID) with EQUALS or IN, or use one '
    + 'link per cluster instead of a claim rule. Write the rule\'s type and conditions literally; a cluster '
    + 'may be named by a reference to an ibm_container_vpc_cluster or ibm_container_cluster data source of the same configuration.',
  target: { side: 'terraform', resourceTypes: [CLAIM_RULE_TYPE] },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const r of facts.terraform?.resources ?? []) {
      if (r.type !== CLAIM_RULE_TYPE) continue;
      // Whether the rule is for compute resources at all is unknown when its type is an expression.
      const unknownType = isExpression(r.body?.type) ? ['type', r.body.type]
        : r.body?.type === undefined && isExpression(r.body?.cr_type) ? ['cr_type', r.body.cr_type] : undefined;
      if (!unknownType && !isComputeClaimRule(r.body)) continue;
      const observe = (message: string) => out.push({ object: r.object, file: r.file, acknowledgements: r.acknowledgements, message });
      if (isExpression(r.body.conditions)) {
        observe(`conditions = ${shortValue(r.body.conditions)} is an expression: the rule cannot know whether it restricts the cluster; write the conditions literally`);
        continue;
      }
      // A `dynamic "conditions"` block adds conditions known only at plan time.
      const dynamic = asBlocks(r.body.dynamic).some((d) => d.conditions !== undefined);
      const conditions = conditionsOf(r.body);
      const restricted = conditions.some((c) => CLUSTER_CLAIMS.includes(c.claim) && RESTRICTING_OPERATORS.includes(c.operator)
        && (isExpression(c.value) ? clusterValues(c.value, r.declared) !== undefined : (acceptedValues(c) ?? []).some((v) => v.trim() !== '')));
      const unknown = [
        ...(unknownType ? [`${unknownType[0]} = ${shortValue(unknownType[1])}`] : []),
        ...conditions.flatMap((c) => ['claim', 'operator', ...(CLUSTER_CLAIMS.includes(c.claim) ? ['value'] : [])]
          .filter((k) => isExpression(c[k])).map((k) => `${k} = ${shortValue(c[k])}`)),
      ];
      if (restricted) continue;
      if (dynamic) {
        observe('its conditions come (in part) from a dynamic "conditions" block: the rule cannot know whether they restrict the cluster; write the cluster condition as a literal conditions block');
        continue;
      }
      if (unknown.length > 0) {
        observe(`${unknown.join(', ')} ${unknown.length > 1 ? 'are expressions' : 'is an expression'} the rule cannot resolve, so it cannot tell whether the rule is restricted to clusters; write ${unknown.length > 1 ? 'them' : 'it'} literally, or name the cluster by a reference to its data source in this configuration`);
        continue;
      }
      observe(`trusts ${trusted(r.body)} in every cluster of the account: no condition restricts the claim service_instance (cluster ID) or crn; add one`);
    }
    return out;
  },
};

function trusted(body: any): string {
  const valuesOf = (claim: string) => conditionsOf(body).filter((c) => c.claim === claim).map((c) => c.value).join(', ');
  const ns = valuesOf('namespace');
  const name = valuesOf('name');
  return `${name ? `service account ${name}` : 'every service account'} in ${ns ? `namespace ${ns}` : 'every namespace'}`;
}
