// The `policies` of a declarations entry: plain policies, and the `AccessPolicies` presets and
// `TimeConditions` as data. A preset item (`{ preset: secretsManagerRead, instance, ... }`)
// becomes the policies the preset returns in code; `timeConditions: { weekly: {...} }` on an
// item becomes the rule conditions `TimeConditions.weekly` returns. The shapes here are typed
// against the presets' options, so an option added in code fails to compile until it is listed.
import { AccessPolicyProps, PolicyResourceAttribute, PolicyResources, PolicyResourceTag, PolicyRuleCondition } from '../model/policy';
import {
  AccessPolicies, ContainerRegistryPullOptions, EventStreamsTopicOptions, KeyProtectKeyOptions, ObjectStorageBucketOptions,
  OnceOptions, SecretsManagerReadOptions, TimeBasedConditions, TimeConditions, WeeklyDaysOptions, WeeklyHoursOptions,
} from '../model/presets';
import { TextLanding } from '../model/text-policy';
import { boolean, integer, isObject, list, map, object, ObjectShape, oneOf, requiredOf, Shape, tagged, text } from './shape';

type Keys<T> = { readonly [K in keyof Required<T>]: Shape };
const TERRAFORM = text(TextLanding.TERRAFORM_NAME);
const FREE_TEXT = text(TextLanding.FREE_TEXT);
const DAY = integer;

/** `timeConditions` of a policy: exactly one of IAM's three time-based shapes. */
export const TIME_CONDITIONS = object({
  weekly: object({ days: list(DAY), utcOffset: TERRAFORM, from: TERRAFORM, to: TERRAFORM } satisfies Keys<WeeklyHoursOptions>, { required: ['days', 'from', 'to'] }),
  weeklyAllDay: object({ days: list(DAY), utcOffset: TERRAFORM } satisfies Keys<WeeklyDaysOptions>, { required: ['days'] }),
  once: object({ from: TERRAFORM, to: TERRAFORM } satisfies Keys<OnceOptions>, { required: ['from', 'to'] }),
}, { exactlyOne: true });

type TimeConditionKind = 'weekly' | 'weeklyAllDay' | 'once';

const CONDITION = list(object({ name: TERRAFORM, value: TERRAFORM, operator: TERRAFORM } satisfies Keys<PolicyResourceAttribute> & Keys<PolicyResourceTag>,
  { modelRequires: requiredOf<PolicyResourceAttribute & PolicyResourceTag>()(['name', 'value']) }));

/** A policy written out in full, optionally with `timeConditions`. */
const PLAIN_POLICY = object({
  name: TERRAFORM,
  roles: list(TERRAFORM),
  description: FREE_TEXT,
  accountManagement: boolean,
  resourceAttributes: CONDITION,
  resourceTags: CONDITION,
  resources: object({
    service: TERRAFORM, resourceInstanceId: TERRAFORM, region: TERRAFORM, resourceType: TERRAFORM, resource: TERRAFORM,
    resourceGroupId: TERRAFORM, serviceType: TERRAFORM, serviceGroupId: TERRAFORM, attributes: map(TERRAFORM),
  } satisfies Keys<PolicyResources>),
  ruleConditions: list(object({ key: TERRAFORM, operator: TERRAFORM, value: list(TERRAFORM) } satisfies Keys<PolicyRuleCondition>,
    { modelRequires: requiredOf<PolicyRuleCondition>()(['key', 'operator', 'value']) })),
  ruleOperator: oneOf('and', 'or'),
  pattern: TERRAFORM,
  timeConditions: TIME_CONDITIONS,
} satisfies Keys<AccessPolicyProps> & { timeConditions: Shape }, { modelRequires: requiredOf<AccessPolicyProps>()(['name', 'roles']) });

/** The options every preset item has besides its own. */
const preset = <K extends { readonly [key: string]: Shape }>(name: keyof typeof AccessPolicies, keys: K, required: readonly (keyof K & string)[]): ObjectShape =>
  object({ preset: oneOf(name), ...keys, timeConditions: TIME_CONDITIONS }, { required: ['preset', ...required] });

const INSTANCE = { instance: TERRAFORM, name: TERRAFORM, description: FREE_TEXT };
const BUCKET = { ...INSTANCE, bucket: TERRAFORM } satisfies Keys<ObjectStorageBucketOptions>;
const TOPIC = { ...INSTANCE, topic: TERRAFORM, consumerGroup: TERRAFORM } satisfies Keys<EventStreamsTopicOptions>;

/** Each `AccessPolicies` preset by its method name, with its options. */
export const PRESETS: { readonly [K in Exclude<keyof typeof AccessPolicies, 'prototype'>]: ObjectShape } = {
  secretsManagerRead: preset('secretsManagerRead', { ...INSTANCE, secretGroupId: TERRAFORM } satisfies Keys<SecretsManagerReadOptions>, ['instance']),
  objectStorageBucketRead: preset('objectStorageBucketRead', BUCKET, ['instance', 'bucket']),
  objectStorageBucketWrite: preset('objectStorageBucketWrite', BUCKET, ['instance', 'bucket']),
  keyProtectUse: preset('keyProtectUse', { ...INSTANCE, keyId: TERRAFORM, keyRingId: TERRAFORM } satisfies Keys<KeyProtectKeyOptions>, ['instance']),
  containerRegistryPull: preset('containerRegistryPull', { namespace: TERRAFORM, region: TERRAFORM, name: TERRAFORM, description: FREE_TEXT } satisfies Keys<ContainerRegistryPullOptions>, ['namespace']),
  eventStreamsProduce: preset('eventStreamsProduce', TOPIC, ['instance', 'topic']),
  eventStreamsConsume: preset('eventStreamsConsume', TOPIC, ['instance', 'topic']),
};

/** One item of `policies`: a policy, or a preset's options with `preset: <name>`. */
export const POLICY_ITEM: Shape = tagged('preset', PRESETS, PLAIN_POLICY);

/** Where a policy the model sees came from: the item of the file, and the preset that made it. */
export interface PolicyOrigin {
  /** e.g. `policies[2]`. */
  readonly field: string;
  readonly preset?: string;
}

type Report = (field: string, value: unknown, message: string) => void;

/**
 * The policies of conformed `items` (see `POLICY_ITEM`): presets expanded, time conditions
 * turned into rule conditions. `origins[i]` is where the i-th policy came from. An item that
 * cannot be built is reported and left out.
 */
export function expandPolicies(items: readonly unknown[], report: Report): { policies: AccessPolicyProps[]; origins: PolicyOrigin[] } {
  const policies: AccessPolicyProps[] = [];
  const origins: PolicyOrigin[] = [];
  items.forEach((item, i) => {
    const field = `policies[${i}]`;
    // An item of the wrong type stays, undefined, so the model's indices match the file's.
    if (!isObject(item)) {
      policies.push(item as AccessPolicyProps);
      origins.push({ field });
      return;
    }
    const { preset: presetName, timeConditions, ...options } = item;
    const time = timeConditions === undefined ? undefined : timeBased(timeConditions, `${field}.timeConditions`, report);
    if (timeConditions !== undefined && time === undefined) return;
    if (time && presetName === undefined) {
      const clash = ['ruleConditions', 'ruleOperator', 'pattern'].filter((k) => options[k] !== undefined);
      if (clash.length > 0) {
        report(`${field}.timeConditions`, timeConditions, `timeConditions sets ${clash.join(' and ')} itself; give either timeConditions or ${clash.join(', ')}`);
        return;
      }
    }
    let made: AccessPolicyProps[];
    if (presetName === undefined) {
      made = [options as AccessPolicyProps];
    } else {
      try {
        made = (AccessPolicies[presetName as keyof typeof PRESETS] as (o: unknown) => AccessPolicyProps[])(options);
      } catch (e) {
        // keyProtectUse refuses a key and a key ring together, or neither.
        report(field, { preset: presetName, ...options }, (e as Error).message.replace(/^AccessPolicies\.\w+: /, ''));
        return;
      }
    }
    for (const policy of made) {
      policies.push(time ? { ...policy, ...time } : policy);
      origins.push({ field, preset: presetName as string | undefined });
    }
  });
  return { policies, origins };
}

/** The rule conditions of `value` (one of weekly, weeklyAllDay, once), or undefined when refused. */
function timeBased(value: unknown, field: string, report: Report): TimeBasedConditions | undefined {
  if (!isObject(value)) return undefined;
  const [kind, options] = Object.entries(value)[0] as [TimeConditionKind, any];
  try {
    return TimeConditions[kind](options);
  } catch (e) {
    // "TimeConditions.weekly: from is "9:00"; write it as HH:MM:SS": the field is from.
    const m = /^TimeConditions\.\w+: (\w+) is (.*?); (.*)$/s.exec((e as Error).message);
    if (m) report(`${field}.${kind}.${m[1]}`, options?.[m[1]], m[3]);
    else report(`${field}.${kind}`, options, (e as Error).message.replace(/^TimeConditions\.\w+: /, ''));
    return undefined;
  }
}

/**
 * The model's field for the i-th expanded policy (`policies[3].roles`) as the file has it: the
 * same path for a plain policy; for a preset's policy, the item (`policies[1]`), since the
 * preset wrote the inner field.
 */
export function fieldInFile(field: string, origins: readonly PolicyOrigin[]): { field: string; note?: string } {
  const m = /^policies\[(\d+)\](.*)$/.exec(field);
  if (!m) return { field };
  const origin = origins[Number(m[1])];
  if (!origin) return { field };
  if (origin.preset === undefined) return { field: `${origin.field}${m[2]}` };
  return { field: origin.field, note: `in the policy the preset ${origin.preset} makes${m[2] ? ` (${m[2].replace(/^\./, '')})` : ''}` };
}
