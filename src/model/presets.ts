import { AccessPolicyProps, PolicyRuleCondition } from './policy';
import { TIME_KEYS, TIME_PATTERNS } from './policy-conditions';
import { ServiceRole } from './roles';

/*
 * Least-privilege policies for what pods commonly need. Each preset is scoped to one service
 * instance or narrower, and each role is the one IBM's documentation names for the task:
 * a preset is left out where the documentation does not settle the role.
 */

interface PresetBase {
  /**
   * The service instance: its GUID or CRN.
   */
  readonly instance: string;
  /**
   * The policy name (a DNS-1123 label, unique within the identity; it keys the Terraform resource).
   * @default - the preset's name, e.g. "secrets-manager-read"
   */
  readonly name?: string;
  /** @default - the preset's own description */
  readonly description?: string;
}

export interface SecretsManagerReadOptions extends PresetBase {
  /**
   * Only the secrets of this secret group (its ID).
   * @default - every secret of the instance
   */
  readonly secretGroupId?: string;
}

export interface ObjectStorageBucketOptions extends PresetBase {
  /** The bucket's name. */
  readonly bucket: string;
}

export interface KeyProtectKeyOptions extends PresetBase {
  /**
   * Only this key (its ID). Give exactly one of `keyId` and `keyRingId`.
   * @default - none
   */
  readonly keyId?: string;
  /**
   * Only the keys of this key ring (its ID).
   * @default - none
   */
  readonly keyRingId?: string;
}

export interface ContainerRegistryPullOptions {
  /** The registry namespace to pull from. */
  readonly namespace: string;
  /**
   * The registry region, e.g. `us-south`.
   * @default - the namespace in every region
   */
  readonly region?: string;
  /** @default "container-registry-pull" */
  readonly name?: string;
  /** @default - the preset's own description */
  readonly description?: string;
}

export interface EventStreamsTopicOptions extends PresetBase {
  /** The topic's name. */
  readonly topic: string;
  /**
   * For consumers: the consumer group's name.
   * @default - none: no consumer-group policy (consumers without a group need none)
   */
  readonly consumerGroup?: string;
}

/** Policies for common pod tasks, each scoped to one instance or narrower. */
export class AccessPolicies {
  /**
   * Read secrets (their values, not only metadata) from one Secrets Manager instance,
   * optionally one secret group: `SecretsReader`.
   */
  public static secretsManagerRead(options: SecretsManagerReadOptions): AccessPolicyProps[] {
    return [{
      name: options.name ?? 'secrets-manager-read',
      description: options.description ?? 'Read secrets from one Secrets Manager instance',
      roles: ['SecretsReader'],
      resources: {
        service: 'secrets-manager',
        resourceInstanceId: options.instance,
        ...(options.secretGroupId !== undefined ? { resourceType: 'secret-group', resource: options.secretGroupId } : {}),
      },
    }];
  }

  /** Download and list the objects of one Cloud Object Storage bucket: `Content Reader`. */
  public static objectStorageBucketRead(options: ObjectStorageBucketOptions): AccessPolicyProps[] {
    return [bucketPolicy(options, 'cos-bucket-read', 'Content Reader', 'Read the objects of one bucket')];
  }

  /**
   * Upload and overwrite the objects of one Cloud Object Storage bucket: `Object Writer`
   * (no reading or listing; add `objectStorageBucketRead` with another name for both).
   */
  public static objectStorageBucketWrite(options: ObjectStorageBucketOptions): AccessPolicyProps[] {
    return [bucketPolicy(options, 'cos-bucket-write', 'Object Writer', 'Write objects to one bucket')];
  }

  /**
   * Use one Key Protect key, or the keys of one key ring, to wrap and unwrap: `Reader`
   * (which cannot read a standard key's payload).
   */
  public static keyProtectUse(options: KeyProtectKeyOptions): AccessPolicyProps[] {
    if ((options.keyId === undefined) === (options.keyRingId === undefined)) {
      throw new Error(`AccessPolicies.keyProtectUse: give exactly one of keyId and keyRingId (got ${options.keyId === undefined ? 'neither' : 'both'}); a policy on the whole instance is not least privilege`);
    }
    return [{
      name: options.name ?? 'key-protect-use',
      description: options.description ?? (options.keyId ? 'Wrap and unwrap with one Key Protect key' : 'Wrap and unwrap with the keys of one key ring'),
      roles: [ServiceRole.READER],
      resources: options.keyId !== undefined
        ? { service: 'kms', resourceInstanceId: options.instance, resourceType: 'key', resource: options.keyId }
        // Key rings are a policy attribute, not a resource type, in IAM's API.
        : { service: 'kms', resourceInstanceId: options.instance, attributes: { keyRing: options.keyRingId! } },
    }];
  }

  /** Pull images from one Container Registry namespace: `Reader`. */
  public static containerRegistryPull(options: ContainerRegistryPullOptions): AccessPolicyProps[] {
    return [{
      name: options.name ?? 'container-registry-pull',
      description: options.description ?? `Pull images from registry namespace ${options.namespace}`,
      roles: [ServiceRole.READER],
      resources: {
        service: 'container-registry',
        resourceType: 'namespace',
        resource: options.namespace,
        ...(options.region !== undefined ? { region: options.region } : {}),
      },
    }];
  }

  /**
   * Produce to one Event Streams topic: `Reader` on the cluster (every client needs it) and
   * `Writer` on the topic. Two policies, named `<name>-cluster` and `<name>-topic`.
   */
  public static eventStreamsProduce(options: EventStreamsTopicOptions): AccessPolicyProps[] {
    const name = options.name ?? 'event-streams-produce';
    return [
      eventStreamsPolicy(options, `${name}-cluster`, ServiceRole.READER, 'cluster'),
      eventStreamsPolicy(options, `${name}-topic`, ServiceRole.WRITER, 'topic', options.topic),
    ];
  }

  /**
   * Consume from one Event Streams topic: `Reader` on the cluster, the topic and, when given,
   * the consumer group. Policies named `<name>-cluster`, `<name>-topic`, `<name>-group`.
   */
  public static eventStreamsConsume(options: EventStreamsTopicOptions): AccessPolicyProps[] {
    const name = options.name ?? 'event-streams-consume';
    const policies = [
      eventStreamsPolicy(options, `${name}-cluster`, ServiceRole.READER, 'cluster'),
      eventStreamsPolicy(options, `${name}-topic`, ServiceRole.READER, 'topic', options.topic),
    ];
    if (options.consumerGroup !== undefined) {
      policies.push(eventStreamsPolicy(options, `${name}-group`, ServiceRole.READER, 'group', options.consumerGroup));
    }
    return policies;
  }
}

function bucketPolicy(options: ObjectStorageBucketOptions, defaultName: string, role: string, description: string): AccessPolicyProps {
  return {
    name: options.name ?? defaultName,
    description: options.description ?? `${description}: ${options.bucket}`,
    roles: [role],
    resources: { service: 'cloud-object-storage', resourceInstanceId: options.instance, resourceType: 'bucket', resource: options.bucket },
  };
}

function eventStreamsPolicy(options: EventStreamsTopicOptions, name: string, role: string, resourceType: string, resource?: string): AccessPolicyProps {
  return {
    name,
    description: options.description ?? `Event Streams ${resourceType}${resource ? ` ${resource}` : ''}: ${role}`,
    roles: [role],
    resources: {
      service: 'messagehub',
      resourceInstanceId: options.instance,
      resourceType,
      ...(resource !== undefined ? { resource } : {}),
    },
  };
}

/** Days for `TimeConditions.weekly`: 1 is Monday, 7 is Sunday. */
export type DayOfWeek = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WeeklyDaysOptions {
  /** The days the policy applies on. */
  readonly days: readonly DayOfWeek[];
  /**
   * Offset from UTC of the days (and times), `+HH:MM` or `-HH:MM`.
   * @default "+00:00"
   */
  readonly utcOffset?: string;
}

export interface WeeklyHoursOptions extends WeeklyDaysOptions {
  /** Start of the window, `HH:MM:SS`. */
  readonly from: string;
  /** End of the window, `HH:MM:SS`. */
  readonly to: string;
}

export interface OnceOptions {
  /** Start, `YYYY-MM-DDTHH:MM:SS+HH:MM` (ISO 8601 with an offset). */
  readonly from: string;
  /** End, `YYYY-MM-DDTHH:MM:SS+HH:MM`; after `from`. */
  readonly to: string;
}

/**
 * The `ruleConditions`, `ruleOperator` and `pattern` of a time-based policy; spread it into one.
 * `ruleOperator` is absent for one condition, which the provider folds.
 */
export interface TimeBasedConditions {
  readonly ruleConditions: readonly PolicyRuleCondition[];
  /** @default - none for one condition; "and" for several */
  readonly ruleOperator?: 'and';
  readonly pattern: string;
}

const OFFSET = /^[+-]([01][0-9]|2[0-3]):[0-5][0-9]$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][+-]([01][0-9]|2[0-3]):[0-5][0-9]$/;

/**
 * Time-based access in the three shapes IAM defines (IBM Cloud docs, account `iam-time-based.md`;
 * provider v2.5.0 acceptance tests in `resource_ibm_iam_trusted_profile_policy_test.go`).
 */
export class TimeConditions {
  /** The policy applies on the given days between `from` and `to`, e.g. working hours. */
  public static weekly(options: WeeklyHoursOptions): TimeBasedConditions {
    const offset = checkOffset('weekly', options.utcOffset);
    if (typeof options.from !== 'string' || !TIME.test(options.from)) throw new Error(`TimeConditions.weekly: from is ${JSON.stringify(options.from)}; write it as HH:MM:SS`);
    if (typeof options.to !== 'string' || !TIME.test(options.to)) throw new Error(`TimeConditions.weekly: to is ${JSON.stringify(options.to)}; write it as HH:MM:SS`);
    if (options.from >= options.to) throw new Error(`TimeConditions.weekly: from ${options.from} is not before to ${options.to}; IAM compares times within one day`);
    return {
      ruleConditions: [
        dayCondition('weekly', options.days, offset),
        { key: TIME_KEYS.currentTime, operator: 'timeGreaterThanOrEquals', value: [`${options.from}${offset}`] },
        { key: TIME_KEYS.currentTime, operator: 'timeLessThanOrEquals', value: [`${options.to}${offset}`] },
      ],
      ruleOperator: 'and',
      pattern: TIME_PATTERNS.weeklyCustomHours,
    };
  }

  /** The policy applies all day on the given days. One condition, so no `ruleOperator`. */
  public static weeklyAllDay(options: WeeklyDaysOptions): TimeBasedConditions {
    const offset = checkOffset('weeklyAllDay', options.utcOffset);
    return { ruleConditions: [dayCondition('weeklyAllDay', options.days, offset)], pattern: TIME_PATTERNS.weeklyAllDay };
  }

  /** The policy applies once, from `from` until `to`, e.g. for a migration window. */
  public static once(options: OnceOptions): TimeBasedConditions {
    for (const k of ['from', 'to'] as const) {
      if (typeof options[k] !== 'string' || !DATE_TIME.test(options[k])) {
        throw new Error(`TimeConditions.once: ${k} is ${JSON.stringify(options[k])}; write it as YYYY-MM-DDTHH:MM:SS+HH:MM`);
      }
    }
    if (Date.parse(options.from) >= Date.parse(options.to)) throw new Error(`TimeConditions.once: from ${options.from} is not before to ${options.to}`);
    return {
      ruleConditions: [
        { key: TIME_KEYS.currentDateTime, operator: 'dateTimeGreaterThanOrEquals', value: [options.from] },
        { key: TIME_KEYS.currentDateTime, operator: 'dateTimeLessThanOrEquals', value: [options.to] },
      ],
      ruleOperator: 'and',
      pattern: TIME_PATTERNS.once,
    };
  }
}

function checkOffset(method: string, utcOffset: string | undefined): string {
  const offset = utcOffset ?? '+00:00';
  if (typeof offset !== 'string' || !OFFSET.test(offset)) throw new Error(`TimeConditions.${method}: utcOffset is ${JSON.stringify(offset)}; write it as +HH:MM or -HH:MM`);
  return offset;
}

/** One day is `dayOfWeekEquals`, several `dayOfWeekAnyOf`, as IBM documents them. */
function dayCondition(method: string, input: readonly DayOfWeek[], offset: string): PolicyRuleCondition {
  const days = Array.isArray(input) ? [...new Set(input)].sort() : [];
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new Error(`TimeConditions.${method}: days is ${JSON.stringify(input)}; list days 1 (Monday) to 7 (Sunday)`);
  }
  return {
    key: TIME_KEYS.dayOfWeek,
    operator: days.length === 1 ? 'dayOfWeekEquals' : 'dayOfWeekAnyOf',
    value: days.map((d) => `${d}${offset}`),
  };
}
