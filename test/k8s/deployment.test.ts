import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { WorkloadIdentityBinding, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import {
  allContainers, envOf, makeChart, makeIdentity, manifestOf, mountAt, podSpec, removeTmpDirs, synthToFreshDir,
  TOKEN_DIR, TOKEN_FILE, volumeNamed,
} from './helpers';

const APP: kplus.ContainerProps = { name: 'app', image: 'example/app:1.0', portNumber: 8080 };
const SIDECAR: kplus.ContainerProps = { name: 'sidecar', image: 'example/sidecar:1.0' };

afterEach(removeTmpDirs);

describe('WorkloadIdentityDeployment', () => {
  test('is named after the identity by default', () => {
    // GIVEN identity "orders"
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared without metadata
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // THEN the Deployment is called "orders"
    expect(manifestOf(chart, 'Deployment').metadata.name).toBe('orders');
  });

  test('is in the identity namespace when the chart has none', () => {
    // GIVEN a chart without namespace and an identity in "shop"
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // THEN the Deployment is in "shop"
    expect(manifestOf(chart, 'Deployment').metadata.namespace).toBe('shop');
  });

  test('is in the identity namespace even when the chart defaults to another', () => {
    // GIVEN a chart whose default namespace is "elsewhere"
    const chart = makeChart('elsewhere');
    // WHEN a WorkloadIdentityDeployment for an identity in "shop" is declared
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // THEN the Deployment is in "shop"
    expect(manifestOf(chart, 'Deployment').metadata.namespace).toBe('shop');
  });

  test('keeps a name given in metadata', () => {
    // GIVEN metadata.name "orders-web"
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with it
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), metadata: { name: 'orders-web' }, containers: [APP] });
    // THEN the Deployment is called "orders-web", still in the identity namespace
    const m = manifestOf(chart, 'Deployment');
    expect(m.metadata.name).toBe('orders-web');
    expect(m.metadata.namespace).toBe('shop');
  });

  test('keeps labels given in metadata beside the default name', () => {
    // GIVEN metadata with a label only
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with it
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), metadata: { labels: { team: 'checkout' } }, containers: [APP] });
    // THEN the label is kept and the name still defaults to the identity
    const m = manifestOf(chart, 'Deployment');
    expect(m.metadata.labels).toEqual({ team: 'checkout' });
    expect(m.metadata.name).toBe('orders');
  });

  test('accepts an explicit namespace equal to the identity one', () => {
    // GIVEN metadata.namespace "shop", the identity namespace
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      new WorkloadIdentityDeployment(new Chart(app, 'c'), 'D', { identity: makeIdentity(), metadata: { namespace: 'shop' }, containers: [APP] });
    });
    // THEN it succeeds
    expect(error).toBeUndefined();
    expect(files).toEqual(['c.k8s.yaml']);
  });

  test('fails app.synth() for an explicit namespace other than the identity one, writing nothing', () => {
    // GIVEN metadata.namespace "other" for an identity in "shop"
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      new WorkloadIdentityDeployment(new Chart(app, 'c'), 'D', { identity: makeIdentity(), metadata: { namespace: 'other' }, containers: [APP] });
    });
    // THEN it fails naming the identity and both namespaces, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders": the workload is in namespace "other" but the identity\'s service account is in "shop"');
    expect(files).toEqual([]);
  });

  test('runs its pods as the identity service account', () => {
    // GIVEN an identity whose service account is "orders-runner"
    const chart = makeChart();
    const identity = makeIdentity({ serviceAccount: { namespace: 'shop', name: 'orders-runner' } });
    // WHEN a WorkloadIdentityDeployment is declared
    new WorkloadIdentityDeployment(chart, 'D', { identity, containers: [APP] });
    // THEN the pod runs as "orders-runner"
    expect(podSpec(manifestOf(chart, 'Deployment')).serviceAccountName).toBe('orders-runner');
  });

  test('gets the projected token volume', () => {
    // GIVEN an identity with the default token
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // THEN the pod has the sa-token projected volume for audience iam
    expect(volumeNamed(podSpec(manifestOf(chart, 'Deployment')), 'sa-token')).toEqual({
      name: 'sa-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] },
    });
  });

  test('mounts the token and sets the environment in every container and init container', () => {
    // GIVEN containers app and sidecar, and init container init
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with them
    new WorkloadIdentityDeployment(chart, 'D', {
      identity: makeIdentity(),
      containers: [APP, SIDECAR],
      initContainers: [{ name: 'init', image: 'example/init:1.0' }],
    });
    // THEN each mounts the token read-only and has the CLI variables
    const containers = allContainers(podSpec(manifestOf(chart, 'Deployment')));
    expect(containers).toHaveLength(3);
    for (const c of containers) {
      expect(mountAt(c, TOKEN_DIR)).toEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
      expect(envOf(c)).toEqual(expect.objectContaining({ IBMCLOUD_CR_TOKEN: `@${TOKEN_FILE}`, IBMCLOUD_CR_PROFILE: 'orders' }));
    }
  });

  test('passes its sdkServices option to the binding', () => {
    // GIVEN an identity for secrets_manager
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with sdkServices ["cloud_object_storage"]
    new WorkloadIdentityDeployment(chart, 'D', {
      identity: makeIdentity({ sdkServices: ['secrets_manager'] }),
      sdkServices: ['cloud_object_storage'],
      containers: [APP],
    });
    // THEN the container is configured for cloud_object_storage only
    const env = envOf(podSpec(manifestOf(chart, 'Deployment')).containers[0]);
    expect(env.CLOUD_OBJECT_STORAGE_AUTH_TYPE).toBe('container');
    expect(env.SECRETS_MANAGER_AUTH_TYPE).toBeUndefined();
  });

  test('does not automount an API-server token by default', () => {
    // GIVEN no automountServiceAccountToken prop
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // THEN the pod does not automount the API-server token
    expect(podSpec(manifestOf(chart, 'Deployment')).automountServiceAccountToken).toBe(false);
  });

  test('keeps an explicit automountServiceAccountToken true', () => {
    // GIVEN automountServiceAccountToken true
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with it
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), automountServiceAccountToken: true, containers: [APP] });
    // THEN the pod automounts it
    expect(podSpec(manifestOf(chart, 'Deployment')).automountServiceAccountToken).toBe(true);
  });

  test('passes other Deployment props through', () => {
    // GIVEN replicas 3
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared with them
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), replicas: 3, containers: [APP] });
    // THEN the Deployment has 3 replicas
    expect(manifestOf(chart, 'Deployment').spec.replicas).toBe(3);
  });

  test('exposes its identity and its binding', () => {
    // GIVEN an identity
    const identity = makeIdentity();
    const chart = makeChart();
    // WHEN a WorkloadIdentityDeployment is declared
    const d = new WorkloadIdentityDeployment(chart, 'D', { identity, containers: [APP] });
    // THEN identity and binding are the ones in use
    expect(d.identity).toBe(identity);
    expect(WorkloadIdentityBinding.of(d)).toBe(d.binding);
  });

  test('refuses a second identity', () => {
    // GIVEN a WorkloadIdentityDeployment for "orders"
    const chart = makeChart();
    const d = new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // WHEN it is bound to "billing" THEN the error says it already has "orders"
    expect(() => WorkloadIdentityBinding.bind(d, { identity: makeIdentity({ name: 'billing' }) }))
      .toThrow('already has identity "orders"');
  });

  test('refuses props without a WorkloadIdentity, naming the construct', () => {
    // GIVEN props whose identity is missing
    const chart = makeChart();
    // WHEN the Deployment is declared THEN it throws naming the construct id and the prop
    expect(() => new WorkloadIdentityDeployment(chart, 'D', { containers: [APP] } as any))
      .toThrow('WorkloadIdentityDeployment "D": props.identity must be a WorkloadIdentity');
  });

  // BUG: the constructor creates its service-account reference as a sibling in the caller's
  // scope, with id `${id}ServiceAccount`, so that id is taken from the user.
  test('leaves the id <id>ServiceAccount in the parent scope free for the user', () => {
    // GIVEN a chart where the user declared the service account with id "WebServiceAccount"
    const chart = makeChart();
    const identity = makeIdentity();
    new WorkloadIdentityServiceAccount(chart, 'WebServiceAccount', { identity });
    // WHEN a WorkloadIdentityDeployment with id "Web" is declared beside it
    // THEN it is accepted (actual: "There is already a Construct with name 'WebServiceAccount'")
    expect(() => new WorkloadIdentityDeployment(chart, 'Web', { identity, containers: [APP] })).not.toThrow();
  });
});
