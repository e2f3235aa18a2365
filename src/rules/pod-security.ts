import { podTemplatePathOf } from './workload-kinds';

/**
 * The Kubernetes Pod Security Standard "restricted" (which includes "baseline"), checked on
 * rendered manifests: plain JSON, as `Testing.synth(chart)` or `chart.toJson()` return them.
 * Use it to assert that your own charts, not only this library's objects, would be admitted to
 * a namespace labelled `pod-security.kubernetes.io/enforce: restricted`:
 *
 * ```ts
 * expect(checkPodSecurityRestricted(Testing.synth(chart))).toEqual([]);
 * ```
 *
 * Checks follow Kubernetes' own (`k8s.io/pod-security-admission`, latest policy version) and
 * carry their names, without the `_baseline`/`_restricted` suffix: hostNamespaces, privileged,
 * capabilities, hostPathVolumes, hostPorts, hostProbesAndHostLifecycle, appArmorProfile,
 * seLinuxOptions, procMount, seccompProfile, sysctls, windowsHostProcess, restrictedVolumes,
 * allowPrivilegeEscalation, runAsNonRoot, runAsUser. Values compare exactly, as Kubernetes
 * compares them: `CAP_NET_BIND_SERVICE` is not `NET_BIND_SERVICE`, nor `all` `ALL`. Windows pods
 * (`spec.os.name: windows`) and user-namespace pods (`hostUsers: false`) get none of Kubernetes'
 * exemptions here, so this check is at most stricter. Objects without a pod template
 * (ServiceAccount, Service, ...) pass.
 */

/** One way a pod template breaks Pod Security "restricted". */
export interface PodSecurityViolation {
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The object's `metadata.name` (`(unnamed)` when it has none). */
  readonly name: string;
  /** The object's `metadata.namespace`, when it has one. */
  readonly namespace?: string;
  /** The container, init container or ephemeral container, for container-level checks. */
  readonly container?: string;
  /** The Pod Security check, as Kubernetes names it, e.g. `runAsNonRoot` or `restrictedVolumes`. */
  readonly check: string;
  /** The offending field (or where the missing one goes), e.g. `spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** The volume types "restricted" allows; every other type (hostPath, nfs, ...) is refused. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];
const SECCOMP_ALLOWED = ['RuntimeDefault', 'Localhost'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Checks every pod template in `manifests` (one manifest or a list; any of Pod, PodTemplate,
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) against
 * Pod Security "restricted", and returns every violation; an empty list means all are admitted.
 */
export function checkPodSecurityRestricted(manifests: unknown): PodSecurityViolation[] {
  const list: unknown[] = Array.isArray(manifests) ? manifests : [manifests];
  return list.flatMap((m) => checkManifest(m as any));
}

/** A violation as one line: `Deployment payments/api, container "app": <path>: <message>`. */
export function formatPodSecurityViolation(v: PodSecurityViolation): string {
  const object = `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}`;
  return `${object}${v.container !== undefined ? `, container "${v.container}"` : ''}: ${v.path}: ${v.message} [${v.check}]`;
}

// Input is untrusted (hand-written YAML, any JSON): every field may have any type, or be null.
// Reads go through these, so a wrong shape is judged as missing and nothing throws.
const obj = (value: unknown): Record<string, any> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, any> : {});
const arr = (value: unknown): any[] => (Array.isArray(value) ? value : []);
/** Any JSON value as text; `${value}` would throw on an object whose toString is not a function. */
const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

function checkManifest(manifest: any): PodSecurityViolation[] {
  const kind = obj(manifest).kind;
  // By API group and kind, as everywhere else: a custom resource that reuses a kind name runs no pods.
  const where = typeof kind === 'string' ? podTemplatePathOf(manifest) : undefined;
  if (where === undefined) return [];
  let template = manifest;
  for (const key of where) template = obj(template)[key];
  const specPath = [...where, 'spec'].join('.');
  const spec = obj(obj(template).spec);
  const metadata = obj(manifest.metadata);
  const out: PodSecurityViolation[] = [];
  const report = (check: string, path: string, message: string, container?: string) => out.push({
    kind, name: typeof metadata.name === 'string' ? metadata.name : '(unnamed)',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    ...(container !== undefined ? { container } : {}),
    check, path, message,
  });

  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) report('hostNamespaces', `${specPath}.${field}`, `${field} shares the node's namespace with the pod; remove it`);
  }
  arr(spec.volumes).forEach((volume: any, i: number) => {
    for (const type of Object.keys(obj(volume)).filter((k) => k !== 'name')) {
      if (RESTRICTED_VOLUME_TYPES.includes(type)) continue;
      report(type === 'hostPath' ? 'hostPathVolumes' : 'restrictedVolumes', `${specPath}.volumes[${i}].${type}`,
        `volume "${text(volume.name)}" is of type ${type}; "restricted" allows only ${RESTRICTED_VOLUME_TYPES.join(', ')}`);
    }
  });

  const podContext = obj(spec.securityContext);
  const podContextPath = `${specPath}.securityContext`;
  arr(podContext.sysctls).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.includes(s?.name)) report('sysctls', `${podContextPath}.sysctls[${i}].name`, `sysctl ${JSON.stringify(s?.name)} is not one of the safe sysctls; remove it`);
  });
  checkContext(podContext, podContextPath, report);
  if (podContext.runAsNonRoot === false) {
    report('runAsNonRoot', `${podContextPath}.runAsNonRoot`, 'runAsNonRoot is false; set it to true');
  }
  const podSeccomp = obj(podContext.seccompProfile).type;
  if (podSeccomp !== undefined && !SECCOMP_ALLOWED.includes(podSeccomp)) {
    report('seccompProfile', `${podContextPath}.seccompProfile.type`, `seccomp profile ${JSON.stringify(podSeccomp)} is not allowed; use RuntimeDefault or Localhost`);
  }
  for (const [key, value] of Object.entries(obj(obj(obj(template).metadata).annotations))) {
    if (key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      report('appArmorProfile', `${where.concat('metadata', 'annotations').join('.')}["${key}"]`, `AppArmor profile ${JSON.stringify(value)} is not allowed; use runtime/default or localhost/<profile>`);
    }
  }

  for (const listName of CONTAINER_LISTS) {
    arr(spec[listName]).forEach((raw: any, i: number) => {
      const c = obj(raw);
      const name = typeof c.name === 'string' ? c.name : `${listName}[${i}]`;
      const cPath = `${specPath}.${listName}[${i}]`;
      const ctx = obj(c.securityContext);
      const ctxPath = `${cPath}.securityContext`;
      const add = (check: string, path: string, message: string) => report(check, path, message, name);
      checkContext(ctx, ctxPath, (check, path, message) => add(check, path, message));

      if (ctx.privileged === true) add('privileged', `${ctxPath}.privileged`, 'the container is privileged; remove privileged: true');
      if (ctx.allowPrivilegeEscalation !== false) {
        add('allowPrivilegeEscalation', `${ctxPath}.allowPrivilegeEscalation`, 'allowPrivilegeEscalation must be false');
      }
      if (ctx.runAsNonRoot === false) {
        add('runAsNonRoot', `${ctxPath}.runAsNonRoot`, 'runAsNonRoot is false; set it to true');
      } else if (ctx.runAsNonRoot !== true && podContext.runAsNonRoot !== true) {
        add('runAsNonRoot', `${ctxPath}.runAsNonRoot`, 'neither the pod nor the container sets runAsNonRoot: true; set it on the pod');
      }
      const seccomp = obj(ctx.seccompProfile).type;
      if (seccomp !== undefined && !SECCOMP_ALLOWED.includes(seccomp)) {
        add('seccompProfile', `${ctxPath}.seccompProfile.type`, `seccomp profile ${JSON.stringify(seccomp)} is not allowed; use RuntimeDefault or Localhost`);
      } else if (seccomp === undefined && !SECCOMP_ALLOWED.includes(podSeccomp)) {
        add('seccompProfile', `${ctxPath}.seccompProfile.type`, 'neither the pod nor the container sets a seccomp profile; set seccompProfile.type: RuntimeDefault on the pod');
      }
      const caps = obj(ctx.capabilities);
      if (!Array.isArray(caps.drop) || !caps.drop.includes('ALL')) {
        add('capabilities', `${ctxPath}.capabilities.drop`, 'the container must drop all capabilities; set capabilities.drop: [ALL]');
      }
      for (const cap of arr(caps.add)) {
        if (cap !== 'NET_BIND_SERVICE') add('capabilities', `${ctxPath}.capabilities.add`, `capability ${JSON.stringify(cap)} may not be added; only NET_BIND_SERVICE may`);
      }
      if (ctx.procMount !== undefined && ctx.procMount !== 'Default') {
        add('procMount', `${ctxPath}.procMount`, `procMount ${JSON.stringify(ctx.procMount)} unmasks /proc; remove it`);
      }
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop']) {
        const handler = probe.split('.').reduce((o: any, k) => obj(o)[k], c);
        for (const action of ['httpGet', 'tcpSocket']) {
          if (obj(obj(handler)[action]).host) {
            add('hostProbesAndHostLifecycle', `${cPath}.${probe}.${action}.host`, `${probe} reaches host ${JSON.stringify(handler[action].host)}; remove host, so it targets the pod`);
          }
        }
      }
      arr(c.ports).forEach((p: any, j: number) => {
        if (obj(p).hostPort) add('hostPorts', `${cPath}.ports[${j}].hostPort`, `hostPort ${text(p.hostPort)} binds the node's port; remove it and use a Service`);
      });
    });
  }
  return out;
}

type Report = (check: string, path: string, message: string) => void;

/** The checks that apply alike to the pod's and each container's securityContext. */
function checkContext(ctx: any, path: string, report: Report): void {
  if (ctx.runAsUser === 0) report('runAsUser', `${path}.runAsUser`, 'runAsUser 0 is root; use a non-zero UID');
  if (obj(ctx.windowsOptions).hostProcess === true) {
    report('windowsHostProcess', `${path}.windowsOptions.hostProcess`, 'Windows host processes are not allowed; remove hostProcess');
  }
  if (obj(ctx.appArmorProfile).type === 'Unconfined') {
    report('appArmorProfile', `${path}.appArmorProfile.type`, 'AppArmor profile Unconfined is not allowed; use RuntimeDefault or Localhost');
  }
  const se = obj(ctx.seLinuxOptions);
  if (se.type !== undefined && !SELINUX_TYPES.includes(se.type)) {
    report('seLinuxOptions', `${path}.seLinuxOptions.type`, `SELinux type ${JSON.stringify(se.type)} is not allowed; use container_t or leave it unset`);
  }
  for (const field of ['user', 'role']) {
    if (se[field]) report('seLinuxOptions', `${path}.seLinuxOptions.${field}`, `a custom SELinux ${field} is not allowed; remove it`);
  }
}
