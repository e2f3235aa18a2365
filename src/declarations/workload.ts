// The `workload` block of a declarations entry: what the Kubernetes side runs for the identity
// (`iks-workload-identity synth` and the platform example read it). Checked with the entry, so a
// bad image is reported beside a bad CRN, each naming its file, entry and field.
import { ClusterKind } from '../model/cluster';
import { declarationsFromData, DeclarationsOptions, ExtraKeyProblem } from './identities-from-data';
import { TextLanding } from '../model/text-policy';
import { WorkloadIdentity } from '../model/workload-identity';
import { conform, object, ObjectShape, oneOf, range, Shape, text } from './shape';

/** What the Kubernetes side runs for an identity: the `workload` block of an entry. */
export interface DeclaredWorkload {
  /** The app's container image, pinned by tag or digest. */
  readonly image: string;
  /** @default 1 */
  readonly replicas?: number;
  /** The container port. @default - none */
  readonly port?: number;
  /**
   * Which kind of cluster the token-fetch Job targets; required when the identity's clusters mix IKS and ROKS.
   * @default - the kind of all of the identity's clusters
   */
  readonly clusterKind?: ClusterKind;
}

/** One declared identity and its workload. */
export interface WorkloadDeclaration {
  readonly identity: WorkloadIdentity;
  /** Undefined only when the entry has none and `requireWorkload` was false. */
  readonly workload: DeclaredWorkload;
}

export interface WorkloadDeclarationsOptions extends DeclarationsOptions {
  /**
   * Whether every entry needs a `workload` block; false when only the Terraform side is made.
   * @default true
   */
  readonly requireWorkload?: boolean;
}

/**
 * Validates parsed declarations whose entries each carry a `workload` block; throws a
 * `DeclarationError` listing every problem (see `declarationsFromData`).
 *
 * @param source names the data in messages, e.g. the file's path
 */
export function workloadDeclarationsFromData(data: unknown, source: string, options: WorkloadDeclarationsOptions = {}): WorkloadDeclaration[] {
  return declarationsFromData(data, source, {
    ...options,
    extraKeys: { ...options.extraKeys, workload: checkWorkload },
    requiredExtraKeys: [...(options.requiredExtraKeys ?? []), ...(options.requireWorkload === false ? [] : ['workload'])],
  })
    .map((d) => ({ identity: d.identity, workload: d.extra.workload as DeclaredWorkload }));
}

/** The shape of a `workload` block; the image's pinning is checked beyond it. */
export const WORKLOAD: ObjectShape = object({
  image: text(TextLanding.KUBELET),
  replicas: range(1, 100),
  port: range(1, 65535),
  clusterKind: oneOf(ClusterKind.IKS, ClusterKind.ROKS),
} satisfies { readonly [K in keyof Required<DeclaredWorkload>]: Shape }, { required: ['image'] });

/** The problems of an entry's `workload` block (the `extraKeys` check for `workload`). */
export function checkWorkload(value: unknown, entry: Readonly<Record<string, unknown>>): ExtraKeyProblem[] {
  if (value === undefined) {
    return [{ field: '', value, message: 'required: the Kubernetes side runs the identity\'s workload, e.g. workload: { image: "icr.io/payments/payments-api:1.4.2" }' }];
  }
  const problems: ExtraKeyProblem[] = [];
  const w = conform(WORKLOAD, value, 'workload', (field, v, message) => problems.push({ field: field.replace(/^workload\.?/, ''), value: v, message })) as Record<string, unknown> | undefined;
  if (w === undefined) return problems;
  const image = w.image;
  if (typeof image === 'string' && (image.trim() === '' || /\s/.test(image))) {
    problems.push({ field: 'image', value: image, message: 'the image is a reference such as "icr.io/payments/payments-api:1.4.2"' });
  } else if (typeof image === 'string' && (!/[:@]/.test(image.split('/').pop()!) || image.endsWith(':latest'))) {
    problems.push({ field: 'image', value: image, message: 'pin the image by tag or digest (not "latest"), so every rollout runs what was reviewed' });
  }
  const kinds = new Set(Array.isArray(entry.clusters) ? entry.clusters.map((c) => (c as { kind?: unknown })?.kind) : []);
  if (w.clusterKind === undefined && !problems.some((p) => p.field === 'clusterKind') && kinds.size > 1) {
    problems.push({ field: 'clusterKind', value: undefined, message: 'the identity runs on IKS and ROKS clusters, whose Pod Security differs; set the kind this namespace\'s manifests are applied to' });
  }
  return problems;
}
