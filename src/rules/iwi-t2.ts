import { Facts } from './facts';
import { CLAIM_RULE_TYPE, LINK_TYPE } from './iwi-t1';
import { trustsOf } from './trust';
import { Observation, Rule } from './types';

export const IWI_T2: Rule = {
  id: 'IWI-T2',
  severity: 'warning',
  title: 'Profile trusts a namespace\'s default service account',
  explanation: 'Every pod that names no service account runs as its namespace\'s "default" one. A profile '
    + 'that trusts it (by a link, or a claim rule whose name condition accepts "default" or is missing) '
    + 'gives its IAM access to every such pod in the namespace, whoever deploys it.',
  fix: 'Give the workload its own service account and trust only that one; for a claim rule, add a '
    + 'condition on the claim name. If "default" is meant, acknowledge IWI-T2 on the link or claim rule.',
  target: { side: 'terraform', resourceTypes: [LINK_TYPE, CLAIM_RULE_TYPE] },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    const reported = new Set<string>();
    for (const t of trustsOf(facts.terraform ?? { documents: [], resources: [] })) {
      // Only a certain "yes": a name known at plan time only is IWI-T1's and the reviewer's call.
      if (t.accepts(undefined, 'default') !== 'yes' || reported.has(t.resource.object)) continue;
      reported.add(t.resource.object);
      const r = t.resource;
      out.push({
        object: r.object, file: r.file, acknowledgements: r.acknowledgements,
        message: r.type === LINK_TYPE
          ? `trusts ${t.describe}, the service account of every pod in that namespace that names none; trust a service account of the workload's own`
          : `accepts the service account "default" (${t.describe}), so every pod without its own service account gets the profile; add a condition name EQUALS "<service account>"`,
      });
    }
    return out;
  },
};
