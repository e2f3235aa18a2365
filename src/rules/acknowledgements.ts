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
 * resource body. cdktf keeps it next to its own `//` metadata in JSON, but `cdktf synth --hcl`
 * drops every `//` property, so the same metadata also travels in a local value (below).
 */
export const TERRAFORM_COMMENT_KEY = '//';
export const TERRAFORM_METADATA_KEY = 'iks-workload-identity';

/**
 * The carrier HCL keeps: a local value (any name) whose value is
 * `{ "iks-workload-identity" = { resources = { "<type>.<name>" = { acknowledge = { "<ID>" = "<reason>" }, profileName = "..." } } } }`.
 * Locals are neither planned nor stored in state. cdktf renders local values into HCL without
 * escaping, so every string in it is percent-encoded (`%`, `"`, `\`, `$`, control characters).
 */
export const TERRAFORM_LOCAL_RESOURCES_KEY = 'resources';

export function encodeCarriedText(text: string): string {
  return text.replace(/[%"\\$\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

export function decodeCarriedText(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The metadata carried in a configuration's local values, by resource address, decoded into
 * the shape of the `//` property (`{ acknowledge?, profileName? }`).
 */
export function carriedMetadataOf(locals: unknown): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const block of Array.isArray(locals) ? locals : [locals]) {
    if (!isObject(block)) continue;
    for (const value of Object.values(block)) {
      const resources = isObject(value) && isObject(value[TERRAFORM_METADATA_KEY]) ? (value[TERRAFORM_METADATA_KEY] as Record<string, unknown>)[TERRAFORM_LOCAL_RESOURCES_KEY] : undefined;
      if (!isObject(resources)) continue;
      for (const [address, meta] of Object.entries(resources)) {
        if (!isObject(meta)) continue;
        const decoded: Record<string, unknown> = { ...out.get(address) };
        if (typeof meta.profileName === 'string') decoded.profileName = decodeCarriedText(meta.profileName);
        if (isObject(meta.acknowledge)) {
          const acks: Record<string, string> = { ...(decoded.acknowledge as Record<string, string> | undefined) };
          for (const [ruleId, reason] of Object.entries(meta.acknowledge)) if (typeof reason === 'string') acks[ruleId] = decodeCarriedText(reason);
          decoded.acknowledge = acks;
        }
        out.set(address, decoded);
      }
    }
  }
  return out;
}

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
