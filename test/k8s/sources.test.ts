// The promise of issue 12: one call gives any pod in a cdk8s app the identity, whichever
// construct made it, with the same wiring. Each source's synthesized pod spec is asserted field
// by field, and the wiring of all sources is compared.
import { Testing } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import { checkPodSecurityRestricted, WorkloadIdentityBinding } from '../../src/k8s';
import { allContainers, makeChart, makeIdentity, manifestOf, podSpec, TOKEN_DIR, TOKEN_FILE } from './helpers';
import { BINDABLE_KINDS, DEPLOYMENT_SOURCES, l1Object, removeYamlFiles } from './sources';

afterAll(removeYamlFiles);

const TOKEN_VOLUME = {
  name: 'sa-token',
  projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] },
};
const IDENTITY_ENV = [
  { name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' },
  { name: 'SECRETS_MANAGER_IAM_PROFILE_NAME', value: 'orders' },
  { name: 'SECRETS_MANAGER_CR_TOKEN_FILENAME', value: TOKEN_FILE },
  { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
  { name: 'IBMCLOUD_CR_PROFILE', value: 'orders' },
];

/** What the identity put into a pod, per container, in a form every source can be compared by. */
function wiringOf(manifest: any): any {
  const spec = podSpec(manifest);
  return {
    namespace: manifest.metadata.namespace,
    serviceAccountName: spec.serviceAccountName,
    tokenVolumes: (spec.volumes ?? []).filter((v: any) => v.projected),
    seccomp: spec.securityContext?.seccompProfile,
    containers: Object.fromEntries(allContainers(spec).map((c) => [c.name, {
      mounts: c.volumeMounts.filter((m: any) => m.mountPath === TOKEN_DIR),
      env: c.env.filter((e: any) => IDENTITY_ENV.some((v) => v.name === e.name)),
      drop: c.securityContext.capabilities.drop,
      allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation,
      runAsNonRoot: c.securityContext.runAsNonRoot ?? spec.securityContext?.runAsNonRoot,
    }])),
  };
}

const identity = () => makeIdentity({ sdkServices: ['secrets_manager'] });

describe.each(DEPLOYMENT_SOURCES)('WorkloadIdentityBinding.bind on %s', (_, create) => {
  function bound(): any {
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(create(chart), { identity: identity() });
    return manifestOf(chart, 'Deployment', 'w');
  }

  test('runs the pods as the identity service account, in its namespace', () => {
    // GIVEN the Deployment in a chart of namespace "shop", bound to identity "orders"
    // WHEN the chart is synthesized
    const manifest = bound();
    // THEN the Deployment is in "shop" and its pods run as "orders"
    expect(manifest.metadata.namespace).toBe('shop');
    expect(podSpec(manifest).serviceAccountName).toBe('orders');
  });

  test('adds exactly one projected token volume with audience iam', () => {
    // GIVEN the bound Deployment
    // WHEN the chart is synthesized
    const spec = podSpec(bound());
    // THEN the pod has IBM's documented token volume, once
    expect(spec.volumes.filter((v: any) => v.name === 'sa-token')).toEqual([TOKEN_VOLUME]);
  });

  test('mounts the token read-only and sets the environment in every container, init container and native sidecar', () => {
    // GIVEN the bound Deployment with containers app and sidecar, init container init (and native sidecar proxy where the source can express one)
    // WHEN the chart is synthesized
    const containers = allContainers(podSpec(bound()));
    // THEN each of them mounts the token at the token directory and has the identity's variables, in order
    expect(containers.map((c) => c.name)).toEqual(expect.arrayContaining(['app', 'sidecar', 'init']));
    for (const c of containers) {
      expect(c.volumeMounts).toContainEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
      expect(c.env.filter((e: any) => IDENTITY_ENV.some((v) => v.name === e.name))).toEqual(IDENTITY_ENV);
    }
  });

  test('meets Pod Security "restricted"', () => {
    // GIVEN the bound Deployment, whose source may have set no security context at all
    // WHEN the chart is synthesized
    const manifest = bound();
    // THEN the pod is admitted under "restricted", with the seccomp profile and dropped capabilities filled in
    expect(checkPodSecurityRestricted(manifest)).toEqual([]);
    expect(podSpec(manifest).securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const c of allContainers(podSpec(manifest))) expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
  });
});

test('every source gives the shared containers the same identity wiring', () => {
  // GIVEN the same Deployment made by each source, each bound to the same declaration
  const wirings = DEPLOYMENT_SOURCES.map(([name, create]) => {
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(create(chart), { identity: identity() });
    const w = wiringOf(manifestOf(chart, 'Deployment', 'w'));
    // cdk8s-plus-27 cannot express a native sidecar: compare the containers all sources have
    delete w.containers.proxy;
    return [name, w] as const;
  });
  // WHEN their wirings are compared THEN they are all the first one's
  for (const [, w] of wirings) expect(w).toEqual(wirings[0][1]);
  expect(Object.keys(wirings[0][1].containers).sort()).toEqual(['app', 'init', 'sidecar']);
});

describe.each(BINDABLE_KINDS)('an L1 %s', (kind) => {
  function bound(): any {
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(l1Object(chart, kind), { identity: identity() });
    return Testing.synth(chart).find((m: any) => m.kind === kind);
  }

  test('gets the service account, token volume and mounts', () => {
    // GIVEN an L1 object of this kind with two containers, an init container and a native sidecar, bound to "orders"
    // WHEN the chart is synthesized
    const manifest = bound();
    const spec = podSpec(manifest);
    // THEN its pod template runs as "orders" with the token volume mounted in all four containers
    expect(spec.serviceAccountName).toBe('orders');
    expect(spec.volumes).toEqual([TOKEN_VOLUME]);
    expect(allContainers(spec).map((c) => c.name)).toEqual(['app', 'sidecar', 'init', 'proxy']);
    for (const c of allContainers(spec)) expect(c.volumeMounts).toEqual([{ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }]);
  });

  test('is hardened to Pod Security "restricted" where it set nothing', () => {
    // GIVEN an L1 object of this kind without any security context, bound to "orders"
    // WHEN the chart is synthesized
    const manifest = bound();
    // THEN the binding filled in the pod's and every container's settings, and the pod is admitted
    expect(podSpec(manifest).securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of allContainers(podSpec(manifest))) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    expect(checkPodSecurityRestricted(manifest)).toEqual([]);
  });
});

test.each(DEPLOYMENT_SOURCES.filter(([name]) => !name.includes('cdk8s-plus-27')))('the native sidecar of %s mounts the token like any container', (_, create) => {
  // GIVEN the Deployment with init container "proxy" of restartPolicy Always (a Kubernetes 1.29+ native sidecar), bound
  const chart = makeChart('shop');
  WorkloadIdentityBinding.bind(create(chart), { identity: identity() });
  // WHEN the chart is synthesized
  const proxy = podSpec(manifestOf(chart, 'Deployment', 'w')).initContainers.find((c: any) => c.name === 'proxy');
  // THEN the sidecar is there, still a sidecar, with the token mounted and the environment set
  expect(proxy.restartPolicy).toBe('Always');
  expect(proxy.volumeMounts).toContainEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
  expect(proxy.env).toEqual(expect.arrayContaining(IDENTITY_ENV));
});

test('a container added to a cdk8s-plus-33 workload after bind gets the token too', () => {
  // GIVEN a bound cdk8s-plus-33 Deployment
  const chart = makeChart('shop');
  const d = new kplus33.Deployment(chart, 'W', { containers: [{ name: 'app', image: 'example/app:1.0' }] });
  WorkloadIdentityBinding.bind(d, { identity: identity() });
  // WHEN a container is added afterwards
  d.addContainer({ name: 'late', image: 'example/late:1.0' });
  // THEN it mounts the token, as cdk8s-plus renders lazily and the binding completes the render
  const late = allContainers(podSpec(manifestOf(chart, 'Deployment'))).find((c) => c.name === 'late');
  expect(late.volumeMounts).toEqual([{ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }]);
});
