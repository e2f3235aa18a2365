// Each preset's exact synthesized policy: the roles IBM documents for the task, scoped to one
// instance or narrower.
import { AccessPolicies, AccessPolicyProps, TimeConditions } from '../../src';
import { identity, PROFILE_IAM_ID, resources, synth } from './fixtures';

const SM = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const COS = 'd6f04d83-6c4f-4a62-a165-696756d63903';
const KP = '0b6c3b9c-8b55-4a1b-9d1c-2f5a8f6e7d10';
const ES = '7e1b9f0a-3c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** The synthesized policies, without cdktf's metadata, by Terraform logical ID order. */
function policiesOf(list: AccessPolicyProps[]): Record<string, unknown>[] {
  const all = resources(synth(identity({ policies: list })), 'ibm_iam_trusted_profile_policy');
  return Object.values(all).map(({ ['//']: _metadata, ...body }) => body);
}

describe('access policy presets', () => {
  test('secretsManagerRead grants SecretsReader on one instance', () => {
    // GIVEN the Secrets Manager preset for one instance
    // WHEN it is synthesized
    const policies = policiesOf(AccessPolicies.secretsManagerRead({ instance: SM }));
    // THEN it is exactly one SecretsReader policy on that instance
    expect(policies).toEqual([{
      description: 'Read secrets from one Secrets Manager instance',
      iam_id: PROFILE_IAM_ID,
      resources: { resource_instance_id: SM, service: 'secrets-manager' },
      roles: ['SecretsReader'],
    }]);
  });

  test('secretsManagerRead narrows to one secret group when given', () => {
    // GIVEN the preset with a secret group
    const policies = policiesOf(AccessPolicies.secretsManagerRead({ instance: SM, secretGroupId: 'f1e2d3c4-0000-4000-8000-000000000001' }));
    // THEN the policy is scoped to resource type secret-group and the group's ID
    expect(policies).toEqual([{
      description: 'Read secrets from one Secrets Manager instance',
      iam_id: PROFILE_IAM_ID,
      resources: {
        resource: 'f1e2d3c4-0000-4000-8000-000000000001',
        resource_instance_id: SM,
        resource_type: 'secret-group',
        service: 'secrets-manager',
      },
      roles: ['SecretsReader'],
    }]);
  });

  test('objectStorageBucketRead grants Content Reader on one bucket', () => {
    // GIVEN the bucket-read preset
    // WHEN it is synthesized
    // THEN it is one Content Reader policy on that bucket of that instance
    const policies = policiesOf(AccessPolicies.objectStorageBucketRead({ instance: COS, bucket: 'payments-reports' }));
    expect(policies).toEqual([{
      description: 'Read the objects of one bucket: payments-reports',
      iam_id: PROFILE_IAM_ID,
      resources: { resource: 'payments-reports', resource_instance_id: COS, resource_type: 'bucket', service: 'cloud-object-storage' },
      roles: ['Content Reader'],
    }]);
  });

  test('objectStorageBucketWrite grants Object Writer on one bucket', () => {
    // GIVEN the bucket-write preset
    // WHEN it is synthesized
    // THEN it is one Object Writer policy on that bucket of that instance
    const policies = policiesOf(AccessPolicies.objectStorageBucketWrite({ instance: COS, bucket: 'payments-uploads' }));
    expect(policies).toEqual([{
      description: 'Write objects to one bucket: payments-uploads',
      iam_id: PROFILE_IAM_ID,
      resources: { resource: 'payments-uploads', resource_instance_id: COS, resource_type: 'bucket', service: 'cloud-object-storage' },
      roles: ['Object Writer'],
    }]);
  });

  test('objectStorageBucketRead takes the instance GUID from a CRN', () => {
    // GIVEN the instance as a CRN, as the console shows it
    const crn = `crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef0123456789abcdef:${COS}::`;
    const [policy] = policiesOf(AccessPolicies.objectStorageBucketRead({ instance: crn, bucket: 'payments-reports' }));
    // THEN the policy names the GUID, which is what policies take
    expect(policy.resources).toEqual({ resource: 'payments-reports', resource_instance_id: COS, resource_type: 'bucket', service: 'cloud-object-storage' });
  });

  test('keyProtectUse grants Reader on one key', () => {
    // GIVEN the Key Protect preset for one key
    // WHEN it is synthesized
    // THEN it is one Reader policy on resource type key
    const policies = policiesOf(AccessPolicies.keyProtectUse({ instance: KP, keyId: 'key-0001' }));
    expect(policies).toEqual([{
      description: 'Wrap and unwrap with one Key Protect key',
      iam_id: PROFILE_IAM_ID,
      resources: { resource: 'key-0001', resource_instance_id: KP, resource_type: 'key', service: 'kms' },
      roles: ['Reader'],
    }]);
  });

  test('keyProtectUse grants Reader on one key ring through the keyRing attribute', () => {
    // GIVEN the Key Protect preset for one key ring
    // WHEN it is synthesized
    // THEN the key ring is the keyRing attribute, as IAM's API names it
    const policies = policiesOf(AccessPolicies.keyProtectUse({ instance: KP, keyRingId: 'payments-ring' }));
    expect(policies).toEqual([{
      description: 'Wrap and unwrap with the keys of one key ring',
      iam_id: PROFILE_IAM_ID,
      resources: { attributes: { keyRing: 'payments-ring' }, resource_instance_id: KP, service: 'kms' },
      roles: ['Reader'],
    }]);
  });

  test('keyProtectUse refuses the whole instance', () => {
    // GIVEN neither a key nor a key ring
    // THEN the preset throws naming both options
    expect(() => AccessPolicies.keyProtectUse({ instance: KP })).toThrow(/give exactly one of keyId and keyRingId \(got neither\)/);
  });

  test('containerRegistryPull grants Reader on one namespace in one region', () => {
    // GIVEN the registry preset for one namespace and region
    // WHEN it is synthesized
    // THEN it is one Reader policy on resource type namespace
    const policies = policiesOf(AccessPolicies.containerRegistryPull({ namespace: 'payments', region: 'us-south' }));
    expect(policies).toEqual([{
      description: 'Pull images from registry namespace payments',
      iam_id: PROFILE_IAM_ID,
      resources: { region: 'us-south', resource: 'payments', resource_type: 'namespace', service: 'container-registry' },
      roles: ['Reader'],
    }]);
  });

  test('eventStreamsProduce grants Reader on the cluster and Writer on one topic', () => {
    // GIVEN the producer preset for one topic
    // WHEN it is synthesized
    // THEN it is two policies: Reader on the cluster, Writer on the topic
    const policies = policiesOf(AccessPolicies.eventStreamsProduce({ instance: ES, topic: 'payments.settled' }));
    expect(policies).toEqual([
      {
        description: 'Event Streams cluster: Reader',
        iam_id: PROFILE_IAM_ID,
        resources: { resource_instance_id: ES, resource_type: 'cluster', service: 'messagehub' },
        roles: ['Reader'],
      },
      {
        description: 'Event Streams topic payments.settled: Writer',
        iam_id: PROFILE_IAM_ID,
        resources: { resource: 'payments.settled', resource_instance_id: ES, resource_type: 'topic', service: 'messagehub' },
        roles: ['Writer'],
      },
    ]);
  });

  test('eventStreamsConsume grants Reader on the cluster, one topic and one consumer group', () => {
    // GIVEN the consumer preset for one topic and group
    // WHEN it is synthesized
    // THEN it is three Reader policies: cluster, group, topic
    const policies = policiesOf(AccessPolicies.eventStreamsConsume({ instance: ES, topic: 'payments.settled', consumerGroup: 'ledger' }));
    expect(policies.map((p) => [p.roles, (p.resources as Record<string, string>).resource_type, (p.resources as Record<string, string>).resource])).toEqual([
      [['Reader'], 'cluster', undefined],
      [['Reader'], 'group', 'ledger'],
      [['Reader'], 'topic', 'payments.settled'],
    ]);
  });
});

describe('time-based conditions', () => {
  test('weekly hours become the rule conditions, operator and pattern IBM documents', () => {
    // GIVEN a policy limited to weekday working hours
    const [preset] = AccessPolicies.secretsManagerRead({ instance: SM });
    const policy = { ...preset, ...TimeConditions.weekly({ days: [1, 2, 3, 4, 5], from: '09:00:00', to: '17:00:00' }) };
    // WHEN it is synthesized
    const [synthesized] = policiesOf([policy]);
    // THEN the conditions are in Terraform's form
    expect(synthesized.rule_conditions).toEqual([
      { key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekAnyOf', value: ['1+00:00', '2+00:00', '3+00:00', '4+00:00', '5+00:00'] },
      { key: '{{environment.attributes.current_time}}', operator: 'timeGreaterThanOrEquals', value: ['09:00:00+00:00'] },
      { key: '{{environment.attributes.current_time}}', operator: 'timeLessThanOrEquals', value: ['17:00:00+00:00'] },
    ]);
    expect(synthesized.rule_operator).toBe('and');
    expect(synthesized.pattern).toBe('time-based-conditions:weekly:custom-hours');
  });

  test('weekly hours refuse a window that ends before it starts', () => {
    // GIVEN a window from 17:00 to 09:00
    // WHEN it is built
    // THEN it throws naming both times
    expect(() => TimeConditions.weekly({ days: [1], from: '17:00:00', to: '09:00:00' })).toThrow(/from 17:00:00 is not before to 09:00:00/);
  });

  test('weekly all day is one condition, dayOfWeekEquals for one day, with no ruleOperator', () => {
    // GIVEN Saturdays only, in UTC-5
    // WHEN the conditions are built
    const conditions = TimeConditions.weeklyAllDay({ days: [6], utcOffset: '-05:00' });
    // THEN one dayOfWeekEquals condition and the all-day pattern, nothing to combine
    expect(conditions).toEqual({
      ruleConditions: [{ key: '{{environment.attributes.day_of_week}}', operator: 'dayOfWeekEquals', value: ['6-05:00'] }],
      pattern: 'time-based-conditions:weekly:all-day',
    });
  });

  test('weekly all day lists several days once each, in order', () => {
    // GIVEN days given out of order with a repeat
    const conditions = TimeConditions.weeklyAllDay({ days: [5, 1, 5, 3] });
    // THEN the values are sorted and unique, with dayOfWeekAnyOf
    expect(conditions.ruleConditions[0]).toMatchObject({ operator: 'dayOfWeekAnyOf', value: ['1+00:00', '3+00:00', '5+00:00'] });
  });

  test.each([
    [{ days: [] }, /days is \[\]; list days 1 \(Monday\) to 7 \(Sunday\)/],
    [{ days: [8] }, /days is \[8\]/],
    [{ days: [1], utcOffset: '+5' }, /utcOffset is "\+5"; write it as \+HH:MM or -HH:MM/],
  ])('weekly all day refuses %j', (options, message) => {
    // GIVEN bad days or offset
    // THEN building throws with the fix
    expect(() => TimeConditions.weeklyAllDay(options as never)).toThrow(message);
  });

  test('once compares current_date_time from start to end', () => {
    // GIVEN a window in October
    const conditions = TimeConditions.once({ from: '2026-10-01T08:00:00+02:00', to: '2026-10-31T18:00:00+01:00' });
    // THEN two date-time conditions, "and", and the once pattern
    expect(conditions).toEqual({
      ruleConditions: [
        { key: '{{environment.attributes.current_date_time}}', operator: 'dateTimeGreaterThanOrEquals', value: ['2026-10-01T08:00:00+02:00'] },
        { key: '{{environment.attributes.current_date_time}}', operator: 'dateTimeLessThanOrEquals', value: ['2026-10-31T18:00:00+01:00'] },
      ],
      ruleOperator: 'and',
      pattern: 'time-based-conditions:once',
    });
  });

  test.each([
    [{ from: '2026-10-01 08:00', to: '2026-10-31T18:00:00+00:00' }, /from is "2026-10-01 08:00"; write it as YYYY-MM-DDTHH:MM:SS\+HH:MM/],
    [{ from: '2026-10-31T18:00:00+00:00', to: '2026-10-01T08:00:00+00:00' }, /is not before/],
  ])('once refuses %j', (options, message) => {
    // GIVEN a malformed or reversed window
    // THEN building throws with the fix
    expect(() => TimeConditions.once(options)).toThrow(message);
  });

  test('once orders the window by instant, offsets applied', () => {
    // GIVEN 10:00+02:00 (08:00 UTC) to 09:00+00:00: later as text, earlier as an instant
    // THEN the window is accepted
    expect(TimeConditions.once({ from: '2026-10-01T10:00:00+02:00', to: '2026-10-01T09:00:00+00:00' }).pattern).toBe('time-based-conditions:once');
  });
});
