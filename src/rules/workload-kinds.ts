// Where each workload kind keeps its pod template: one table for the binding, the facts the
// rules read and the Pod Security checker, so they agree on which objects run pods.

/** The path from a manifest to its pod template (an object with `metadata` and `spec`). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  DeploymentConfig: ['spec', 'template'],
};

/**
 * The API groups each kind of the table belongs to ('' is the core group). A custom resource
 * may reuse a kind name (`kind: Deployment` in another group): its template is not a pod's.
 * OpenShift 3 served DeploymentConfig from the core group too (`apiVersion: v1`).
 */
export const POD_TEMPLATE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: [''],
  PodTemplate: [''],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  ReplicationController: [''],
  Job: ['batch'],
  CronJob: ['batch'],
  DeploymentConfig: ['apps.openshift.io', ''],
};

/**
 * Whether the manifest's kind, in its API group, has a pod template. A manifest without
 * `apiVersion` is judged by kind alone, as before groups were checked.
 */
export function hasPodTemplate(manifest: any): boolean {
  const kind = manifest?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(POD_TEMPLATE_PATHS, kind)) return false;
  const apiVersion = manifest.apiVersion;
  if (typeof apiVersion !== 'string') return true;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return POD_TEMPLATE_GROUPS[kind].includes(group);
}

/** The pod template of a rendered workload manifest (the Pod itself for a Pod), or undefined. */
export function podTemplateOf(manifest: any): any | undefined {
  if (!hasPodTemplate(manifest)) return undefined;
  let node = manifest;
  for (const key of POD_TEMPLATE_PATHS[manifest.kind]) node = node?.[key];
  return node;
}

/** The pod spec of a rendered workload manifest, or undefined for kinds that run no pods. */
export function podSpecOf(manifest: any): any | undefined {
  return podTemplateOf(manifest)?.spec;
}
