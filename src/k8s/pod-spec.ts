import { EnvVar, ServiceAccountRef, TokenSettings, WorkloadIdentity } from '../index';
import { podSpecOf } from '../rules/workload-kinds';

/**
 * What the identity needs to know of a pod, read from its rendered JSON: whichever construct
 * made it (cdk8s-plus of any line, an L1 class, `Include`, `Helm`), one conflict check serves.
 */
export interface PodView {
  readonly namespace?: string;
  /** `serviceAccountName`, or the deprecated `serviceAccount` when only that is set. */
  readonly serviceAccountName?: string;
  /** The pod's volumes by name, as rendered. */
  readonly volumes: ReadonlyMap<string, any>;
  /** Containers, then init containers (native sidecars included). */
  readonly containers: readonly ContainerView[];
}

export interface ContainerView {
  readonly name: string;
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly subPath?: string }[];
  /** Environment variable values; `undefined` for variables set from a source (`valueFrom`). */
  readonly env: ReadonlyMap<string, string | undefined>;
}

/** How the binding completes a pod, and what it may leave as the workload has it. */
export interface IdentityWiring {
  readonly env: readonly EnvVar[];
  /**
   * The trusted service account the pod runs as; undefined to mount the token only, leaving
   * the pod's service account and environment alone.
   */
  readonly serviceAccount?: Required<ServiceAccountRef>;
}

export function podViewOfManifest(manifest: any): PodView {
  const spec = podSpecOf(manifest) ?? {};
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  return {
    namespace: manifest?.metadata?.namespace,
    serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount,
    volumes: new Map(list(spec.volumes).map((v: any) => [v?.name, v])),
    containers: containers.map((c: any) => ({
      name: c?.name,
      mounts: list(c?.volumeMounts).map((m: any) => ({ name: m?.name, mountPath: m?.mountPath, subPath: m?.subPath || undefined })),
      env: new Map(list(c?.env).map((e: any) => [e?.name, e?.valueFrom ? undefined : e?.value])),
    })),
  };
}

/** Where the token comes from in a pod: a volume the binding adds, or one the pod already has. */
interface TokenPlan {
  readonly volumeName: string;
  readonly addVolume: boolean;
  /** Containers that still need the mount. */
  readonly mountIn: ReadonlySet<string>;
}

/**
 * Why `volume` is not the identity's projected token (undefined when it is): a projected
 * volume whose `serviceAccountToken` source writes `fileName` for audience `iam` with the
 * identity's lifetime. Other sources in the same volume are the workload's own business.
 */
function notTheToken(volume: any, token: TokenSettings): string | undefined {
  const sources = volume?.projected?.sources;
  if (!Array.isArray(sources)) return `it is not a projected volume (${excerpt(volume)})`;
  const source = sources.map((s: any) => s?.serviceAccountToken).find((t: any) => t?.path === token.fileName);
  if (!source) return `it projects no service-account token at path "${token.fileName}"`;
  if (source.audience !== token.audience) return `its token's audience is ${JSON.stringify(source.audience)}, not "${token.audience}"`;
  // Kubernetes mints for an hour when expirationSeconds is unset.
  const lifetime = source.expirationSeconds ?? 3600;
  if (lifetime !== token.expirationSeconds) return `its token lives ${lifetime} s, the identity's ${token.expirationSeconds} s`;
  return undefined;
}

/** The token's source and missing mounts, or the contradictions that make the pod unusable. */
function planToken(pod: PodView, token: TokenSettings): { plan: TokenPlan; problems: string[] } {
  const problems: string[] = [];
  let volumeName = token.volumeName;
  let addVolume = true;
  const named = pod.volumes.get(token.volumeName);
  if (pod.volumes.has(token.volumeName)) {
    const why = notTheToken(named, token);
    if (why === undefined) addVolume = false;
    else problems.push(`the workload already has a volume named "${token.volumeName}", the name of the projected token volume, but ${why}; rename that volume, or make it the token: projected.sources[].serviceAccountToken { audience: "${token.audience}", expirationSeconds: ${token.expirationSeconds}, path: "${token.fileName}" }`);
  } else {
    // A pod wired by hand (Helm values, IBM's tutorial) may name its token volume otherwise.
    const mounted = pod.containers.flatMap((c) => c.mounts).find((m) => m.mountPath === token.mountPath && m.subPath === undefined && notTheToken(pod.volumes.get(m.name), token) === undefined);
    if (mounted) {
      volumeName = mounted.name;
      addVolume = false;
    }
  }
  const mountIn = new Set<string>();
  for (const c of pod.containers) {
    const at = c.mounts.filter((m) => m.mountPath === token.mountPath);
    if (at.length === 0) mountIn.add(c.name);
    else if (at.some((m) => m.name !== volumeName || m.subPath !== undefined)) {
      problems.push(`container "${c.name}" already mounts something at ${token.mountPath}, where the token goes (volume "${at[0].name}"${at[0].subPath ? `, subPath "${at[0].subPath}"` : ''}); mount it elsewhere or set token.mountPath on the identity`);
    }
  }
  return { plan: { volumeName, addVolume, mountIn }, problems };
}

/**
 * Describes every way the pod contradicts what the identity must add to it. Values the pod
 * already has that agree (the same service account, the token already mounted where it goes,
 * a variable already set to the identity's value) are not conflicts.
 */
export function findConflicts(pod: PodView, identity: WorkloadIdentity, wiring: IdentityWiring): string[] {
  const problems: string[] = [];
  const sa = wiring.serviceAccount;
  if (sa !== undefined) {
    if (pod.namespace === undefined) {
      problems.push(`the workload has no namespace, so kubectl would put it in the current one; create its chart with { namespace: "${sa.namespace}" } (or set metadata.namespace), so it and its Services land where the service account is`);
    } else if (pod.namespace !== sa.namespace) {
      problems.push(`the workload is in namespace "${pod.namespace}" but the identity's service account is in "${sa.namespace}"; a pod can only use a service account of its own namespace, so put the workload in "${sa.namespace}"`);
    }
    if (pod.serviceAccountName !== undefined && pod.serviceAccountName !== sa.name) {
      problems.push(`the workload runs as service account "${pod.serviceAccountName}" but the identity trusts "${sa.name}"; drop the workload's serviceAccount prop (serviceAccountName in a manifest) or pass the identity's`);
    }
  }
  problems.push(...planToken(pod, identity.token).problems);
  for (const c of pod.containers) {
    for (const v of wiring.env) {
      if (c.env.has(v.name) && c.env.get(v.name) !== v.value) {
        problems.push(`container "${c.name}" sets ${v.name} to ${c.env.get(v.name) === undefined ? 'a value from a source' : JSON.stringify(c.env.get(v.name))}, but the identity sets it to ${JSON.stringify(v.value)}; remove it from the container, the identity provides it`);
      }
    }
  }
  return problems;
}

export { podSpecOf };

export interface ApplyIdentityOptions extends IdentityWiring {
  /** Fill in what Pod Security "restricted" needs and the workload left unset. */
  readonly harden: boolean;
}

/**
 * Adds the identity to a rendered workload manifest, in place: namespace, service account,
 * the projected token volume, a read-only mount and the environment in every container and
 * init container (native sidecars are init containers). What the manifest already has and
 * agrees with is kept as it is. Throws when the manifest contradicts the identity.
 */
export function applyIdentity(manifest: any, identity: WorkloadIdentity, options: ApplyIdentityOptions): void {
  const spec = podSpecOf(manifest);
  if (!spec) throw new Error(`a ${manifest?.kind} has no pod template to give an identity to`);
  const view = podViewOfManifest(manifest);
  const conflicts = findConflicts(view, identity, options);
  if (conflicts.length > 0) {
    throw new Error(`WorkloadIdentity "${identity.name}" on ${manifest.kind} "${manifest.metadata?.name}": ${conflicts.join('; ')}`);
  }
  const token = identity.token;
  const { plan } = planToken(view, token);
  const sa = options.serviceAccount;

  if (sa !== undefined) {
    manifest.metadata = { ...manifest.metadata, namespace: sa.namespace };
    spec.serviceAccountName = sa.name;
  }
  if (plan.addVolume) {
    spec.volumes = [
      ...list(spec.volumes),
      {
        name: token.volumeName,
        projected: {
          sources: [{ serviceAccountToken: { audience: token.audience, expirationSeconds: token.expirationSeconds, path: token.fileName } }],
        },
      },
    ];
  }
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    if (plan.mountIn.has(c.name)) {
      c.volumeMounts = [...list(c.volumeMounts), { mountPath: token.mountPath, name: plan.volumeName, readOnly: true }];
    }
    const existing = new Set(list(c.env).map((e: any) => e?.name));
    const added = options.env.filter((v) => !existing.has(v.name)).map((v) => ({ name: v.name, value: v.value }));
    if (added.length > 0) c.env = [...list(c.env), ...added];
    if (options.harden) hardenContainer(c);
  }
  if (options.harden) hardenPod(spec);
}

/**
 * Fills in what Pod Security "restricted" requires and the workload left unset: cdk8s-plus-27
 * cannot express a seccomp profile and drops no capabilities unless asked; L1 objects and
 * included manifests may set nothing at all. Values the workload set explicitly are left
 * alone (the rules then judge them).
 */
function hardenPod(spec: any): void {
  spec.securityContext = { ...spec.securityContext };
  if (!spec.securityContext.seccompProfile) spec.securityContext.seccompProfile = { type: 'RuntimeDefault' };
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  if (spec.securityContext.runAsNonRoot === undefined && containers.some((c: any) => c.securityContext?.runAsNonRoot === undefined)) {
    spec.securityContext.runAsNonRoot = true;
  }
}

function hardenContainer(c: any): void {
  c.securityContext = { ...c.securityContext };
  const caps = { ...c.securityContext.capabilities };
  if (!caps.drop || caps.drop.length === 0) caps.drop = ['ALL'];
  c.securityContext.capabilities = caps;
  if (c.securityContext.allowPrivilegeEscalation === undefined) c.securityContext.allowPrivilegeEscalation = false;
}

/** Sorts object keys recursively, as cdk8s does, so patched manifests read like the rest. */
export function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function excerpt(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
