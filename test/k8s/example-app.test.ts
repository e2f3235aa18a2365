// The example cdk8s app must produce exactly what the trusted profile's link trusts: the
// ServiceAccount it names, pods running as it in its namespace, and the profile they ask for.
import { App, Testing } from 'cdk8s';
import { buildChart } from '../../examples/k8s/main';
import { paymentsApi } from '../../examples/identity';
import { podSpecOf } from '../../src/k8s';
import { allContainers, envOf, freshOutdir, mountAt, removeTmpDirs, synthToFreshDir } from './helpers';

afterEach(removeTmpDirs);

function manifests(): any[] {
  return Testing.synth(buildChart(new App({ outdir: freshOutdir() })));
}

function one(kind: string): any {
  const found = manifests().filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every manifest that has a pod template, with its pod spec. */
function podTemplates(): Array<{ kind: string; spec: any }> {
  return manifests().filter((m) => podSpecOf(m)).map((m) => ({ kind: m.kind, spec: podSpecOf(m) }));
}

describe('the example app (examples/k8s/main.ts)', () => {
  test('declares a ServiceAccount, a Deployment and a Job', () => {
    // GIVEN the example chart
    // WHEN it is synthesized
    // THEN it holds exactly these three objects
    expect(manifests().map((m) => m.kind).sort()).toEqual(['Deployment', 'Job', 'ServiceAccount']);
  });

  test('declares the ServiceAccount the trusted profile links to', () => {
    // GIVEN the payments-api identity
    // WHEN the example chart is synthesized
    const sa = one('ServiceAccount');
    // THEN the ServiceAccount's namespace and name are the identity's service account
    expect({ namespace: sa.metadata.namespace, name: sa.metadata.name }).toEqual(paymentsApi.serviceAccount);
    expect(paymentsApi.serviceAccount).toEqual({ namespace: 'payments', name: 'payments-api' });
  });

  test('annotates the ServiceAccount with the profile name', () => {
    // GIVEN the payments-api identity
    // WHEN the example chart is synthesized
    // THEN the ServiceAccount names the trusted profile
    expect(one('ServiceAccount').metadata.annotations['iks-workload-identity/profile-name']).toBe(paymentsApi.profileName);
  });

  test.each(['Deployment', 'Job'])('runs the %s as the linked service account in its namespace', (kind) => {
    // GIVEN the example chart
    // WHEN it is synthesized
    const m = one(kind);
    // THEN the workload is in the service account's namespace and its pods run as it
    expect(m.metadata.namespace).toBe(paymentsApi.serviceAccount.namespace);
    expect(podSpecOf(m).serviceAccountName).toBe(paymentsApi.serviceAccount.name);
  });

  test.each(['Deployment', 'Job'])('asks for the trusted profile by name in every container of the %s', (kind) => {
    // GIVEN the example chart
    // WHEN it is synthesized
    const containers = allContainers(podSpecOf(one(kind)));
    // THEN IBMCLOUD_CR_PROFILE is the identity's profile name everywhere
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) expect(envOf(c).IBMCLOUD_CR_PROFILE).toBe(paymentsApi.profileName);
  });

  test('configures the Secrets Manager SDK of the Deployment for the profile', () => {
    // GIVEN the identity's sdkServices ["secrets_manager"]
    // WHEN the example chart is synthesized
    const env = envOf(podSpecOf(one('Deployment')).containers[0]);
    // THEN the app container is set up for container authentication with the profile and token file
    expect(env.SECRETS_MANAGER_AUTH_TYPE).toBe('container');
    expect(env.SECRETS_MANAGER_IAM_PROFILE_NAME).toBe(paymentsApi.profileName);
    expect(env.SECRETS_MANAGER_CR_TOKEN_FILENAME).toBe(paymentsApi.token.filePath);
  });

  test('mounts the token in every container of every pod template', () => {
    // GIVEN the example chart
    // WHEN it is synthesized
    const templates = podTemplates();
    // THEN each container and init container of the Deployment and the Job mounts the token read-only
    expect(templates.map((t) => t.kind).sort()).toEqual(['Deployment', 'Job']);
    for (const { spec } of templates) {
      for (const c of allContainers(spec)) {
        expect(mountAt(c, paymentsApi.token.mountPath)).toEqual({ mountPath: paymentsApi.token.mountPath, name: 'sa-token', readOnly: true });
        expect(envOf(c).IBMCLOUD_CR_TOKEN).toBe(`@${paymentsApi.token.filePath}`);
      }
    }
  });

  test('projects an iam-audience token in every pod template', () => {
    // GIVEN the example chart
    // WHEN it is synthesized
    // THEN each pod template projects a token for audience iam with the identity's lifetime
    for (const { spec } of podTemplates()) {
      expect(spec.volumes.find((v: any) => v.name === 'sa-token').projected.sources).toEqual([
        { serviceAccountToken: { audience: 'iam', expirationSeconds: paymentsApi.token.expirationSeconds, path: paymentsApi.token.fileName } },
      ]);
    }
  });

  test('names the token-fetch Job after the identity', () => {
    // GIVEN the example chart
    // WHEN it is synthesized
    // THEN the Job is payments-api-token-fetch
    expect(one('Job').metadata.name).toBe('payments-api-token-fetch');
  });

  test('synthesizes to one file named after the identity', () => {
    // GIVEN the example app
    // WHEN app.synth() runs
    const { error, files } = synthToFreshDir((app) => buildChart(app));
    // THEN it writes payments-api.k8s.yaml, as cdk8s.yaml documents
    expect(error).toBeUndefined();
    expect(files).toEqual(['payments-api.k8s.yaml']);
  });
});
