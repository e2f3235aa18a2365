import { asBlocks, Facts, isExpression } from './facts';
import { namesDeclaredObject, shortValue } from './terraform-values';
import { AddressSet, Observation, Rule } from './types';

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
    + 'compromised pod read, change or delete every instance of it, and assign access to others. '
    + 'Roles or scopes written as expressions the rule cannot resolve count as possibly so.',
  fix: 'Grant the least role that works (Reader, Writer, a service-specific role), or scope the policy to '
    + 'an instance (resource_instance_id / serviceInstance), a resource or a resource group. Write roles '
    + 'literally, and scopes literally or as a reference to a resource or data source of the same configuration.',
  target: { side: 'terraform', resourceTypes: [POLICY_TYPE] },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const r of facts.terraform?.resources ?? []) {
      if (r.type !== POLICY_TYPE || isAccountManagement(r.body.account_management)) continue;
      const roles = powerfulRoles(r.body.roles);
      const unknownRoles = unknownRolesOf(r.body.roles);
      if (roles.length === 0 && unknownRoles === undefined) continue;
      const scope = scopeOf(r.body, r.declared);
      if (scope.scoped) continue;
      const granted = roles.length > 0 ? roles.join(' and ') : `roles the rule cannot know (${unknownRoles})`;
      const reach = scope.unknown !== undefined
        ? `scoped only by ${scope.unknown}, an expression the rule cannot resolve`
        : scope.breadth;
      const fix = roles.length > 0
        ? 'grant a lesser role or scope the policy to an instance, a resource or a resource group'
        : 'write the roles literally so they can be judged';
      out.push({
        object: r.object, file: r.file, acknowledgements: r.acknowledgements,
        message: `grants ${granted} ${reach}; ${scope.unknown !== undefined ? 'write the scope literally or reference the instance\'s resource or data source in this configuration, or ' : ''}${fix}`,
      });
    }
    return out;
  },
};

export function isAccountManagement(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A short description of the roles that are expressions (or not strings), or undefined. */
function unknownRolesOf(roles: unknown): string | undefined {
  if (roles === undefined || roles === null) return undefined;
  if (!Array.isArray(roles)) return `roles = ${shortValue(roles)}`;
  const unknown = roles.filter((r) => typeof r !== 'string' || isExpression(r));
  return unknown.length > 0 ? unknown.map((r) => shortValue(r)).join(', ') : undefined;
}

interface Scope {
  readonly scoped: boolean;
  /** How far an unscoped policy reaches. */
  readonly breadth: string;
  /** The scoping fields set to expressions that cannot be resolved, when no field narrows. */
  readonly unknown?: string;
}

/** Whether the policy is scoped, and if not, how far it reaches. */
function scopeOf(body: any, declared: AddressSet): Scope {
  const resources = asBlocks(body.resources)[0];
  const attributes = asBlocks(body.resource_attributes);
  const unknown: string[] = [];
  const narrows = (field: string, value: unknown): boolean => {
    const n = narrowing(value, declared);
    if (n === undefined) unknown.push(`${field} = ${shortValue(value)}`);
    return n === true;
  };
  let breadth: string;
  if (resources) {
    if (SCOPING_RESOURCE_FIELDS.filter((f) => resources[f] !== undefined).some((f) => narrows(f, resources[f]))) return { scoped: true, breadth: '' };
    const extra = resources.attributes;
    if (isExpression(extra)) unknown.push(`attributes = ${shortValue(extra)}`);
    if (extra && typeof extra === 'object' && SCOPING_ATTRIBUTES.filter((a) => extra[a] !== undefined).some((a) => narrows(a, extra[a]))) return { scoped: true, breadth: '' };
    breadth = typeof resources.service === 'string' && resources.service !== ''
      ? `on every instance of service "${resources.service}"`
      : 'on every resource in the account';
  } else if (attributes.length > 0) {
    if (attributes.filter((a) => SCOPING_ATTRIBUTES.includes(a.name)).some((a) => narrows(a.name, a.value))) return { scoped: true, breadth: '' };
    const service = attributes.find((a) => a.name === 'serviceName')?.value;
    breadth = typeof service === 'string' ? `on every instance of service "${service}"` : 'on every resource the attributes match, account-wide';
  } else {
    if (isExpression(body.resources) || isExpression(body.resource_attributes)) unknown.push('resources');
    // `dynamic "resources"` or `dynamic "resource_attributes"` blocks: known only at plan time.
    for (const d of asBlocks(body.dynamic)) {
      for (const block of ['resources', 'resource_attributes']) if (d[block] !== undefined) unknown.push(`a dynamic "${block}" block`);
    }
    breadth = 'on every resource in the account (the policy names no resources)';
  }
  return { scoped: false, breadth, ...(unknown.length > 0 ? { unknown: unknown.join(', ') } : {}) };
}

/**
 * Whether a scoping value narrows: true for a literal other than a bare wildcard or for a
 * reference to an object of the configuration, false for empty or `*`, undefined for another
 * expression (its value is only known at plan time).
 */
function narrowing(value: unknown, declared: AddressSet): boolean | undefined {
  if (isExpression(value)) return namesDeclaredObject(value, declared) ? true : undefined;
  return typeof value === 'string' && value.trim() !== '' && value.trim() !== '*';
}
