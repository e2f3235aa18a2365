import { Facts, isExpression } from './facts';
import { shortValue } from './terraform-values';
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
  fix: 'Remove the policy, or replace it with a policy on the one service (and instance) the workload uses. '
    + 'Write account_management literally (true or false), not as an expression.',
  target: { side: 'terraform', resourceTypes: [POLICY_TYPE] },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const r of facts.terraform?.resources ?? []) {
      if (r.type !== POLICY_TYPE) continue;
      const value = r.body.account_management;
      if (isAccountManagement(value)) {
        out.push({
          object: r.object, file: r.file, acknowledgements: r.acknowledgements,
          message: `grants ${rolesText(r.body.roles)} on the account management services (IAM, billing, ...); grant access to the service the workload uses instead`,
        });
      } else if (value !== undefined && value !== null && value !== false && value !== 'false') {
        // `"${true}"`, `"${var.admin}"`, or a value Terraform would not accept: only plan knows.
        out.push({
          object: r.object, file: r.file, acknowledgements: r.acknowledgements,
          message: `account_management = ${shortValue(value)}${isExpression(value) ? ' is an expression' : ' is not true or false'}: the rule cannot know whether the policy grants ${rolesText(r.body.roles)} on the account management services; write true or false`,
        });
      }
    }
    return out;
  },
};

function rolesText(roles: unknown): string {
  const names = Array.isArray(roles) ? roles.filter((r) => typeof r === 'string') : [];
  return names.length > 0 ? names.join(', ') : 'its roles';
}
