import { EnvVar, ServiceAccountRef, WorkloadIdentity } from '../index';
import { podSpecOf } from '../rules/workload-kinds';

/**
 * What the identity needs to know of a pod, whether it is read from cdk8s-plus objects before
 * synthesis or from rendered JSON after it: one conflict check serves both.
 */
export interface PodView {
  readonly namespace?: string;
  readonly serviceAccountName?: string;
  readonly volumeNames: readonly string[];
  readonly containers: readonly ContainerView[];
}

export interface ContainerView {
  readonly name: string;
  readonly mountPaths: readonly string[];
  /** Environment variable values; `undefined` for variables set from a source (`valueFrom`). */
  readonly env: ReadonlyMap<string, string | undefined>;
}

/**
 * Describes every way the pod contradicts what the identity must add to it, when it runs as
 * `sa` (one of the identity's trusted service accounts).
 */
export function findConflicts(pod: PodView, identity: WorkloadIdentity, env: readonly EnvVar[], sa: Required<ServiceAccountRef>): string[] {
  const problems: string[] = [];
  if (pod.namespace === undefined) {
    problems.push(`the workload has no namespace, so kubectl would put it in the current one; create its chart with { namespace: "${sa.namespace}" } (or set metadata.namespace), so it and its Services land where the service account is`);
  } else if (pod.namespace !== sa.namespace) {
    problems.push(`the workload is in namespace "${pod.namespace}" but the identity's service account is in "${sa.namespace}"; a pod can only use a service account of its own namespace, so put the workload in "${sa.namespace}"`);
  }
  if (pod.serviceAccountName !== undefined && pod.serviceAccountName !== sa.name) {
    problems.push(`the workload runs as service account "${pod.serviceAccountName}" but the identity trusts "${sa.name}"; drop the workload's serviceAccount prop or pass the identity's`);
  }
  if (pod.volumeNames.includes(identity.token.volumeName)) {
    problems.push(`the workload already has a volume named "${identity.token.volumeName}", the name of the projected token volume; rename that volume`);
  }
  for (const c of pod.containers) {
    if (c.mountPaths.includes(identity.token.mountPath)) {
      problems.push(`container "${c.name}" already mounts something at ${identity.token.mountPath}, where the token goes; mount it elsewhere or set token.mountPath on the identity`);
    }
    for (const v of env) {
      if (c.env.has(v.name) && c.env.get(v.name) !== v.value) {
        problems.push(`container "${c.name}" sets ${v.name} to ${c.env.get(v.name) === undefined ? 'a value from a source' : JSON.stringify(c.env.get(v.name))}, but the identity sets it to ${JSON.stringify(v.value)}; remove it from the container, the identity provides it`);
      }
    }
  }
  return problems;
}

export { podSpecOf };

export function podViewOfManifest(manifest: any): PodView {
  const spec = podSpecOf(manifest) ?? {};
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  return {
    namespace: manifest.metadata?.namespace,
    serviceAccountName: spec.serviceAccountName,
    volumeNames: (spec.volumes ?? []).map((v: any) => v.name),
    containers: containers.map((c: any) => ({
      name: c.name,
      mountPaths: (c.volumeMounts ?? []).map((m: any) => m.mountPath),
      env: new Map((c.env ?? []).map((e: any) => [e.name, e.valueFrom ? undefined : e.value])),
    })),
  };
}

export interface ApplyIdentityOptions {
  readonly env: readonly EnvVar[];
  /** The trusted service account the pod runs as. */
  readonly serviceAccount: Required<ServiceAccountRef>;
  /** Fill in what Pod Security "restricted" needs and the workload left unset. */
  readonly harden: boolean;
}

/**
 * Adds the identity to a rendered workload manifest, in place: namespace, service account,
 * the projected token volume, a read-only mount and the environment in every container and
 * init container. Throws when the manifest contradicts the identity.
 */
export function applyIdentity(manifest: any, identity: WorkloadIdentity, options: ApplyIdentityOptions): void {
  const spec = podSpecOf(manifest);
  if (!spec) throw new Error(`a ${manifest?.kind} has no pod template to give an identity to`);
  const sa = options.serviceAccount;
  const conflicts = findConflicts(podViewOfManifest(manifest), identity, options.env, sa);
  if (conflicts.length > 0) {
    throw new Error(`WorkloadIdentity "${identity.name}" on ${manifest.kind} "${manifest.metadata?.name}": ${conflicts.join('; ')}`);
  }
  const token = identity.token;

  manifest.metadata = { ...manifest.metadata, namespace: sa.namespace };
  spec.serviceAccountName = sa.name;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: token.volumeName,
      projected: {
        sources: [{ serviceAccountToken: { audience: token.audience, expirationSeconds: token.expirationSeconds, path: token.fileName } }],
      },
    },
  ];
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: token.mountPath, name: token.volumeName, readOnly: true }];
    const existing = new Set((c.env ?? []).map((e: any) => e.name));
    c.env = [...(c.env ?? []), ...options.env.filter((v) => !existing.has(v.name)).map((v) => ({ name: v.name, value: v.value }))];
    if (options.harden) hardenContainer(c);
  }
  if (options.harden) hardenPod(spec);
}

/**
 * cdk8s-plus-27 sets runAsNonRoot, allowPrivilegeEscalation=false and privileged=false but
 * cannot express a seccomp profile, and drops no capabilities unless asked: both are required
 * by Pod Security "restricted". Values the workload set explicitly are left alone.
 */
function hardenPod(spec: any): void {
  spec.securityContext = { ...spec.securityContext };
  if (!spec.securityContext.seccompProfile) spec.securityContext.seccompProfile = { type: 'RuntimeDefault' };
}

function hardenContainer(c: any): void {
  c.securityContext = { ...c.securityContext };
  const caps = { ...c.securityContext.capabilities };
  if (!caps.drop || caps.drop.length === 0) caps.drop = ['ALL'];
  c.securityContext.capabilities = caps;
}

/** Sorts object keys recursively, as cdk8s does, so patched manifests read like the rest. */
export function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}
