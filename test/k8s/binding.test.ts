import { ApiObject, Chart, Cron, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IamEndpoint } from '../../src';
import { IdentityWorkload, WorkloadIdentityBinding } from '../../src/k8s';
import {
  allContainers, containerNamed, envNames, envOf, makeChart, makeIdentity, manifestOf, mountAt, podSpec,
  TOKEN_DIR, TOKEN_FILE, volumeNamed,
} from './helpers';

const APP: kplus.ContainerProps = { name: 'app', image: 'example/app:1.0', portNumber: 8080 };
const SIDECAR: kplus.ContainerProps = { name: 'sidecar', image: 'example/sidecar:1.0' };
const INIT: kplus.ContainerProps = { name: 'init', image: 'example/init:1.0' };

/** Each cdk8s-plus workload kind, with two containers and one init container. */
const WORKLOADS: ReadonlyArray<[string, (chart: Chart) => IdentityWorkload]> = [
  ['Deployment', (c) => new kplus.Deployment(c, 'W', { containers: [APP, SIDECAR], initContainers: [INIT] })],
  ['StatefulSet', (c) => new kplus.StatefulSet(c, 'W', {
    containers: [APP, SIDECAR],
    initContainers: [INIT],
    service: new kplus.Service(c, 'Headless', { clusterIP: 'None', ports: [{ port: 8080 }] }),
  })],
  ['DaemonSet', (c) => new kplus.DaemonSet(c, 'W', { containers: [APP, SIDECAR], initContainers: [INIT] })],
  ['Job', (c) => new kplus.Job(c, 'W', { containers: [APP, SIDECAR], initContainers: [INIT] })],
  ['CronJob', (c) => new kplus.CronJob(c, 'W', { schedule: Cron.daily(), containers: [APP, SIDECAR], initContainers: [INIT] })],
  ['Pod', (c) => new kplus.Pod(c, 'W', { containers: [APP, SIDECAR], initContainers: [INIT] })],
];

describe.each(WORKLOADS)('WorkloadIdentityBinding.bind on a %s', (kind, create) => {
  function boundPod(): { manifest: any; spec: any } {
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(create(chart), { identity: makeIdentity() });
    const manifest = manifestOf(chart, kind);
    return { manifest, spec: podSpec(manifest) };
  }

  test('runs its pods as the identity service account', () => {
    // GIVEN a workload bound to identity "orders"
    // WHEN the chart is synthesized
    const { spec } = boundPod();
    // THEN the pod runs as service account "orders"
    expect(spec.serviceAccountName).toBe('orders');
  });

  test('is in the identity namespace', () => {
    // GIVEN a workload in namespace "shop" bound to an identity in "shop"
    // WHEN the chart is synthesized
    const { manifest } = boundPod();
    // THEN the workload is in "shop"
    expect(manifest.metadata.namespace).toBe('shop');
  });

  test('gets the projected token volume with audience iam', () => {
    // GIVEN a workload bound to an identity with the default token
    // WHEN the chart is synthesized
    const { spec } = boundPod();
    // THEN the pod has exactly IBM's documented projected volume
    expect(volumeNamed(spec, 'sa-token')).toEqual({
      name: 'sa-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] },
    });
  });

  test('mounts the token read-only in every container and init container', () => {
    // GIVEN a workload with containers app, sidecar and init container init
    // WHEN it is bound and synthesized
    const { spec } = boundPod();
    // THEN each of them mounts sa-token read-only at /var/run/secrets/tokens
    const containers = allContainers(spec);
    expect(containers.map((c) => c.name).sort()).toEqual(['app', 'init', 'sidecar']);
    for (const c of containers) {
      expect(mountAt(c, TOKEN_DIR)).toEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
    }
  });

  test('sets the IBM Cloud CLI variables in every container and init container', () => {
    // GIVEN a workload bound to identity "orders"
    // WHEN the chart is synthesized
    const { spec } = boundPod();
    // THEN every container has IBMCLOUD_CR_TOKEN=@<file> and IBMCLOUD_CR_PROFILE=orders
    for (const c of allContainers(spec)) {
      expect(envOf(c)).toEqual(expect.objectContaining({ IBMCLOUD_CR_TOKEN: `@${TOKEN_FILE}`, IBMCLOUD_CR_PROFILE: 'orders' }));
    }
  });
});

describe('WorkloadIdentityBinding environment', () => {
  function boundApp(identityOverrides: Parameters<typeof makeIdentity>[0], sdkServices?: string[]): any {
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity(identityOverrides), sdkServices });
    return containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'app');
  }

  test('sets only the CLI variables when the identity names no SDK service', () => {
    // GIVEN an identity without sdkServices
    // WHEN a Deployment is bound to it
    const app = boundApp({});
    // THEN the container gets exactly the two CLI variables
    expect(app.env).toEqual([
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'orders' },
    ]);
  });

  test('configures each SDK service for container authentication with the profile name and token file', () => {
    // GIVEN an identity with sdkServices secrets_manager and cloud-object-storage, profile "orders-prod"
    // WHEN a Deployment is bound to it
    const app = boundApp({ profileName: 'orders-prod', sdkServices: ['secrets_manager', 'cloud-object-storage'] });
    // THEN each service gets AUTH_TYPE, IAM_PROFILE_NAME and CR_TOKEN_FILENAME under its upper-cased prefix
    expect(app.env).toEqual([
      { name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' },
      { name: 'SECRETS_MANAGER_IAM_PROFILE_NAME', value: 'orders-prod' },
      { name: 'SECRETS_MANAGER_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'CLOUD_OBJECT_STORAGE_AUTH_TYPE', value: 'container' },
      { name: 'CLOUD_OBJECT_STORAGE_IAM_PROFILE_NAME', value: 'orders-prod' },
      { name: 'CLOUD_OBJECT_STORAGE_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'orders-prod' },
    ]);
  });

  test('sets no AUTH_URL on the public endpoint', () => {
    // GIVEN an identity on the public IAM endpoint with one SDK service
    // WHEN a Deployment is bound to it
    const app = boundApp({ sdkServices: ['secrets_manager'] });
    // THEN no *_AUTH_URL variable is set
    expect(envNames(app).filter((n) => n.endsWith('_AUTH_URL'))).toEqual([]);
  });

  test('sets AUTH_URL to the private endpoint base URL for each SDK service', () => {
    // GIVEN an identity on the private IAM endpoint with one SDK service
    // WHEN a Deployment is bound to it
    const app = boundApp({ iamEndpoint: IamEndpoint.PRIVATE, sdkServices: ['secrets_manager'] });
    // THEN SECRETS_MANAGER_AUTH_URL is the base URL, without /identity/token
    expect(envOf(app).SECRETS_MANAGER_AUTH_URL).toBe('https://private.iam.cloud.ibm.com');
  });

  test('sets AUTH_URL to a regional private endpoint', () => {
    // GIVEN an identity on the classic private endpoint of eu-de
    // WHEN a Deployment is bound to it
    const app = boundApp({ iamEndpoint: IamEndpoint.privateRegional('eu-de'), sdkServices: ['secrets_manager'] });
    // THEN the AUTH_URL is that regional endpoint
    expect(envOf(app).SECRETS_MANAGER_AUTH_URL).toBe('https://private.eu-de.iam.cloud.ibm.com');
  });

  test('uses the SDK services given to bind instead of the identity ones', () => {
    // GIVEN an identity configured for secrets_manager
    // WHEN a Deployment is bound with sdkServices ["cloud_object_storage"]
    const app = boundApp({ sdkServices: ['secrets_manager'] }, ['cloud_object_storage']);
    // THEN only cloud_object_storage is configured
    const names = envNames(app);
    expect(names).toContain('CLOUD_OBJECT_STORAGE_AUTH_TYPE');
    expect(names.filter((n) => n.startsWith('SECRETS_MANAGER_'))).toEqual([]);
  });

  test('rejects invalid SDK service names given to bind, naming the field', () => {
    // GIVEN a Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    // WHEN it is bound with an SDK service name that is not one THEN the error names sdkServices[0]
    expect(() => WorkloadIdentityBinding.bind(d, { identity: makeIdentity(), sdkServices: ['9lives'] }))
      .toThrow(/WorkloadIdentity "orders": sdkServices\[0\] is "9lives"/);
  });

  test('exposes the variables it sets as binding.environment', () => {
    // GIVEN an identity with one SDK service
    const identity = makeIdentity({ sdkServices: ['secrets_manager'] });
    const chart = makeChart('shop');
    // WHEN a Deployment is bound to it
    const binding = WorkloadIdentityBinding.bind(new kplus.Deployment(chart, 'W', { containers: [APP] }), { identity });
    // THEN binding.environment is the identity environment
    expect(binding.environment).toEqual(identity.environment());
  });
});

describe('WorkloadIdentityBinding with custom token settings', () => {
  const identity = () => makeIdentity({
    token: { expirationSeconds: 600, mountPath: '/var/run/secrets/iam', fileName: 'iam-token' },
    sdkServices: ['secrets_manager'],
  });

  function boundSpec(): any {
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(new kplus.Deployment(chart, 'W', { containers: [APP] }), { identity: identity() });
    return podSpec(manifestOf(chart, 'Deployment'));
  }

  test('projects the token with the configured lifetime and file name', () => {
    // GIVEN an identity whose token lives 600 s in file iam-token
    // WHEN a Deployment is bound to it
    const spec = boundSpec();
    // THEN the projected source says so, still for audience iam
    expect(volumeNamed(spec, 'sa-token').projected.sources).toEqual([
      { serviceAccountToken: { audience: 'iam', expirationSeconds: 600, path: 'iam-token' } },
    ]);
  });

  test('mounts the token at the configured directory', () => {
    // GIVEN an identity whose token is mounted at /var/run/secrets/iam
    // WHEN a Deployment is bound to it
    const app = containerNamed(boundSpec(), 'app');
    // THEN the container mounts it there, and not at the default directory
    expect(mountAt(app, '/var/run/secrets/iam')).toEqual({ mountPath: '/var/run/secrets/iam', name: 'sa-token', readOnly: true });
    expect(mountAt(app, TOKEN_DIR)).toBeUndefined();
  });

  test('points the CLI and SDK variables at the configured token file', () => {
    // GIVEN an identity whose token file is /var/run/secrets/iam/iam-token
    // WHEN a Deployment is bound to it
    const env = envOf(containerNamed(boundSpec(), 'app'));
    // THEN IBMCLOUD_CR_TOKEN and SECRETS_MANAGER_CR_TOKEN_FILENAME name that file
    expect(env.IBMCLOUD_CR_TOKEN).toBe('@/var/run/secrets/iam/iam-token');
    expect(env.SECRETS_MANAGER_CR_TOKEN_FILENAME).toBe('/var/run/secrets/iam/iam-token');
  });
});

describe('WorkloadIdentityBinding keeps what is added through cdk8s-plus, before and after bind', () => {
  test('a container added after bind gets the token mount', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN a container is added afterwards
    d.addContainer({ name: 'late', image: 'example/late:1.0' });
    // THEN it mounts the token too
    const late = containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'late');
    expect(mountAt(late, TOKEN_DIR)).toEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
  });

  test('a container added after bind gets the identity environment', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN a container is added afterwards
    d.addContainer({ name: 'late', image: 'example/late:1.0' });
    // THEN it gets the CLI variables
    expect(envOf(containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'late')))
      .toEqual({ IBMCLOUD_CR_TOKEN: `@${TOKEN_FILE}`, IBMCLOUD_CR_PROFILE: 'orders' });
  });

  test('an init container added after bind gets the token mount and environment', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN an init container is added afterwards
    d.addInitContainer({ name: 'migrate', image: 'example/migrate:1.0' });
    // THEN it mounts the token and has the variables
    const migrate = containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'migrate');
    expect(mountAt(migrate, TOKEN_DIR)).toEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
    expect(envOf(migrate).IBMCLOUD_CR_PROFILE).toBe('orders');
  });

  test('an emptyDir volume mounted after bind is present beside the token volume', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN a user emptyDir volume is mounted at /cache afterwards
    d.containers[0].mount('/cache', kplus.Volume.fromEmptyDir(chart, 'Cache', 'cache'));
    // THEN the pod has both volumes and the container both mounts
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['cache', 'sa-token']);
    expect(volumeNamed(spec, 'cache')).toEqual({ name: 'cache', emptyDir: {} });
    expect(containerNamed(spec, 'app').volumeMounts.map((m: any) => m.mountPath)).toEqual(['/cache', TOKEN_DIR]);
  });

  test('a volume and mount declared before bind are kept', () => {
    // GIVEN a Deployment whose container mounts an emptyDir at /scratch
    const chart = makeChart('shop');
    const scratch = kplus.Volume.fromEmptyDir(chart, 'Scratch', 'scratch');
    const d = new kplus.Deployment(chart, 'W', { containers: [{ ...APP, volumeMounts: [{ path: '/scratch', volume: scratch }] }] });
    // WHEN it is bound
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // THEN the scratch volume and mount are still there, before the token ones
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['scratch', 'sa-token']);
    expect(mountAt(containerNamed(spec, 'app'), '/scratch')).toEqual({ mountPath: '/scratch', name: 'scratch' });
  });

  test('a pod-level volume added with addVolume after bind is kept', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN a volume is added to the pod afterwards
    d.addVolume(kplus.Volume.fromEmptyDir(chart, 'Spare', 'spare'));
    // THEN the pod has it beside the token volume
    const names = podSpec(manifestOf(chart, 'Deployment')).volumes.map((v: any) => v.name);
    expect(names).toEqual(expect.arrayContaining(['spare', 'sa-token']));
    expect(names).toHaveLength(2);
  });

  test('a user variable added after bind is kept beside the identity ones', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN the user adds LOG_LEVEL afterwards
    d.containers[0].env.addVariable('LOG_LEVEL', kplus.EnvValue.fromValue('debug'));
    // THEN the container has LOG_LEVEL and the identity variables
    expect(envOf(containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'app'))).toEqual({
      LOG_LEVEL: 'debug',
      IBMCLOUD_CR_TOKEN: `@${TOKEN_FILE}`,
      IBMCLOUD_CR_PROFILE: 'orders',
    });
  });

  test('user variables declared before bind come first and are kept', () => {
    // GIVEN a Deployment whose container sets PORT
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', {
      containers: [{ ...APP, envVariables: { PORT: kplus.EnvValue.fromValue('8080') } }],
    });
    // WHEN it is bound
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // THEN PORT stays first and the identity variables follow
    expect(envNames(containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'app')))
      .toEqual(['PORT', 'IBMCLOUD_CR_TOKEN', 'IBMCLOUD_CR_PROFILE']);
  });

  test('a user JSON patch applied to the workload is kept', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN the user sets priorityClassName by patch
    ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
    // THEN both the patch and the identity are in the manifest
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    expect(spec.priorityClassName).toBe('high');
    expect(spec.serviceAccountName).toBe('orders');
  });
});

describe('WorkloadIdentityBinding placement and lifecycle', () => {
  test('refuses a workload of a chart without namespace, naming the namespace to use', () => {
    // GIVEN a Deployment in a chart without a namespace
    const chart = makeChart();
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    // WHEN it is bound to an identity in "shop" and synthesized
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // THEN it fails: moving only the workload would strand its Services in another namespace
    expect(() => manifestOf(chart, 'Deployment')).toThrow(/the workload has no namespace.*\{ namespace: "shop" \}/);
  });

  test('accepts a workload that already runs as the identity service account', () => {
    // GIVEN a Deployment whose serviceAccount is the identity one ("orders")
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', {
      containers: [APP],
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'orders'),
    });
    // WHEN it is bound
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // THEN it synthesizes, running as "orders"
    expect(podSpec(manifestOf(chart, 'Deployment')).serviceAccountName).toBe('orders');
  });

  test('WorkloadIdentityBinding.of returns the binding of a bound workload', () => {
    // GIVEN a bound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    const binding = WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN its binding is looked up THEN it is the one bind returned
    expect(WorkloadIdentityBinding.of(d)).toBe(binding);
    expect(binding.identity.name).toBe('orders');
  });

  test('WorkloadIdentityBinding.of returns undefined for an unbound workload', () => {
    // GIVEN an unbound Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    // WHEN its binding is looked up THEN there is none
    expect(WorkloadIdentityBinding.of(d)).toBeUndefined();
  });

  test('binding a workload twice throws, naming both identities', () => {
    // GIVEN a Deployment bound to identity "orders"
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN it is bound to identity "billing" THEN the error says it already has "orders"
    expect(() => WorkloadIdentityBinding.bind(d, { identity: makeIdentity({ name: 'billing' }) }))
      .toThrow(`WorkloadIdentity "billing": workload "test/W" already has identity "orders"; a pod runs as one service account, so bind one identity per workload`);
  });

  test('binding without a WorkloadIdentity throws, naming the workload', () => {
    // GIVEN a Deployment
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    // WHEN it is bound to a plain object THEN the error names the workload path and the prop
    expect(() => WorkloadIdentityBinding.bind(d, { identity: {} as any }))
      .toThrow('WorkloadIdentityBinding on "test/W": props.identity must be a WorkloadIdentity');
  });
});
