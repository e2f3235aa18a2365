import { Facts, TerraformResource } from './facts';
import { Observation, Rule } from './types';

export const ACCESS_GROUP_MEMBERS_TYPE = 'ibm_iam_access_group_members';

export const IWI_G1: Rule = {
  id: 'IWI-G1',
  severity: 'error',
  title: 'Access group membership managed twice',
  explanation: 'ibm_iam_access_group_members owns the whole member list of its group: the IBM provider '
    + '(v2.5.0, resource_ibm_iam_access_group_members.go) reads back every member and removes, on the next '
    + 'apply, those its configuration does not list. Two such resources on one group, in one stack or in '
    + 'two, remove each other\'s members on every apply, and the workloads lose their access in turn.',
  fix: 'Manage each access group\'s members in one ibm_iam_access_group_members (the library makes one per '
    + 'group per stack): deploy the identities that share a group from one stack, or give each stack its own group.',
  target: { side: 'terraform', resourceTypes: [ACCESS_GROUP_MEMBERS_TYPE] },
  check(facts: Facts): Observation[] {
    const byGroup = new Map<string, TerraformResource[]>();
    for (const r of facts.terraform?.resources ?? []) {
      const group = r.body?.access_group_id;
      if (r.type !== ACCESS_GROUP_MEMBERS_TYPE || typeof group !== 'string' || group.includes('${')) continue;
      byGroup.set(group, [...(byGroup.get(group) ?? []), r]);
    }
    const out: Observation[] = [];
    for (const [group, [first, ...others]] of byGroup) {
      for (const r of others) {
        out.push({
          object: r.object, file: r.file, acknowledgements: r.acknowledgements,
          message: `manages the members of ${group}, as ${first.object} (${first.file}) does; each removes the other's members on apply`,
        });
      }
    }
    return out;
  },
};
