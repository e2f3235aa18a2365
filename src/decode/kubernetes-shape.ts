// The types of the fields the rules read, checked before any rule runs. The API server
// rejects a manifest whose `containers` is an object or whose `ports` is a string; `check` says
// so with the path, instead of judging it (or failing) on a shape Kubernetes never accepts.
// Unknown fields pass: the API server's own schema is the judge of those. `null` is accepted
// wherever a value is optional, as Kubernetes reads it as absent.
import { podTemplatePathOf } from '../rules/workload-kinds';
import { excerpt } from './files';

type Shape = 'string' | 'boolean' | 'integer' | 'object' | { readonly list: Shape } | { readonly map: Shape } | { readonly fields: Readonly<Record<string, Shape>> };

const STRINGS: Shape = { list: 'string' };
const METADATA: Shape = { fields: { name: 'string', namespace: 'string', annotations: { map: 'string' }, labels: { map: 'string' } } };
const SECCOMP: Shape = { fields: { type: 'string', localhostProfile: 'string' } };
const SECURITY_CONTEXT: Shape = {
  fields: {
    privileged: 'boolean', allowPrivilegeEscalation: 'boolean', runAsNonRoot: 'boolean', readOnlyRootFilesystem: 'boolean',
    runAsUser: 'integer', runAsGroup: 'integer', procMount: 'string',
    capabilities: { fields: { add: STRINGS, drop: STRINGS } }, seccompProfile: SECCOMP, appArmorProfile: SECCOMP,
    seLinuxOptions: 'object', windowsOptions: 'object',
  },
};
const CONTAINER: Shape = {
  fields: {
    name: 'string', image: 'string', command: STRINGS, args: STRINGS, workingDir: 'string',
    env: { list: { fields: { name: 'string', value: 'string', valueFrom: 'object' } } },
    envFrom: { list: 'object' },
    ports: { list: { fields: { containerPort: 'integer', hostPort: 'integer', protocol: 'string', name: 'string', hostIP: 'string' } } },
    volumeMounts: { list: { fields: { name: 'string', mountPath: 'string', subPath: 'string', subPathExpr: 'string', readOnly: 'boolean' } } },
    securityContext: SECURITY_CONTEXT,
  },
};
const VOLUME: Shape = {
  fields: {
    name: 'string',
    hostPath: { fields: { path: 'string', type: 'string' } },
    projected: { fields: { defaultMode: 'integer', sources: { list: { fields: {
      serviceAccountToken: { fields: { audience: 'string', expirationSeconds: 'integer', path: 'string' } },
      secret: 'object', configMap: 'object', downwardAPI: 'object', clusterTrustBundle: 'object',
    } } } } },
    secret: 'object', configMap: 'object', emptyDir: 'object', persistentVolumeClaim: 'object', csi: 'object', downwardAPI: 'object',
  },
};
const POD_SPEC: Shape = {
  fields: {
    containers: { list: CONTAINER }, initContainers: { list: CONTAINER }, ephemeralContainers: { list: CONTAINER },
    volumes: { list: VOLUME },
    serviceAccountName: 'string', serviceAccount: 'string', automountServiceAccountToken: 'boolean',
    hostNetwork: 'boolean', hostPID: 'boolean', hostIPC: 'boolean', hostUsers: 'boolean', shareProcessNamespace: 'boolean',
    securityContext: {
      fields: {
        runAsNonRoot: 'boolean', runAsUser: 'integer', runAsGroup: 'integer', fsGroup: 'integer',
        supplementalGroups: { list: 'integer' }, seccompProfile: SECCOMP, appArmorProfile: SECCOMP,
        seLinuxOptions: 'object', windowsOptions: 'object', sysctls: { list: { fields: { name: 'string', value: 'string' } } },
      },
    },
  },
};
const POD_TEMPLATE: Shape = { fields: { metadata: METADATA, spec: POD_SPEC } };

export interface ShapeProblem {
  /** Where, as `spec.template.spec.containers[0].ports`. */
  readonly path: string;
  readonly message: string;
}

/** The first field the rules read that has a type Kubernetes would reject, or undefined. */
export function checkManifestShape(manifest: Record<string, unknown>): ShapeProblem | undefined {
  const top = mismatch(manifest, { fields: { apiVersion: 'string', metadata: METADATA } }, []);
  if (top) return top;
  const path = podTemplatePathOf(manifest);
  if (!path) return undefined;
  let node: unknown = manifest;
  for (let i = 0; i < path.length; i++) {
    if (node === null || node === undefined) return undefined;
    if (typeof node !== 'object' || Array.isArray(node)) return { path: path.slice(0, i).join('.'), message: `must be an object, not ${describe(node)}` };
    node = (node as Record<string, unknown>)[path[i]];
  }
  // A Pod is its own template: its metadata was checked above.
  return mismatch(node, path.length === 0 ? { fields: { spec: POD_SPEC } } : POD_TEMPLATE, path.map(String));
}

function mismatch(value: unknown, shape: Shape, at: string[]): ShapeProblem | undefined {
  if (value === null || value === undefined) return undefined;
  const fail = (expected: string): ShapeProblem => ({ path: pathText(at), message: `must be ${expected}, not ${describe(value)}` });
  if (shape === 'string') return typeof value === 'string' ? undefined : fail('a string');
  if (shape === 'boolean') return typeof value === 'boolean' ? undefined : fail('true or false');
  if (shape === 'integer') return Number.isInteger(value) ? undefined : fail('an integer');
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if (shape === 'object') return isObject ? undefined : fail('an object');
  if ('list' in shape) {
    if (!Array.isArray(value)) return fail('a list');
    for (let i = 0; i < value.length; i++) {
      const p = mismatch(value[i], shape.list, [...at.slice(0, -1), `${at[at.length - 1] ?? ''}[${i}]`]);
      if (p) return p;
    }
    return undefined;
  }
  if (!isObject) return fail('an object');
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const field = 'map' in shape ? shape.map : shape.fields[key];
    if (field === undefined) continue;
    const p = mismatch(v, field, [...at, key]);
    if (p) return p;
  }
  return undefined;
}

function pathText(at: string[]): string {
  return at.map((k) => (/^[A-Za-z_][\w-]*(\[\d+\])*$/.test(k) ? k : JSON.stringify(k))).join('.');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return `${typeof value} ${excerpt(String(value), 40)}`;
}
