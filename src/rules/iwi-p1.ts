import { asBlocks, Facts, isExpression } from './facts';
import { Observation, Rule } from './types';

export const POLICY_TYPE = 'ibm_iam_trusted_profile_policy';

/** Attributes that narrow a policy to instances, resources or a resource group. */
export const SCOPING_ATTRIBUTES: readonly string[] = ['serviceInstance', 'resource', 'resourceGroupId'];
const SCOPING_RESOURCE_FIELDS = ['resource_instance_id', 'resource', 'resource_group_id'];

/** Role names (or role CRNs, which end in the name) that administer what they are granted on. */
export function powerfulRoles(roles: unknown): string[] {
  return (Array.isArray(roles) ? roles : [])
    .filter((r): r is string => typeof r === 'string')
    .filter((r) => /(^|:)(Administrator|Manager)$/.test(r));
}

export const IWI_P1: Rule = {
  id: 'IWI-P1',
  severity: 'error',
  title: 'Administrator or Manager granted unscoped or account-wide',
  explanation: 'A pod that can assume the profile holds every role of its policies. Administrator '
    + '(platform) and Manager (service) on a whole service, or on the whole account, let one '
    + 'compromised pod read, change or delete every instance of it, and assign access to others.',
  fix: 'Grant the least role that works (Reader, Writer, a service-specific role), or scope the policy to '
    + 'an instance (resource_instance_id / serviceInstance), a resource or a resource group.',
  target: { side: 'terraform', resourceTypes: [POLICY_TYPE] },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const r of facts.terraform?.resources ?? []) {
      if (r.type !== POLICY_TYPE) continue;
      const roles = powerfulRoles(r.body.roles);
      if (roles.length === 0 || isAccountManagement(r.body.account_management)) continue;
      const breadth = unscopedBreadth(r.body);
      if (!breadth) continue;
      out.push({
        object: r.object, file: r.file, acknowledgements: r.acknowledgements,
        message: `grants ${roles.join(' and ')} ${breadth}; grant a lesser role or scope the policy to an instance, a resource or a resource group`,
      });
    }
    return out;
  },
};

export function isAccountManagement(value: unknown): boolean {
  return value === true || value === 'true';
}

/** How far an unscoped policy reaches, or undefined when it is scoped. */
function unscopedBreadth(body: any): string | undefined {
  const resources = asBlocks(body.resources)[0];
  const attributes = asBlocks(body.resource_attributes);
  if (resources) {
    if (SCOPING_RESOURCE_FIELDS.some((f) => narrows(resources[f]))) return undefined;
    const extra = resources.attributes;
    if (extra && typeof extra === 'object' && SCOPING_ATTRIBUTES.some((a) => narrows(extra[a]))) return undefined;
    return typeof resources.service === 'string' && resources.service !== ''
      ? `on every instance of service "${resources.service}"`
      : 'on every resource in the account';
  }
  if (attributes.length > 0) {
    if (attributes.some((a) => SCOPING_ATTRIBUTES.includes(a.name) && narrows(a.value))) return undefined;
    const service = attributes.find((a) => a.name === 'serviceName')?.value;
    return typeof service === 'string' ? `on every instance of service "${service}"` : 'on every resource the attributes match, account-wide';
  }
  return 'on every resource in the account (the policy names no resources)';
}

/** A set value narrows unless it is a bare wildcard; expressions are trusted to narrow. */
function narrows(value: unknown): boolean {
  if (isExpression(value)) return true;
  return typeof value === 'string' && value.trim() !== '' && value.trim() !== '*';
}
