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
};

/** The pod template of a rendered workload manifest (the Pod itself for a Pod), or undefined. */
export function podTemplateOf(manifest: any): any | undefined {
  const path = POD_TEMPLATE_PATHS[manifest?.kind];
  if (!path) return undefined;
  let node = manifest;
  for (const key of path) node = node?.[key];
  return node;
}

/** The pod spec of a rendered workload manifest, or undefined for kinds that run no pods. */
export function podSpecOf(manifest: any): any | undefined {
  return podTemplateOf(manifest)?.spec;
}
