import { asBlocks, Facts, isExpression } from './facts';
import { acceptedValues, CLAIM_RULE_TYPE, conditionsOf, isComputeClaimRule, LINK_TYPE } from './iwi-t1';
import { Observation, Rule } from './types';

export const IWI_X1: Rule = {
  id: 'IWI-X1',
  severity: 'warning',
  title: 'Trusted service account missing from the manifests',
  explanation: 'A link or claim rule trusts a namespace and service account for which the manifests '
    + 'define no ServiceAccount: the two sides have drifted apart (a renamed or deleted workload), '
    + 'and whoever can create that service account in that namespace, later, gets the profile.',
  fix: 'Remove the stale link or claim rule, or add the ServiceAccount to the manifests. If another tool '
    + 'creates it, acknowledge IWI-X1 on the link or claim rule with that reason.',
  target: { side: 'terraform', resourceTypes: [LINK_TYPE, CLAIM_RULE_TYPE] },
  check(facts: Facts): Observation[] {
    const k8s = facts.kubernetes;
    if (!k8s || !facts.terraform) return [];
    // A manifest without a namespace is applied to whatever namespace kubectl targets: it may be any.
    const defined = (namespace: string, name?: string) => k8s.serviceAccounts.some((sa) =>
      (sa.namespace === undefined || sa.namespace === namespace) && (name === undefined || sa.name === name));
    const out: Observation[] = [];
    for (const r of facts.terraform.resources) {
      for (const { namespace, name } of trustedAccounts(r.type, r.body)) {
        if (defined(namespace, name)) continue;
        out.push({
          object: r.object, file: r.file, acknowledgements: r.acknowledgements,
          message: name === undefined
            ? `trusts every service account in namespace "${namespace}", but the manifests define no ServiceAccount there; remove the trust or add the ServiceAccount`
            : `trusts service account ${namespace}/${name}, but the manifests define no such ServiceAccount; remove the stale trust or add the ServiceAccount`,
        });
      }
    }
    return out;
  },
};

/** The namespace/name pairs a link or claim rule trusts, where both are known before plan. */
function trustedAccounts(type: string, body: any): { namespace: string; name?: string }[] {
  if (type === LINK_TYPE) {
    return asBlocks(body.link)
      .filter((l) => typeof l.namespace === 'string' && typeof l.name === 'string' && !isExpression(l.namespace) && !isExpression(l.name))
      .map((l) => ({ namespace: l.namespace, name: l.name }));
  }
  if (type !== CLAIM_RULE_TYPE || !isComputeClaimRule(body)) return [];
  const conditions = conditionsOf(body);
  const values = (claim: string): string[] | undefined | null => {
    const matching = conditions.filter((c) => c.claim === claim);
    if (matching.length === 0) return null; // unconstrained
    return acceptedValues(matching[0]); // undefined: not knowable here
  };
  const namespaces = values('namespace');
  const names = values('name');
  if (!namespaces || names === undefined) return [];
  return namespaces.flatMap((namespace) => (names === null ? [{ namespace }] : names.map((name) => ({ namespace, name }))));
}
