// The user's values win when they agree with the identity and fail synthesis when they
// contradict it: pods wired by hand (Helm values, IBM's tutorial) and objects that set their own
// security context.
import { ApiObject, Chart, Include, JsonPatch } from 'cdk8s';
import { WorkloadIdentityBinding } from '../../src/k8s';
import * as podSpecModule from '../../src/k8s/pod-spec';
import { allContainers, containerNamed, makeChart, makeIdentity, manifestOf, podSpec, removeTmpDirs, synthToFreshDir, TOKEN_DIR } from './helpers';
import { removeYamlFiles, yamlFile } from './sources';

afterEach(removeTmpDirs);
afterAll(removeYamlFiles);

const IAM_TOKEN = (expirationSeconds = 3600, path = 'sa-token') => ({ serviceAccountToken: { audience: 'iam', expirationSeconds, path } });

/** An L1 Deployment "w" in namespace shop whose pod spec is `spec` (containers app and sidecar unless given). */
function deployment(chart: Chart, spec: any, id = 'W'): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w' },
    spec: {
      selector: { matchLabels: { app: 'w' } },
      template: {
        metadata: { labels: { app: 'w' } },
        spec: { containers: [{ name: 'app', image: 'example/app:1.0' }, { name: 'sidecar', image: 'example/sidecar:1.0' }], ...spec },
      },
    },
  });
}

function boundSpec(spec: any, identity = makeIdentity()): any {
  const chart = makeChart('shop');
  WorkloadIdentityBinding.bind(deployment(chart, spec), { identity });
  return podSpec(manifestOf(chart, 'Deployment'));
}

function synthError(spec: any, identity = makeIdentity()): { error?: Error; files: string[] } {
  return synthToFreshDir((app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    WorkloadIdentityBinding.bind(deployment(chart, spec), { identity });
  });
}

describe('values that agree with the identity are kept', () => {
  test('a pod that already has the token volume, mounted in one container, gets no second volume', () => {
    // GIVEN a pod wired by hand: volume sa-token projecting the iam token, mounted in "app" only
    const spec = boundSpec({
      volumes: [{ name: 'sa-token', projected: { sources: [IAM_TOKEN()] } }],
      containers: [
        { name: 'app', image: 'example/app:1.0', volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_DIR, readOnly: true }] },
        { name: 'sidecar', image: 'example/sidecar:1.0' },
      ],
    });
    // WHEN it is bound and synthesized
    // THEN the volume is there once, app keeps its one mount and sidecar gains the same one
    expect(spec.volumes.filter((v: any) => v.name === 'sa-token')).toHaveLength(1);
    expect(containerNamed(spec, 'app').volumeMounts).toEqual([{ name: 'sa-token', mountPath: TOKEN_DIR, readOnly: true }]);
    expect(containerNamed(spec, 'sidecar').volumeMounts).toEqual([{ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }]);
  });

  test('a token volume named otherwise, mounted where the token goes, is the one every container mounts', () => {
    // GIVEN a pod whose app mounts volume "iam-token" (the iam token, by another name) at the token directory
    const spec = boundSpec({
      volumes: [{ name: 'iam-token', projected: { sources: [IAM_TOKEN()] } }],
      containers: [
        { name: 'app', image: 'example/app:1.0', volumeMounts: [{ name: 'iam-token', mountPath: TOKEN_DIR }] },
        { name: 'sidecar', image: 'example/sidecar:1.0' },
      ],
    });
    // WHEN it is bound and synthesized
    // THEN no sa-token volume is added, and sidecar mounts iam-token
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['iam-token']);
    expect(containerNamed(spec, 'sidecar').volumeMounts).toEqual([{ mountPath: TOKEN_DIR, name: 'iam-token', readOnly: true }]);
  });

  test('the same service account given in the manifest is kept', () => {
    // GIVEN a pod that already runs as "orders"
    // WHEN it is bound to "orders"
    const spec = boundSpec({ serviceAccountName: 'orders' });
    // THEN it still runs as "orders"
    expect(spec.serviceAccountName).toBe('orders');
  });

  test('security settings the pod set explicitly are left alone', () => {
    // GIVEN a pod that sets its own seccomp profile, runAsNonRoot and capabilities
    const spec = boundSpec({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
      containers: [{ name: 'app', image: 'example/app:1.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }],
    });
    // WHEN it is bound
    // THEN the pod's values are the ones it gave
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
    expect(containerNamed(spec, 'app').securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
  });

  test('hardenPodSecurity false adds nothing to the security context', () => {
    // GIVEN an L1 Deployment without security context, acknowledging IWI-S1 as a user would
    const identity = makeIdentity({ acknowledgements: [{ ruleId: 'IWI-S1', reason: 'the test looks at an unhardened pod' }] });
    const chart = makeChart('shop');
    // WHEN it is bound with hardenPodSecurity false
    WorkloadIdentityBinding.bind(deployment(chart, {}), { identity, hardenPodSecurity: false });
    // THEN neither the pod nor its containers have a security context
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    expect(spec.securityContext).toBeUndefined();
    for (const c of allContainers(spec)) expect(c.securityContext).toBeUndefined();
  });
});

describe('values that contradict the identity fail synthesis and write nothing', () => {
  test('a volume named sa-token that is not the token', () => {
    // GIVEN a pod with an emptyDir named sa-token
    const { error, files } = synthError({ volumes: [{ name: 'sa-token', emptyDir: {} }] });
    // THEN synthesis fails saying what the volume is and how to fix it
    expect(error?.message).toContain('WorkloadIdentity "orders": the workload already has a volume named "sa-token", the name of the projected token volume, but it is not a projected volume ({"emptyDir":{},"name":"sa-token"})');
    expect(files).toEqual([]);
  });

  test('the token volume with another lifetime', () => {
    // GIVEN a pod whose sa-token volume mints a 7200 s token
    const { error, files } = synthError({ volumes: [{ name: 'sa-token', projected: { sources: [IAM_TOKEN(7200)] } }] });
    // THEN synthesis fails naming both lifetimes
    expect(error?.message).toContain('but its token lives 7200 s, the identity\'s 3600 s');
    expect(files).toEqual([]);
  });

  test('the token volume for another audience', () => {
    // GIVEN a pod whose sa-token volume mints a token for the API server's audience
    const { error } = synthError({ volumes: [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'kubernetes', path: 'sa-token' } }] } }] });
    // THEN synthesis fails naming the audience
    expect(error?.message).toContain('its token\'s audience is "kubernetes", not "iam"');
  });

  test('another volume mounted at the token directory', () => {
    // GIVEN a container that mounts a Secret at the token directory
    const { error, files } = synthError({
      volumes: [{ name: 'creds', secret: { secretName: 'creds' } }],
      containers: [{ name: 'app', image: 'example/app:1.0', volumeMounts: [{ name: 'creds', mountPath: TOKEN_DIR }] }],
    });
    // THEN synthesis fails naming the container and the volume
    expect(error?.message).toContain(`container "app" already mounts something at ${TOKEN_DIR}, where the token goes (volume "creds")`);
    expect(files).toEqual([]);
  });

  test('the token volume mounted through a subPath', () => {
    // GIVEN a container mounting only one file of the token volume at the token directory
    const { error } = synthError({
      volumes: [{ name: 'sa-token', projected: { sources: [IAM_TOKEN()] } }],
      containers: [{ name: 'app', image: 'example/app:1.0', volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_DIR, subPath: 'sa-token' }] }],
    });
    // THEN synthesis fails: the SDKs expect a directory there, and subPath mounts do not rotate
    expect(error?.message).toContain('(volume "sa-token", subPath "sa-token")');
  });

  test('another service account in the deprecated serviceAccount field', () => {
    // GIVEN a pod that names service account "default" only through the deprecated field
    const { error } = synthError({ serviceAccount: 'default' });
    // THEN synthesis fails naming it
    expect(error?.message).toContain('the workload runs as service account "default" but the identity trusts "orders"');
  });

  test('a contradiction added by a JSON patch after binding', () => {
    // GIVEN a bound L1 Deployment that a later patch gives service account "other"
    const { error, files } = synthToFreshDir((app) => {
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const d = deployment(chart, {});
      WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
      d.addJsonPatch(JsonPatch.add('/spec/template/spec/serviceAccountName', 'other'));
    });
    // THEN the binding, which sees the patched render, fails synthesis
    expect(error?.message).toContain('runs as service account "other"');
    expect(files).toEqual([]);
  });

  test('an included object in the wrong namespace, naming the identity and the object path', () => {
    // GIVEN an included Deployment of namespace "web", bound to an identity of "shop"
    const { error, files } = synthToFreshDir((app) => {
      const chart = new Chart(app, 'vendor');
      const include = new Include(chart, 'Vendor', {
        url: yamlFile([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'web' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'api', image: 'example/api:1.0' }] } } } }]),
      });
      WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { name: 'api' } });
    });
    // THEN synthesis fails at that object's binding
    expect(error?.message).toMatch(/\[vendor\/Vendor\/api-deployment-web\/WorkloadIdentityBinding\] WorkloadIdentity "orders": the workload is in namespace "web" but the identity's service account is in "shop"/);
    expect(files).toEqual([]);
  });

  test('a rule error on the bound result fails synthesis too', () => {
    // GIVEN a pod that explicitly allows privilege escalation, which the binding leaves alone
    const { error, files } = synthError({ containers: [{ name: 'app', image: 'example/app:1.0', securityContext: { allowPrivilegeEscalation: true } }] });
    // THEN rule IWI-S1 fails synthesis, naming the field
    expect(error?.message).toMatch(/IWI-S1.*allowPrivilegeEscalation/s);
    expect(files).toEqual([]);
  });
});

describe('renders stay current', () => {
  test('a change made to an L1 object after one synthesis is in the next one, with the identity', () => {
    // GIVEN a bound L1 Deployment, synthesized once
    const chart = makeChart('shop');
    const d = deployment(chart, {});
    WorkloadIdentityBinding.bind(d, { identity: makeIdentity() });
    expect(podSpec(manifestOf(chart, 'Deployment')).priorityClassName).toBeUndefined();
    // WHEN a patch is added and the chart is synthesized again
    d.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'));
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    // THEN the new render has the patch and the identity, once
    expect(spec.priorityClassName).toBe('high');
    expect(spec.serviceAccountName).toBe('orders');
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['sa-token']);
  });

  test('app.synth writes the render its validation judged, completing it once', () => {
    // GIVEN a bound L1 Deployment in an app, and a count of the identity's completions of a render
    const completions = jest.spyOn(podSpecModule, 'applyIdentity');
    try {
      // WHEN the app is synthesized
      const { error, files } = synthToFreshDir((app) => {
        const chart = new Chart(app, 'shop', { namespace: 'shop' });
        WorkloadIdentityBinding.bind(deployment(chart, {}), { identity: makeIdentity() });
      });
      // THEN it writes the chart, having added the identity once: the write reused the validation's render
      expect(error).toBeUndefined();
      expect(files).toEqual(['shop.k8s.yaml']);
      expect(completions).toHaveBeenCalledTimes(1);
    } finally {
      completions.mockRestore();
    }
  });
});
