// Where each workload kind keeps its pod template: one table for the binding, the facts the
// rules read and the Pod Security checker, so they agree on which objects run pods. Kinds are
// matched by API group and kind, as kube-linter's pkg/objectkinds does: a CRD of another group
// that happens to be called `Deployment` runs no pods of its own.

interface WorkloadKind {
  /** API groups the kind is served under (`''` is the core group). */
  readonly groups: readonly string[];
  /** The path from the manifest to its pod template (an object with `metadata` and `spec`). */
  readonly path: readonly string[];
}

const WORKLOAD_KINDS: Readonly<Record<string, WorkloadKind>> = {
  Pod: { groups: [''], path: [] },
  PodTemplate: { groups: [''], path: ['template'] },
  ReplicationController: { groups: [''], path: ['spec', 'template'] },
  // extensions/v1beta1 served these until Kubernetes 1.16; old manifests still say so.
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions'], path: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template'] },
  StatefulSet: { groups: ['apps'], path: ['spec', 'template'] },
  Job: { groups: ['batch'], path: ['spec', 'template'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template'] },
  // OpenShift (ROKS): apps.openshift.io/v1, or plain `v1` as OpenShift 3 wrote it.
  DeploymentConfig: { groups: ['apps.openshift.io', ''], path: ['spec', 'template'] },
};

/** The path from a manifest to its pod template, by kind alone (see `podTemplatePathOf`). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(WORKLOAD_KINDS).map(([kind, k]) => [kind, k.path]),
);

/** The API group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> the core group `''`). */
export function apiGroupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The path to the pod template of a workload manifest, matched by group and kind, or undefined
 * for objects that run no pods. A manifest without `apiVersion` (a fragment rendered in
 * memory) is matched by kind alone.
 */
export function podTemplatePathOf(manifest: any): readonly string[] | undefined {
  const kind = typeof manifest?.kind === 'string' && Object.prototype.hasOwnProperty.call(WORKLOAD_KINDS, manifest.kind)
    ? WORKLOAD_KINDS[manifest.kind] : undefined;
  if (!kind) return undefined;
  const group = apiGroupOf(manifest.apiVersion);
  return group === undefined || kind.groups.includes(group) ? kind.path : undefined;
}

/** Whether the manifest's kind, in its API group, has a pod template. */
export function hasPodTemplate(manifest: any): boolean {
  return podTemplatePathOf(manifest) !== undefined;
}

/** The pod template of a rendered workload manifest (the Pod itself for a Pod), or undefined. */
export function podTemplateOf(manifest: any): any | undefined {
  const path = podTemplatePathOf(manifest);
  if (!path) return undefined;
  let node = manifest;
  for (const key of path) node = node?.[key];
  return node;
}

/** The pod spec of a rendered workload manifest, or undefined for kinds that run no pods. */
export function podSpecOf(manifest: any): any | undefined {
  return podTemplateOf(manifest)?.spec;
}
