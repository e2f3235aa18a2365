// Rule conditions as the provider sends them and IAM takes them.
// Sources: IBM-Cloud/terraform-provider-ibm v2.5.0 `ibm/flex/structures.go` (GeneratePolicyRule,
// FlattenRuleConditions), `ibm/service/iampolicy/resource_ibm_iam_trusted_profile_policy.go`
// (Read sets rule_operator from the rule's operator) and its `_test.go` (weekly:all-day without
// rule_operator); IBM/platform-services-go-sdk `iampolicymanagementv1` ("The pattern field that
// matches the rule is required when rule is provided"); IBM Cloud docs, account
// `iam-time-based.md` (one day: dayOfWeekEquals).
import { AccessPolicyProps, TimeConditions } from '../../../src';
import { fields, policyBlock, refusal } from './helpers';

const KMS: AccessPolicyProps = { name: 'use-keys', roles: ['Reader'], resources: { service: 'kms', resourceInstanceId: '1b2c3d4e' } };

describe('time-based conditions', () => {
  test('carry the pattern IAM requires, derived when the declaration leaves it out', () => {
    // GIVEN working-hours conditions without a pattern (the spread is stripped of it)
    const { pattern: _omitted, ...conditions } = TimeConditions.weekly({ days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00' });
    // WHEN the policy is synthesized
    const block = policyBlock({ ...KMS, ...conditions });
    // THEN the pattern is weekly:custom-hours and the three conditions combine with "and"
    expect(block.pattern).toBe('time-based-conditions:weekly:custom-hours');
    expect(block.rule_operator).toBe('and');
    expect(block.rule_conditions).toHaveLength(3);
  });

  test('with one condition send no rule_operator, so the folded rule reads back without a diff', () => {
    // GIVEN an all-day weekly window: one condition, which the provider folds into the rule and
    // whose operator it would read back as rule_operator
    // WHEN the policy is synthesized
    const block = policyBlock({ ...KMS, ...TimeConditions.weeklyAllDay({ days: [1, 2, 3, 4, 5] }) });
    // THEN rule_operator is absent (as in the provider's own weekly:all-day acceptance test)
    expect(block).not.toHaveProperty('rule_operator');
    expect(block.pattern).toBe('time-based-conditions:weekly:all-day');
    expect(block.rule_conditions).toEqual([{ key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekAnyOf', value: ['1+00:00', '2+00:00', '3+00:00', '4+00:00', '5+00:00'] }]);
  });

  test('drop a given ruleOperator for one condition rather than send a value the provider reads back differently', () => {
    // GIVEN one condition with ruleOperator "and"
    const block = policyBlock({ ...KMS, ...TimeConditions.weeklyAllDay({ days: [6, 7] }), ruleOperator: 'and' });
    // THEN no rule_operator is sent
    expect(block).not.toHaveProperty('rule_operator');
  });

  test('use dayOfWeekEquals for a one-day window', () => {
    // GIVEN Mondays only
    const block = policyBlock({ ...KMS, ...TimeConditions.weekly({ days: [1], from: '08:00:00', to: '12:00:00', utcOffset: '+01:00' }) });
    // THEN the day condition is dayOfWeekEquals with one value
    expect(block.rule_conditions[0]).toEqual({ key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekEquals', value: ['1+01:00'] });
  });

  test('refuse dayOfWeekAnyOf with one day, naming the operator IBM documents', () => {
    // GIVEN a hand-written one-day dayOfWeekAnyOf
    const error = refusal({ policies: [{ ...KMS, ruleConditions: [{ key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekAnyOf', value: ['1+00:00'] }] }] });
    // THEN the operator is refused with the fix
    expect(fields(error)).toEqual(['policies[0].ruleConditions[0].operator']);
    expect(error.message).toContain('use dayOfWeekEquals');
  });

  test('of a one-time window get the once pattern', () => {
    // GIVEN a migration window
    const block = policyBlock({ ...KMS, ...TimeConditions.once({ from: '2026-10-01T12:00:00+00:00', to: '2026-10-31T12:00:00+00:00' }) });
    // THEN the pattern is once and the conditions compare current_date_time
    expect(block.pattern).toBe('time-based-conditions:once');
    expect(block.rule_conditions.map((c: any) => c.operator)).toEqual(['dateTimeGreaterThanOrEquals', 'dateTimeLessThanOrEquals']);
  });

  test('refuse a pattern that does not match the conditions', () => {
    // GIVEN working hours declared as all-day
    const error = refusal({ policies: [{ ...KMS, ...TimeConditions.weekly({ days: [1, 2], from: '09:00:00', to: '17:00:00' }), pattern: 'time-based-conditions:weekly:all-day' }] });
    // THEN the pattern is refused, naming the one that matches
    expect(fields(error)).toEqual(['policies[0].pattern']);
    expect(error.message).toContain('"time-based-conditions:weekly:custom-hours"');
  });

  test('refuse "or" between time conditions', () => {
    // GIVEN working hours combined with "or"
    const error = refusal({ policies: [{ ...KMS, ...TimeConditions.weekly({ days: [1, 2], from: '09:00:00', to: '17:00:00' }), ruleOperator: 'or' }] });
    // THEN ruleOperator is refused
    expect(fields(error)).toEqual(['policies[0].ruleOperator']);
  });

  test('refuse time conditions in a shape IAM does not define', () => {
    // GIVEN a start time without an end time or days
    const error = refusal({ policies: [{ ...KMS, ruleConditions: [{ key: '{{environment.attributes.current_time}}', operator: 'timeGreaterThanOrEquals', value: ['09:00:00+00:00'] }] }] });
    // THEN the conditions are refused, pointing at TimeConditions
    expect(fields(error)).toEqual(['policies[0].ruleConditions']);
    expect(error.message).toContain('TimeConditions.weekly');
  });
});

describe('other conditions', () => {
  const WILDCARD = [{ key: '{{resource.attributes.prefix}}', operator: 'stringMatchAnyOf', value: ['reports/*', 'exports/*'] }];

  test('without a pattern the library can derive are refused with the fix', () => {
    // GIVEN attribute conditions and no pattern
    const error = refusal({ policies: [{ ...KMS, ruleConditions: WILDCARD }] });
    // THEN pattern is reported missing, naming IAM's attribute-based pattern
    expect(fields(error)).toEqual(['policies[0].pattern']);
    expect(error.message).toContain('attribute-based-condition:resource:literal-and-wildcard');
  });

  test('with IAM\'s attribute-based pattern are sent with it', () => {
    // GIVEN the same conditions with the pattern
    const block = policyBlock({ ...KMS, ruleConditions: WILDCARD, pattern: 'attribute-based-condition:resource:literal-and-wildcard' });
    // THEN the pattern is sent
    expect(block.pattern).toBe('attribute-based-condition:resource:literal-and-wildcard');
  });

  test('pattern or ruleOperator without conditions is refused: the provider would create a v2 policy with no rule', () => {
    // GIVEN a pattern and a ruleOperator without ruleConditions
    const error = refusal({ policies: [{ ...KMS, pattern: 'time-based-conditions:once', ruleOperator: 'and' }] });
    // THEN both are reported
    expect(fields(error).sort()).toEqual(['policies[0].pattern', 'policies[0].ruleOperator']);
  });
});
