// Where acknowledgements live in the outputs. They are recorded in the synthesized files, not
// only in the declaration, so `iks-workload-identity check` honours them on any output and a
// reviewer reading the manifests or the plan sees why a finding was accepted.
import { Acknowledgements } from './types';

/**
 * Kubernetes: one annotation per rule on the workload, `iks-workload-identity/acknowledge.<ID>`,
 * whose value is the reason. Hand-written manifests acknowledge the same way.
 */
export const ACKNOWLEDGE_ANNOTATION_PREFIX = 'iks-workload-identity/acknowledge.';

/**
 * Terraform: a `//` property, which Terraform's JSON syntax reserves for comments and ignores,
 * holding `{ "iks-workload-identity": { "acknowledge": { "<ID>": "<reason>" } } }` in the
 * resource body. cdktf keeps it next to its own `//` metadata.
 */
export const TERRAFORM_COMMENT_KEY = '//';
export const TERRAFORM_METADATA_KEY = 'iks-workload-identity';

/** The annotations that record `acknowledgements` on a Kubernetes object. */
export function acknowledgementAnnotations(acknowledgements: readonly { ruleId: string; reason: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of acknowledgements) out[`${ACKNOWLEDGE_ANNOTATION_PREFIX}${a.ruleId}`] = a.reason;
  return out;
}

export function acknowledgementsOfManifest(manifest: any): Acknowledgements {
  const out = new Map<string, string>();
  const annotations = manifest?.metadata?.annotations;
  if (!isObject(annotations)) return out;
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(ACKNOWLEDGE_ANNOTATION_PREFIX) && isReason(value)) {
      out.set(key.slice(ACKNOWLEDGE_ANNOTATION_PREFIX.length), value);
    }
  }
  return out;
}

export function acknowledgementsOfResource(body: any): Acknowledgements {
  const out = new Map<string, string>();
  const acks = terraformMetadataOf(body)?.acknowledge;
  if (!isObject(acks)) return out;
  for (const [ruleId, reason] of Object.entries(acks)) {
    if (isReason(reason)) out.set(ruleId, reason);
  }
  return out;
}

/** This library's metadata in a Terraform resource body's `//` comment, if any. */
export function terraformMetadataOf(body: any): any {
  const comment = body?.[TERRAFORM_COMMENT_KEY];
  return isObject(comment) ? comment[TERRAFORM_METADATA_KEY] : undefined;
}

/**
 * The shortest reason that acknowledges a finding, as `WorkloadIdentity` requires of its
 * acknowledgements (src/model/workload-identity.ts): the point is that someone wrote down why.
 */
export const MIN_ACKNOWLEDGEMENT_REASON_LENGTH = 10;

/** Why `reason` does not acknowledge a finding, or undefined when it does. */
export function reasonProblem(reason: string): string | undefined {
  const length = reason.trim().length;
  if (length >= MIN_ACKNOWLEDGEMENT_REASON_LENGTH) return undefined;
  return length === 0 ? 'its reason is empty'
    : `its reason ${JSON.stringify(reason.trim().slice(0, 20))} is shorter than ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters`;
}

// Any string is kept, even one too short to count, so that the finding can say why it stays open.
function isReason(value: unknown): value is string {
  return typeof value === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
