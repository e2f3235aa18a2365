import { parseCrn } from './crn';
import { frozenCopy, ProblemCollector } from './errors';
import { isDns1123Label } from './names';
import { IamRole } from './roles';

/** Scope of a policy by service, instance, region, resource group and resource (`resources {}`). */
export interface PolicyResources {
  /** Service name, e.g. `secrets-manager`, `cloud-object-storage`. @default - any service */
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
  /** Service type, e.g. `service` or `platform_service`. @default - not restricted */
  readonly serviceType?: string;
  /** Service group ID, e.g. `IAM`. @default - not restricted */
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
  /** Narrows the policy to resources with these access tags. @default - none */
  readonly resourceTags?: readonly PolicyResourceTag[];
  /** Conditions on the request, e.g. working hours. @default - none: the policy always applies */
  readonly ruleConditions?: readonly PolicyRuleCondition[];
  /**
   * How several `ruleConditions` combine.
   * @default - "and" when there is more than one condition
   */
  readonly ruleOperator?: 'and' | 'or';
  /** The policy pattern IAM records for condition-based policies, e.g. `time-based-conditions:weekly:custom-hours`. @default - none */
  readonly pattern?: string;
}

/** A validated access policy. */
export interface AccessPolicy extends AccessPolicyProps {
  readonly roles: readonly string[];
  readonly shape: 'resources' | 'resourceAttributes' | 'accountManagement';
}

const SHAPES = 'resources, resourceAttributes or accountManagement: true';

/** @internal */
export function resolvePolicies(problems: ProblemCollector, input: unknown): AccessPolicy[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.add('policies', input, 'policies is a list of access policies; wrap it in [ ]');
    return [];
  }
  const policies: AccessPolicy[] = [];
  const names = new Map<string, number>();
  input.forEach((raw: AccessPolicyProps, i) => {
    const field = `policies[${i}]`;
    const before = problems.count;
    if (raw === null || typeof raw !== 'object') {
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
    checkRoles(problems, `${field}.roles`, raw.roles);
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
    if (raw.resources !== undefined) checkResources(problems, `${field}.resources`, raw.resources);
    if (raw.resourceAttributes !== undefined) checkConditions(problems, `${field}.resourceAttributes`, raw.resourceAttributes, true);
    if (raw.resourceTags !== undefined) checkConditions(problems, `${field}.resourceTags`, raw.resourceTags, false);
    if (raw.ruleConditions !== undefined) checkRuleConditions(problems, field, raw);
    if (problems.count > before) return;
    policies.push(frozenCopy({ ...raw, resources: normalizeResources(raw.resources), shape: shapes[0] }) as AccessPolicy);
  });
  return policies;
}

function checkRoles(problems: ProblemCollector, field: string, roles: unknown): void {
  if (!Array.isArray(roles) || roles.length === 0) {
    problems.add(field, roles, 'a policy grants at least one role; list roles such as ["Reader"] or ["SecretsReader"]');
    return;
  }
  const seen = new Set<string>();
  roles.forEach((role, j) => {
    if (typeof role !== 'string' || role.trim() === '' || role !== role.trim()) {
      problems.add(`${field}[${j}]`, role, 'a role is a non-empty IAM role name without surrounding spaces, e.g. "Viewer" or "Writer"');
    } else if (seen.has(role)) {
      problems.add(`${field}[${j}]`, role, 'the role is listed twice; list each role once');
    } else {
      seen.add(role);
    }
  });
}

function checkResources(problems: ProblemCollector, field: string, resources: PolicyResources): void {
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    problems.add(field, resources, 'resources is an object such as { service: "secrets-manager", resourceInstanceId: "<guid>" }');
    return;
  }
  const set = Object.entries(resources).filter(([k, v]) => v !== undefined
    && !(k === 'attributes' && v !== null && typeof v === 'object' && Object.keys(v).length === 0));
  if (set.length === 0) {
    problems.add(field, resources, 'an empty resources block grants the roles on every resource in the account; name at least the service and, for least privilege, the instance');
    return;
  }
  for (const [key, value] of set) {
    if (key === 'attributes') {
      if (value === null || typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string' || v === '')) {
        problems.add(`${field}.attributes`, value, 'attributes maps attribute names to non-empty strings');
      }
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.add(`${field}.${key}`, value, `${key} is a non-empty string; leave it out to not restrict on it`);
    } else if (key === 'resourceInstanceId' && value.startsWith('crn:')) {
      const crn = parseCrn(value);
      if (typeof crn === 'string' || !crn.serviceInstance) {
        problems.add(`${field}.resourceInstanceId`, value, `${typeof crn === 'string' ? crn : 'the CRN names no instance'}; give the instance's GUID or its full CRN`);
      } else if (resources.service !== undefined && resources.service !== crn.serviceName) {
        problems.add(`${field}.service`, resources.service, `resourceInstanceId is a CRN of service "${crn.serviceName}"; set service to "${crn.serviceName}" or leave it out`);
      }
    }
  }
}

/** Policies take the instance GUID; a CRN given instead yields its GUID and service name. */
function normalizeResources(resources: PolicyResources | undefined): PolicyResources | undefined {
  if (!resources?.resourceInstanceId?.startsWith('crn:')) return resources;
  const crn = parseCrn(resources.resourceInstanceId);
  if (typeof crn === 'string') return resources;
  return { ...resources, service: resources.service ?? crn.serviceName, resourceInstanceId: crn.serviceInstance };
}

function checkRuleConditions(problems: ProblemCollector, field: string, raw: AccessPolicyProps): void {
  const conditions = raw.ruleConditions as unknown;
  if (!Array.isArray(conditions) || conditions.length === 0) {
    problems.add(`${field}.ruleConditions`, conditions, 'ruleConditions is a non-empty list of { key, operator, value: [...] }; leave it out for a policy that always applies');
    return;
  }
  conditions.forEach((c: PolicyRuleCondition, j) => {
    if (c === null || typeof c !== 'object' || typeof c.key !== 'string' || c.key === '' || typeof c.operator !== 'string' || c.operator === ''
        || !Array.isArray(c.value) || c.value.length === 0 || c.value.some((v) => typeof v !== 'string' || v === '')) {
      problems.add(`${field}.ruleConditions[${j}]`, c, 'each condition has a key, an operator and a non-empty list of string values');
    }
  });
  if (raw.ruleOperator !== undefined && raw.ruleOperator !== 'and' && raw.ruleOperator !== 'or') {
    problems.add(`${field}.ruleOperator`, raw.ruleOperator, 'ruleOperator is "and" or "or"');
  }
  if (raw.pattern !== undefined && (typeof raw.pattern !== 'string' || raw.pattern.trim() === '')) {
    problems.add(`${field}.pattern`, raw.pattern, 'pattern is a non-empty string such as "time-based-conditions:weekly:custom-hours"');
  }
}

function checkConditions(problems: ProblemCollector, field: string, list: unknown, mustHaveOne: boolean): void {
  if (!Array.isArray(list) || (mustHaveOne && list.length === 0)) {
    problems.add(field, list, `${field.split('.').pop()} is a ${mustHaveOne ? 'non-empty ' : ''}list of { name, value, operator? }`);
    return;
  }
  list.forEach((c: PolicyResourceAttribute, j) => {
    if (c === null || typeof c !== 'object' || typeof c.name !== 'string' || c.name === '' || typeof c.value !== 'string' || c.value === '') {
      problems.add(`${field}[${j}]`, c, 'each condition has a non-empty name and value');
    } else if (c.operator !== undefined && c.operator !== 'stringEquals' && c.operator !== 'stringMatch') {
      problems.add(`${field}[${j}].operator`, c.operator, 'the operator is "stringEquals" or "stringMatch"');
    }
  });
}
