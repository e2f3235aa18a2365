import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { WorkloadIdentityBinding, WorkloadIdentityDeployment } from '../../src/k8s';
import {
  containerNamed, envNames, envOf, makeChart, makeIdentity, manifestOf, podSpec, removeTmpDirs, synthToFreshDir, TOKEN_DIR,
} from './helpers';

const APP: kplus.ContainerProps = { name: 'app', image: 'example/app:1.0', portNumber: 8080 };

afterEach(removeTmpDirs);

/** A chart "shop" in namespace "shop" holding a Deployment "W" with container "app", bound to "orders". */
function boundDeployment(app: App, namespace = 'shop', props: Partial<kplus.DeploymentProps> = {}): kplus.Deployment {
  const chart = new Chart(app, 'shop', { namespace });
  const d = new kplus.Deployment(chart, 'W', { containers: [APP], ...props });
  WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
  return d;
}

describe('a conflicting workload fails app.synth() and writes nothing', () => {
  test('a workload given another service account at construction', () => {
    // GIVEN a Deployment constructed with serviceAccount "other-sa", then bound to "orders"
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const d = new kplus.Deployment(chart, 'W', {
        containers: [APP],
        serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'OtherSa', 'other-sa'),
      });
      WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    });
    // THEN synthesis fails naming the conflict, and no YAML is written
    expect(error?.message).toMatch(/WorkloadIdentity "orders": the workload runs as service account "other-sa" but the identity trusts "orders"/);
    expect(files).toEqual([]);
  });

  test('a pod volume named sa-token', () => {
    // GIVEN a bound Deployment that also has a pod volume called "sa-token"
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      d.addVolume(kplus.Volume.fromEmptyDir(d, 'Mine', 'sa-token'));
    });
    // THEN synthesis fails naming the identity and the volume, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders": the workload already has a volume named "sa-token"');
    expect(files).toEqual([]);
  });

  test('a container mount at the token directory', () => {
    // GIVEN a bound Deployment whose container mounts something at /var/run/secrets/tokens
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      d.containers[0].mount(TOKEN_DIR, kplus.Volume.fromEmptyDir(d, 'Tokens', 'tokens'));
    });
    // THEN synthesis fails naming the identity, the container and the path, and no YAML is written
    expect(error?.message).toContain(`WorkloadIdentity "orders": container "app" already mounts something at ${TOKEN_DIR}`);
    expect(files).toEqual([]);
  });

  test('an init container mount at the token directory', () => {
    // GIVEN a bound Deployment whose init container mounts something at /var/run/secrets/tokens
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      const init = d.addInitContainer({ name: 'init', image: 'example/init:1.0' });
      init.mount(TOKEN_DIR, kplus.Volume.fromEmptyDir(d, 'Tokens', 'tokens'));
    });
    // THEN synthesis fails naming the init container, and no YAML is written
    expect(error?.message).toContain(`WorkloadIdentity "orders": container "init" already mounts something at ${TOKEN_DIR}`);
    expect(files).toEqual([]);
  });

  test('a container setting IBMCLOUD_CR_PROFILE to another profile', () => {
    // GIVEN a bound Deployment whose container sets IBMCLOUD_CR_PROFILE=someone-else
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      d.containers[0].env.addVariable('IBMCLOUD_CR_PROFILE', kplus.EnvValue.fromValue('someone-else'));
    });
    // THEN synthesis fails naming the identity, the variable and both values, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders": container "app" sets IBMCLOUD_CR_PROFILE to "someone-else", but the identity sets it to "orders"');
    expect(files).toEqual([]);
  });

  test('a container setting an identity variable from a source', () => {
    // GIVEN a bound Deployment whose container reads IBMCLOUD_CR_TOKEN from a ConfigMap
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      const cm = kplus.ConfigMap.fromConfigMapName(d, 'Cm', 'settings');
      d.containers[0].env.addVariable('IBMCLOUD_CR_TOKEN', kplus.EnvValue.fromConfigMap(cm, 'token'));
    });
    // THEN synthesis fails saying the variable comes from a source, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders": container "app" sets IBMCLOUD_CR_TOKEN to a value from a source');
    expect(files).toEqual([]);
  });

  test('a workload in another namespace', () => {
    // GIVEN a Deployment in namespace "other", bound to an identity in "shop"
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => boundDeployment(app, 'other'));
    // THEN synthesis fails naming the identity and both namespaces, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders": the workload is in namespace "other" but the identity\'s service account is in "shop"');
    expect(files).toEqual([]);
  });

  test('a conflict in one chart keeps every other chart from being written', () => {
    // GIVEN a valid chart followed by a chart whose bound Deployment is in the wrong namespace
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      new kplus.ConfigMap(new Chart(app, 'first', { namespace: 'shop' }), 'Cm', { data: { a: 'b' } });
      boundDeployment(app, 'other');
    });
    // THEN synthesis fails and not even the valid chart is written
    expect(error?.message).toContain('WorkloadIdentity "orders"');
    expect(files).toEqual([]);
  });

  test('every conflict of a workload is reported at once', () => {
    // GIVEN a bound Deployment in the wrong namespace whose container also mounts at the token directory
    // WHEN the app is synthesized
    const { error } = synthToFreshDir((app) => {
      const d = boundDeployment(app, 'other');
      d.containers[0].mount(TOKEN_DIR, kplus.Volume.fromEmptyDir(d, 'Tokens', 'tokens'));
    });
    // THEN the one error names both problems
    expect(error?.message).toContain('the workload is in namespace "other"');
    expect(error?.message).toContain(`container "app" already mounts something at ${TOKEN_DIR}`);
  });

  test('a volume named sa-token that only a container mount brings in still fails synthesis, naming the identity', () => {
    // GIVEN a bound Deployment whose container mounts an emptyDir called "sa-token" (never added to the pod itself)
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      d.containers[0].mount('/data', kplus.Volume.fromEmptyDir(d, 'Data', 'sa-token'));
    });
    // THEN synthesis fails naming the identity and the volume, and no YAML is written
    expect(error?.message).toContain('WorkloadIdentity "orders"');
    expect(error?.message).toContain('already has a volume named "sa-token"');
    expect(files).toEqual([]);
  });

  // cdk8s-plus adds a volume that only a container mount names when it renders the pod: the
  // binding judges the render, so validation sees it before App.synth() writes any chart.
  test('a volume named sa-token that only a container mount brings in writes no other chart either', () => {
    // GIVEN a valid chart followed by a bound Deployment whose container mounts an emptyDir called "sa-token"
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      new kplus.ConfigMap(new Chart(app, 'first', { namespace: 'shop' }), 'Cm', { data: { a: 'b' } });
      const d = boundDeployment(app);
      d.containers[0].mount('/data', kplus.Volume.fromEmptyDir(d, 'Data', 'sa-token'));
    });
    // THEN synthesis fails and nothing is written
    expect(error?.message).toContain('already has a volume named "sa-token"');
    expect(files).toEqual([]);
  });

  test('a conflict also fails Testing.synth of the chart', () => {
    // GIVEN a bound Deployment in the wrong namespace
    const chart = makeChart('other');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN the chart alone is synthesized THEN validation fails at the binding, naming the identity
    expect(() => Testing.synth(chart)).toThrow(/\[test\/W\/WorkloadIdentityBinding\] WorkloadIdentity "orders": the workload is in namespace "other"/);
  });
});

describe('what is not a conflict', () => {
  test('a container setting an identity variable to the same value synthesizes', () => {
    // GIVEN a bound Deployment whose container already sets IBMCLOUD_CR_PROFILE=orders
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => {
      const d = boundDeployment(app);
      d.containers[0].env.addVariable('IBMCLOUD_CR_PROFILE', kplus.EnvValue.fromValue('orders'));
    });
    // THEN it succeeds and writes the chart
    expect(error).toBeUndefined();
    expect(files).toEqual(['shop.k8s.yaml']);
  });

  test('a container setting an identity variable to the same value keeps one copy of it', () => {
    // GIVEN a bound Deployment whose container already sets IBMCLOUD_CR_PROFILE=orders
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [{ ...APP, envVariables: { IBMCLOUD_CR_PROFILE: kplus.EnvValue.fromValue('orders') } }] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    // WHEN the chart is synthesized
    const app = containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'app');
    // THEN the variable appears once, with its value
    expect(envNames(app).filter((n) => n === 'IBMCLOUD_CR_PROFILE')).toHaveLength(1);
    expect(envOf(app).IBMCLOUD_CR_PROFILE).toBe('orders');
  });

  test('a mount at the default token directory is fine when the identity mounts its token elsewhere', () => {
    // GIVEN an identity whose token is mounted at /var/run/secrets/iam, and a container mounting at the default directory
    const chart = makeChart('shop');
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity({ token: { mountPath: '/var/run/secrets/iam' } }) });
    d.containers[0].mount(TOKEN_DIR, kplus.Volume.fromEmptyDir(chart, 'Tokens', 'tokens'));
    // WHEN the chart is synthesized
    const mounts = containerNamed(podSpec(manifestOf(chart, 'Deployment')), 'app').volumeMounts.map((m: any) => m.mountPath);
    // THEN both mounts are there
    expect(mounts).toEqual([TOKEN_DIR, '/var/run/secrets/iam']);
  });
});

describe('companion objects of a bound workload', () => {
  // Rewriting only the workload into the identity's namespace would leave the Services
  // cdk8s-plus derives from it behind, so a workload without a namespace is refused instead.
  test('a bound Deployment without namespace fails instead of leaving its Service behind', () => {
    // GIVEN a Deployment in a chart without namespace, bound to an identity in "shop", exposed
    const chart = makeChart();
    const d = new kplus.Deployment(chart, 'W', { containers: [APP] });
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    d.exposeViaService();
    // WHEN it is synthesized THEN it fails asking for the chart namespace
    expect(() => manifestOf(chart, 'Service')).toThrow(/no namespace.*\{ namespace: "shop" \}/);
  });

  test('a bound StatefulSet without namespace fails instead of leaving its governing Service behind', () => {
    // GIVEN a StatefulSet in a chart without namespace, with its default headless Service
    const chart = makeChart();
    const s = new kplus.StatefulSet(chart, 'W', { containers: [APP] });
    // WHEN it is bound to an identity in "shop" and synthesized
    WorkloadIdentityBinding.bind(s, { identity: makeIdentity() });
    // THEN it fails asking for the chart namespace
    expect(() => manifestOf(chart, 'StatefulSet')).toThrow(/no namespace.*\{ namespace: "shop" \}/);
  });

  test('a Service exposing a WorkloadIdentityDeployment is in the Deployment namespace', () => {
    // GIVEN a WorkloadIdentityDeployment in a chart without namespace (it sets its namespace itself)
    const chart = makeChart();
    const d = new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(), containers: [APP] });
    // WHEN it is exposed through a Service
    d.exposeViaService();
    // THEN the Service is in "shop" with the Deployment
    expect(manifestOf(chart, 'Service').metadata.namespace).toBe('shop');
  });
});
