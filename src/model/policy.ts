import { ACCOUNT_LIMITS } from './account-limits';
import { parseCrn } from './crn';
import { frozenCopy, ProblemCollector } from './errors';
import { freeTextProblem, literalProblem } from './literal';
import { isDns1123Label } from './names';
import { resolveRuleConditions } from './policy-conditions';
import { GENERIC_ROLES, IamRole, misspelledRole } from './roles';

/**
 * Scope of a policy by service, instance, region, resource group and resource (`resources {}`).
 * IAM needs one of `service`, `serviceType`, `serviceGroupId` or `resourceGroupId` (an instance
 * CRN supplies `service`); the first three are mutually exclusive.
 */
export interface PolicyResources {
  /**
   * Service name, e.g. `secrets-manager`, `cloud-object-storage`. Needed for service-specific
   * roles such as `SecretsReader`. @default - taken from a CRN in `resourceInstanceId`, else none
   */
  readonly service?: string;
  /**
   * The service instance: its GUID, or its CRN (the GUID is taken from the CRN, whose service
   * name must then match `service`, which it also fills in). @default - every instance
   */
  readonly resourceInstanceId?: string;
  /** Region, e.g. `us-south`. @default - every region */
  readonly region?: string;
  /** Resource type within the service, e.g. `bucket` or `secret-group`. @default - every type */
  readonly resourceType?: string;
  /** The resource of that type, e.g. a bucket name or secret-group ID. @default - every resource */
  readonly resource?: string;
  /** Resource group ID. @default - every resource group */
  readonly resourceGroupId?: string;
  /**
   * Service type: `service` (every IAM-enabled service) or `platform_service`. Excludes
   * `service` and `serviceGroupId`. @default - not restricted
   */
  readonly serviceType?: string;
  /** Service group ID, e.g. `IAM`. Excludes `service` and `serviceType`. @default - not restricted */
  readonly serviceGroupId?: string;
  /** Further attributes, as IAM names them. @default - none */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** One condition on a resource attribute (`resource_attributes {}`). */
export interface PolicyResourceAttribute {
  readonly name: string;
  readonly value: string;
  /** `stringEquals` or `stringMatch`. @default "stringEquals" */
  readonly operator?: string;
}

/** One condition on a resource's access-management tag (`resource_tags {}`). */
export interface PolicyResourceTag {
  readonly name: string;
  readonly value: string;
  /** `stringEquals` or `stringMatch`. @default "stringEquals" */
  readonly operator?: string;
}

/**
 * A condition on the request context, e.g. the time of day (`rule_conditions {}`). See
 * `TimeConditions` for time-based access.
 */
export interface PolicyRuleCondition {
  /** The attribute, e.g. `{{environment.attributes.current_time}}`. */
  readonly key: string;
  /** The operator, e.g. `timeGreaterThanOrEquals` or `dayOfWeekAnyOf`. */
  readonly operator: string;
  /** The values compared with. */
  readonly value: readonly string[];
}

/**
 * An access policy of the trusted profile. Give exactly one resource shape: `resources`,
 * `resourceAttributes` or `accountManagement: true`.
 */
export interface AccessPolicyProps {
  /**
   * A stable key for the policy: a DNS-1123 label unique within the identity. It names the
   * Terraform resource, so renaming a policy replaces it, while reordering does not.
   */
  readonly name: string;
  /** IAM role names, e.g. `[PlatformRole.VIEWER, 'SecretsReader']`. Must not be empty. */
  readonly roles: readonly IamRole[];
  /** @default - none */
  readonly description?: string;
  /** @default - none; then another resource shape is required */
  readonly resources?: PolicyResources;
  /** @default - none; then another resource shape is required */
  readonly resourceAttributes?: readonly PolicyResourceAttribute[];
  /** Grants the roles on account-management services. @default false */
  readonly accountManagement?: boolean;
  /**
   * Narrows the policy to resources with these access tags. IAM accepts tags only on a policy for
   * all IAM-enabled services: `resources: { serviceType: 'service' }` and no other attribute
   * (IBM's `known-issues.md`; the provider's docs for `resource_tags`). @default - none
   */
  readonly resourceTags?: readonly PolicyResourceTag[];
  /** Conditions on the request, e.g. working hours. @default - none: the policy always applies */
  readonly ruleConditions?: readonly PolicyRuleCondition[];
  /**
   * How several `ruleConditions` combine. Time-based conditions always combine with "and". Not
   * sent for one condition: the provider folds a one-condition rule.
   * @default - "and" when there is more than one condition
   */
  readonly ruleOperator?: 'and' | 'or';
  /**
   * The pattern IAM requires for a policy with `ruleConditions`, e.g.
   * `time-based-conditions:weekly:custom-hours`. Derived from time conditions (as
   * `TimeConditions` builds them); required for other conditions.
   * @default - derived from `ruleConditions`; none without conditions
   */
  readonly pattern?: string;
}

/** A validated access policy. */
export interface AccessPolicy extends AccessPolicyProps {
  readonly roles: readonly string[];
  readonly shape: 'resources' | 'resourceAttributes' | 'accountManagement';
  /**
   * Whether the policy has `ruleConditions`. The provider creates a conditional policy through
   * IAM's v2 API and a plain one through v1, and cannot turn one into the other in place, so the
   * Terraform side gives the two kinds different addresses.
   */
  readonly conditional: boolean;
}

const SHAPES = 'resources, resourceAttributes or accountManagement: true';
/** The attributes of which IAM needs one in every policy resource (`iampolicymanagementv1`). */
const ANCHORS = 'service, serviceType, serviceGroupId or resourceGroupId';

/** @internal */
export function resolvePolicies(problems: ProblemCollector, input: unknown): AccessPolicy[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('policies', input, 'policies is a list of access policies; wrap it in [ ]');
    return [];
  }
  if (input.length > ACCOUNT_LIMITS.policiesPerSubject) {
    problems.add('policies', `${input.length} policies`, `IAM allows at most ${ACCOUNT_LIMITS.policiesPerSubject} policies per subject, this identity declares ${input.length}; put the shared access into an IAM access group and list it in accessGroups, or split the identity`);
  }
  const policies: AccessPolicy[] = [];
  const names = new Map<string, number>();
  input.forEach((raw: AccessPolicyProps, i) => {
    const field = `policies[${i}]`;
    const before = problems.count;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.add(field, raw, 'each policy is an object { name, roles, resources }');
      return;
    }
    if (typeof raw.name !== 'string' || !isDns1123Label(raw.name)) {
      problems.add(`${field}.name`, raw.name, 'a policy name is a DNS-1123 label (lowercase letters, digits, "-", at most 63) that stays stable: it keys the Terraform resource; name it after what it grants, e.g. "read-secrets"');
    } else if (names.has(raw.name)) {
      problems.add(`${field}.name`, raw.name, `policies[${names.get(raw.name)}] has the same name; policy names key Terraform resources, so give each policy its own`);
    } else {
      names.set(raw.name, i);
    }
    if (raw.description !== undefined) {
      if (typeof raw.description !== 'string') problems.add(`${field}.description`, raw.description, 'a policy description is a string; leave it out for none');
      else if (freeTextProblem(raw.description)) problems.add(`${field}.description`, raw.description, freeTextProblem(raw.description)!);
    }
    const shapes: AccessPolicy['shape'][] = [];
    if (raw.resources !== undefined) shapes.push('resources');
    if (raw.resourceAttributes !== undefined) shapes.push('resourceAttributes');
    if (raw.accountManagement !== undefined && raw.accountManagement !== false) shapes.push('accountManagement');
    if (shapes.length !== 1) {
      // Show what was given: no shape field at all, or the names of the competing ones.
      problems.add(field, shapes.length === 0 ? {} : shapes, `a policy has exactly one resource shape (${SHAPES}), this one has ${shapes.length === 0 ? 'none' : shapes.join(' and ')}; ${shapes.length === 0 ? 'scope it with resources: { service, resourceInstanceId }' : 'split it into one policy per shape'}`);
    }
    if (raw.accountManagement !== undefined && typeof raw.accountManagement !== 'boolean') {
      problems.add(`${field}.accountManagement`, raw.accountManagement, 'accountManagement is true or false');
    }
    const beforeScope = problems.count;
    if (raw.resources !== undefined) checkResources(problems, `${field}.resources`, raw.resources);
    if (raw.resourceAttributes !== undefined) checkConditions(problems, `${field}.resourceAttributes`, raw.resourceAttributes, true);
    if (raw.resourceTags !== undefined) checkConditions(problems, `${field}.resourceTags`, raw.resourceTags, false);
    const resources = problems.count === beforeScope ? normalizeResources(raw.resources) : undefined;
    if (problems.count === beforeScope && shapes.length === 1) {
      if (raw.resourceAttributes !== undefined) checkAttributeAnchor(problems, `${field}.resourceAttributes`, raw.resourceAttributes);
      if (raw.resourceTags !== undefined && raw.resourceTags.length > 0) checkTagScope(problems, field, shapes[0], resources);
    }
    checkRoles(problems, `${field}.roles`, raw.roles, shapes.length === 1 && problems.count === beforeScope ? roleScope(shapes[0], raw, resources) : undefined);
    const conditions = resolveRuleConditions(problems, field, raw);
    if (problems.count > before) return;
    policies.push(frozenCopy({
      ...raw,
      resources,
      ...(conditions ?? {}),
      // Resolved, not as given: absent for one condition, which the provider folds.
      ruleOperator: conditions?.ruleOperator,
      shape: shapes[0],
      conditional: conditions !== undefined,
    }) as AccessPolicy);
  });
  return policies;
}

/** Where the provider looks the roles up: within a service, or among all IAM service roles. */
type RoleScope = { readonly service: string } | 'generic' | 'unrestricted';

/**
 * Mirrors `GenerateV2PolicyOptions` (provider v2.5.0, `ibm/flex/structures.go`): the roles are
 * listed for `serviceName`; for a resource group (`resourceType: resource-group`) for
 * `resource-controller`; with a service group or account management by that; otherwise
 * among "all IAM service roles", where service-specific roles do not exist.
 */
function roleScope(shape: AccessPolicy['shape'], raw: AccessPolicyProps, resources: PolicyResources | undefined): RoleScope {
  if (shape === 'accountManagement') return 'unrestricted';
  if (shape === 'resources') {
    if (resources?.service !== undefined) return { service: resources.service };
    if (resources?.serviceGroupId !== undefined || resources?.resourceType === 'resource-group') return 'unrestricted';
    return 'generic';
  }
  const attrs = raw.resourceAttributes ?? [];
  const service = attrs.find((a) => a.name === 'serviceName')?.value;
  if (service !== undefined) return { service };
  if (attrs.some((a) => a.name === 'service_group_id' || (a.name === 'resourceType' && a.value === 'resource-group'))) return 'unrestricted';
  return 'generic';
}

function checkRoles(problems: ProblemCollector, field: string, roles: unknown, scope: RoleScope | undefined): void {
  if (!Array.isArray(roles) || roles.length === 0) {
    problems.add(field, roles, 'a policy grants at least one role; list roles such as ["Reader"] or ["SecretsReader"]');
    return;
  }
  const seen = new Set<string>();
  roles.forEach((role, j) => {
    if (typeof role !== 'string' || role.trim() === '' || role !== role.trim()) {
      problems.add(`${field}[${j}]`, role, 'a role is a non-empty IAM role name without surrounding spaces, e.g. "Viewer" or "Writer"');
    } else if (literalProblem(role)) {
      problems.add(`${field}[${j}]`, role, literalProblem(role)!);
    } else if (misspelledRole(role)) {
      problems.add(`${field}[${j}]`, role, `IAM matches role display names exactly, case included (the provider's FindRoleByName), so "${role}" fails at apply; write "${misspelledRole(role)}"`);
    } else if (seen.has(role)) {
      problems.add(`${field}[${j}]`, role, 'the role is listed twice; list each role once');
    } else {
      seen.add(role);
      if (scope === 'generic' && !GENERIC_ROLES.includes(role)) {
        problems.add(`${field}[${j}]`, role, `without a service in the scope, the provider looks roles up among the roles every service has (${GENERIC_ROLES.join(', ')}), so the service-specific role "${role}" fails at apply; add the service to the scope (resources.service or a resourceInstanceId CRN)`);
      }
    }
  });
}

function checkResources(problems: ProblemCollector, field: string, resources: PolicyResources): void {
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    problems.add(field, resources, 'resources is an object such as { service: "secrets-manager", resourceInstanceId: "<guid>" }');
    return;
  }
  const set = Object.entries(resources).filter(([k, v]) => v !== undefined
    && !(k === 'attributes' && v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
  if (set.length === 0) {
    problems.add(field, resources, 'an empty resources block grants the roles on every resource in the account; name at least the service and, for least privilege, the instance');
    return;
  }
  const before = problems.count;
  for (const [key, value] of set) {
    if (!RESOURCE_KEYS.includes(key)) {
      problems.add(`${field}.${key}`, value, `unknown scope attribute; resources takes ${RESOURCE_KEYS.join(', ')} (other IAM attributes go into attributes)`);
    } else if (key === 'attributes') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.add(`${field}.attributes`, value, 'attributes maps attribute names to non-empty strings');
      } else {
        for (const [name, v] of Object.entries(value)) {
          if (typeof v !== 'string' || v === '') problems.add(`${field}.attributes.${name}`, v, 'each attribute value is a non-empty string');
          else if (literalProblem(v) ?? literalProblem(name)) problems.add(`${field}.attributes.${name}`, v, (literalProblem(v) ?? literalProblem(name))!);
        }
      }
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.add(`${field}.${key}`, value, `${key} is a non-empty string; leave it out to not restrict on it`);
    } else if (literalProblem(value)) {
      problems.add(`${field}.${key}`, value, literalProblem(value)!);
    } else if (key === 'resourceInstanceId' && value.startsWith('crn:')) {
      const crn = parseCrn(value);
      if (typeof crn === 'string' || !crn.serviceInstance) {
        problems.add(`${field}.resourceInstanceId`, value, `${typeof crn === 'string' ? crn : 'the CRN names no instance'}; give the instance's GUID or its full CRN`);
      } else if (resources.service !== undefined && resources.service !== crn.serviceName) {
        problems.add(`${field}.service`, resources.service, `resourceInstanceId is a CRN of service "${crn.serviceName}"; set service to "${crn.serviceName}" or leave it out`);
      }
    }
  }
  if (problems.count > before) return;
  const r = normalizeResources(resources)!;
  const exclusive = (['service', 'serviceType', 'serviceGroupId'] as const).filter((k) => r[k] !== undefined);
  if (exclusive.length > 1) {
    problems.add(field, Object.fromEntries(exclusive.map((k) => [k, r[k]])), `${exclusive.join(' and ')} are mutually exclusive in IAM (the provider's docs for resources); keep ${exclusive[0] === 'service' ? 'service' : 'one'}`);
  } else if (exclusive.length === 0 && r.resourceGroupId === undefined) {
    problems.add(field, resources, `IAM needs a policy resource to name ${ANCHORS} ("a resource must include serviceType, serviceName, resourceGroupId or service_group_id"); an instance or region alone is refused, so add the service, e.g. service: "secrets-manager", or give resourceInstanceId as the instance's CRN`);
  }
}

const RESOURCE_KEYS = ['service', 'resourceInstanceId', 'region', 'resourceType', 'resource', 'resourceGroupId', 'serviceType', 'serviceGroupId', 'attributes'];

/** A `resource_attributes` policy needs the same anchor as a `resources` one. */
function checkAttributeAnchor(problems: ProblemCollector, field: string, attrs: readonly PolicyResourceAttribute[]): void {
  if (!attrs.some((a) => ['serviceName', 'serviceType', 'service_group_id', 'resourceGroupId'].includes(a.name))) {
    problems.add(field, attrs.map((a) => a.name), `IAM needs a policy resource to name one of serviceName, serviceType, service_group_id or resourceGroupId; add e.g. { name: "serviceName", value: "secrets-manager" }`);
  }
}

/**
 * Access tags: IBM's `known-issues.md` and the provider's docs for `resource_tags` ("only allowed
 * in policy with resource attribute serviceType, where value is equal to service").
 */
function checkTagScope(problems: ProblemCollector, field: string, shape: AccessPolicy['shape'], resources: PolicyResources | undefined): void {
  const set = Object.entries(resources ?? {}).filter(([k, v]) => v !== undefined && !(k === 'attributes' && Object.keys(v as object).length === 0));
  if (shape === 'resources' && set.length === 1 && resources?.serviceType === 'service') return;
  problems.add(`${field}.resourceTags`, (resources ?? shape), 'IAM accepts access tags only on a policy for all IAM-enabled services, with no other attribute: resources: { serviceType: "service" } and resourceTags; tags do not narrow a service, instance or resource-group scope, so drop the tags or make a separate tag-based policy');
}

/** Policies take the instance GUID; a CRN given instead yields its GUID and service name. */
function normalizeResources(resources: PolicyResources | undefined): PolicyResources | undefined {
  if (!resources?.resourceInstanceId?.startsWith('crn:')) return resources;
  const crn = parseCrn(resources.resourceInstanceId);
  if (typeof crn === 'string') return resources;
  return { ...resources, service: resources.service ?? crn.serviceName, resourceInstanceId: crn.serviceInstance };
}

function checkConditions(problems: ProblemCollector, field: string, list: unknown, mustHaveOne: boolean): void {
  if (!Array.isArray(list) || (mustHaveOne && list.length === 0)) {
    problems.add(field, list, `${field.split('.').pop()} is a ${mustHaveOne ? 'non-empty ' : ''}list of { name, value, operator? }`);
    return;
  }
  list.forEach((c: PolicyResourceAttribute, j) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c) || typeof c.name !== 'string' || c.name === '' || typeof c.value !== 'string' || c.value === '') {
      problems.add(`${field}[${j}]`, c, 'each condition has a non-empty name and value');
    } else if (literalProblem(c.name) ?? literalProblem(c.value)) {
      problems.add(`${field}[${j}]`, c, (literalProblem(c.name) ?? literalProblem(c.value))!);
    } else if (c.operator !== undefined && c.operator !== 'stringEquals' && c.operator !== 'stringMatch') {
      problems.add(`${field}[${j}].operator`, c.operator, 'the operator is "stringEquals" or "stringMatch"');
    }
  });
}
