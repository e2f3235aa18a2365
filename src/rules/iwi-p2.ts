import { Facts } from './facts';
import { isAccountManagement, POLICY_TYPE } from './iwi-p1';
import { Observation, Rule } from './types';

export const IWI_P2: Rule = {
  id: 'IWI-P2',
  severity: 'error',
  title: 'Policy on account management services',
  explanation: 'account_management = true grants the roles on the account itself: IAM (users, '
    + 'service IDs, trusted profiles, access groups and their policies), billing, the catalog, '
    + 'support cases. A workload almost never needs that, and with Editor or Administrator it '
    + 'can grant itself anything.',
  fix: 'Remove the policy, or replace it with a policy on the one service (and instance) the workload uses.',
  target: { side: 'terraform', resourceTypes: [POLICY_TYPE] },
  check(facts: Facts): Observation[] {
    return (facts.terraform?.resources ?? [])
      .filter((r) => r.type === POLICY_TYPE && isAccountManagement(r.body.account_management))
      .map((r) => ({
        object: r.object, file: r.file, acknowledgements: r.acknowledgements,
        message: `grants ${rolesText(r.body.roles)} on the account management services (IAM, billing, ...); grant access to the service the workload uses instead`,
      }));
  },
};

function rolesText(roles: unknown): string {
  const names = Array.isArray(roles) ? roles.filter((r) => typeof r === 'string') : [];
  return names.length > 0 ? names.join(', ') : 'its roles';
}
