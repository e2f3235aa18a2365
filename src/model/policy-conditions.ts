// Rule conditions as IAM accepts them. Sources (read at these versions):
// - IBM provider v2.5.0, `ibm/flex/structures.go` `GeneratePolicyRule`: a rule with one condition
//   is sent folded (its key, operator and value become the rule's), and
//   `resource_ibm_iam_trusted_profile_policy.go` reads `rule_operator` back from the rule's
//   operator, which for a folded rule is the condition's own operator.
// - IBM/platform-services-go-sdk `iampolicymanagementv1`: "The pattern field that matches the
//   rule is required when rule is provided".
// - IBM Cloud docs, account `iam-time-based.md` and `iam-condition-properties.md`: the time-based
//   patterns and operators; one day of the week uses `dayOfWeekEquals`, several `dayOfWeekAnyOf`.
import { ProblemCollector } from './errors';
import { literalProblem } from './literal';
import type { AccessPolicyProps, PolicyRuleCondition } from './policy';

/** The condition keys of time-based policies. */
export const TIME_KEYS = {
  dayOfWeek: '{{environment.attributes.day_of_week}}',
  currentTime: '{{environment.attributes.current_time}}',
  currentDateTime: '{{environment.attributes.current_date_time}}',
} as const;

/** The time-based patterns IAM defines. */
export const TIME_PATTERNS = {
  once: 'time-based-conditions:once',
  weeklyAllDay: 'time-based-conditions:weekly:all-day',
  weeklyCustomHours: 'time-based-conditions:weekly:custom-hours',
} as const;

/** The attribute-based pattern IAM defines (the provider's docs for the policy resource). */
export const ATTRIBUTE_PATTERN = 'attribute-based-condition:resource:literal-and-wildcard';

const KNOWN_PATTERNS: readonly string[] = [...Object.values(TIME_PATTERNS), ATTRIBUTE_PATTERN];
const TIME_PATTERN_VALUES: readonly string[] = Object.values(TIME_PATTERNS);

/** The conditions of a policy, resolved: what the Terraform side emits. */
export interface ResolvedRuleConditions {
  readonly ruleConditions: readonly PolicyRuleCondition[];
  /** Absent for one condition: the provider folds it and has no operator of its own to keep. */
  readonly ruleOperator?: 'and' | 'or';
  readonly pattern: string;
}

/**
 * The pattern a list of time conditions follows, when it is one IAM defines: the shape of
 * `TimeConditions`' output, in any order. Undefined when the conditions are not time-based in
 * one of IAM's shapes.
 */
export function deriveTimePattern(conditions: readonly PolicyRuleCondition[]): string | undefined {
  const ops = (key: string) => conditions.filter((c) => c.key === key).map((c) => c.operator).sort();
  const days = ops(TIME_KEYS.dayOfWeek);
  const times = ops(TIME_KEYS.currentTime);
  const dates = ops(TIME_KEYS.currentDateTime);
  if (days.length + times.length + dates.length !== conditions.length) return undefined;
  const dayOk = days.length === 1 && (days[0] === 'dayOfWeekEquals' || days[0] === 'dayOfWeekAnyOf');
  if (dayOk && times.length === 0 && dates.length === 0) return TIME_PATTERNS.weeklyAllDay;
  if (dayOk && dates.length === 0 && times.join() === 'timeGreaterThanOrEquals,timeLessThanOrEquals') return TIME_PATTERNS.weeklyCustomHours;
  if (days.length === 0 && times.length === 0 && dates.join() === 'dateTimeGreaterThanOrEquals,dateTimeLessThanOrEquals') return TIME_PATTERNS.once;
  return undefined;
}

/** Checks `ruleConditions`, `ruleOperator` and `pattern` of one policy; returns what to emit. */
export function resolveRuleConditions(problems: ProblemCollector, field: string, raw: AccessPolicyProps): ResolvedRuleConditions | undefined {
  const conditions = raw.ruleConditions as unknown;
  const before = problems.count;
  if (conditions === undefined) {
    if (raw.ruleOperator !== undefined) problems.add(`${field}.ruleOperator`, raw.ruleOperator, 'ruleOperator combines ruleConditions, and the policy has none; remove it');
    if (raw.pattern !== undefined) problems.add(`${field}.pattern`, raw.pattern, 'a pattern describes ruleConditions, and the policy has none; remove it (the provider would create a conditional policy without conditions)');
    return undefined;
  }
  if (!Array.isArray(conditions) || conditions.length === 0) {
    problems.add(`${field}.ruleConditions`, conditions, 'ruleConditions is a non-empty list of { key, operator, value: [...] }; leave it out for a policy that always applies');
    return undefined;
  }
  conditions.forEach((c: PolicyRuleCondition, j) => checkCondition(problems, `${field}.ruleConditions[${j}]`, c));
  if (raw.ruleOperator !== undefined && raw.ruleOperator !== 'and' && raw.ruleOperator !== 'or') {
    problems.add(`${field}.ruleOperator`, raw.ruleOperator, 'ruleOperator is "and" or "or"');
  }
  if (raw.pattern !== undefined && (typeof raw.pattern !== 'string' || !KNOWN_PATTERNS.includes(raw.pattern))) {
    problems.add(`${field}.pattern`, raw.pattern, `IAM defines the patterns ${KNOWN_PATTERNS.map((p) => JSON.stringify(p)).join(', ')}; leave pattern out for time conditions (the library derives it) or give one of these`);
  }
  if (problems.count > before) return undefined;

  const list = conditions as PolicyRuleCondition[];
  const derived = deriveTimePattern(list);
  const timeBased = list.some((c) => Object.values(TIME_KEYS).includes(c.key as never));
  if (timeBased && derived === undefined) {
    problems.add(`${field}.ruleConditions`, list.map((c) => `${c.key} ${c.operator}`), `time conditions follow one of IAM's shapes: once (current_date_time dateTimeGreaterThanOrEquals and dateTimeLessThanOrEquals), weekly all day (day_of_week dayOfWeekEquals or dayOfWeekAnyOf) or weekly custom hours (day_of_week plus current_time timeGreaterThanOrEquals and timeLessThanOrEquals); build them with TimeConditions.once, TimeConditions.weeklyAllDay or TimeConditions.weekly`);
    return undefined;
  }
  if (derived !== undefined && raw.pattern !== undefined && raw.pattern !== derived) {
    problems.add(`${field}.pattern`, raw.pattern, `the conditions follow ${JSON.stringify(derived)}, and IAM refuses a pattern that does not match its rule; remove pattern (the library derives it) or set it to ${JSON.stringify(derived)}`);
    return undefined;
  }
  const pattern = derived ?? raw.pattern;
  if (pattern === undefined) {
    problems.add(`${field}.pattern`, undefined, `IAM requires the pattern that matches a rule ("The pattern field that matches the rule is required when rule is provided"), and these conditions are not time conditions the library can derive it from; set pattern, e.g. ${JSON.stringify(ATTRIBUTE_PATTERN)} for conditions on resource attributes`);
    return undefined;
  }
  if (TIME_PATTERN_VALUES.includes(pattern) && raw.ruleOperator === 'or') {
    problems.add(`${field}.ruleOperator`, 'or', 'time-based conditions all have to hold, so IAM combines them with "and"; remove ruleOperator');
    return undefined;
  }
  const resolved = list.map((c) => ({ key: c.key, operator: c.operator, value: [...c.value] }));
  // One condition is folded by the provider, which then reads the condition's operator back as
  // `rule_operator`: sending "and" would show a change on every plan, and sending nothing is
  // what the provider's own acceptance test for weekly:all-day does.
  if (resolved.length === 1) return { ruleConditions: resolved, pattern };
  return { ruleConditions: resolved, ruleOperator: raw.ruleOperator ?? 'and', pattern };
}

function checkCondition(problems: ProblemCollector, field: string, c: PolicyRuleCondition): void {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) {
    problems.add(field, c, 'each condition is an object { key, operator, value: [...] }');
    return;
  }
  for (const k of ['key', 'operator'] as const) {
    const v = c[k] as unknown;
    if (typeof v !== 'string' || v === '') {
      problems.add(`${field}.${k}`, v, `${k} is a non-empty string, e.g. ${k === 'key' ? '"{{environment.attributes.current_time}}"' : '"timeGreaterThanOrEquals"'}`);
    } else if (literalProblem(v)) {
      problems.add(`${field}.${k}`, v, literalProblem(v)!);
    }
  }
  const values = c.value as unknown;
  if (!Array.isArray(values) || values.length === 0) {
    problems.add(`${field}.value`, values, 'value is a non-empty list of strings, e.g. ["09:00:00+00:00"]');
    return;
  }
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'string' || v === '') problems.add(`${field}.value[${i}]`, v, 'each value is a non-empty string');
    else if (literalProblem(v)) problems.add(`${field}.value[${i}]`, v, literalProblem(v)!);
  });
  if (c.operator === 'dayOfWeekAnyOf' && values.length === 1) {
    problems.add(`${field}.operator`, c.operator, 'one day of the week is "dayOfWeekEquals" in IAM\'s time-based conditions, "dayOfWeekAnyOf" is for several; use dayOfWeekEquals (TimeConditions does)');
  } else if (c.operator === 'dayOfWeekEquals' && values.length > 1) {
    problems.add(`${field}.operator`, c.operator, 'several days of the week are "dayOfWeekAnyOf"; use dayOfWeekAnyOf (TimeConditions does)');
  }
}
