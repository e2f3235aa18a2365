// External Secrets Operator reading IBM Secrets Manager as a trusted profile: the declaration,
// the token in ESO's controller and webhook pods of an included manifest, and the store that
// points at the same profile, token file and IAM endpoint. The manifest and the store schema
// are the test's own fixtures (test/fixtures/eso), taken from ESO 2.9.0.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { Chart, Helm, Include, Testing } from 'cdk8s';
import { ClusterKind, IamEndpoint, TrustMode, WorkloadIdentity } from '../../src';
import {
  checkPodSecurityRestricted, ExternalSecretsOperator, externalSecretsIdentity, IbmSecretsManagerStore, secretsManagerServiceUrl,
} from '../../src/k8s';
import { allContainers, IKS_CRN, ROKS_CRN, TOKEN_DIR, TOKEN_FILE } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'eso');
const ESO_MANIFEST = path.join(FIXTURES, 'eso-excerpt.yaml');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const STORE_SCHEMA = require(path.join(FIXTURES, 'ibm-store.schema.json'));
const INSTANCE = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';
const GROUP_A = 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6';
const GROUP_B = 'e2f3a4b5-c6d7-4e8f-9a01-b2c3d4e5f6a7';

const validateStore = new Ajv({ allErrors: true, strict: false }).compile(STORE_SCHEMA);

function esoIdentity(overrides: Partial<Parameters<typeof externalSecretsIdentity>[0]> = {}): WorkloadIdentity {
  return new WorkloadIdentity(externalSecretsIdentity({
    clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }],
    secretsManagerInstance: INSTANCE,
    ...overrides,
  }));
}

/** ESO's manifest included in a chart, bound to `identity`, synthesized. */
function boundEso(identity: WorkloadIdentity, clusterKind?: ClusterKind): any[] {
  const chart = new Chart(Testing.app(), 'eso');
  const include = new Include(chart, 'ExternalSecrets', { url: ESO_MANIFEST });
  ExternalSecretsOperator.bind(include, { identity, clusterKind });
  return Testing.synth(chart);
}

const deploymentNamed = (manifests: any[], name: string) => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
const podOf = (manifest: any) => manifest.spec.template.spec;

describe('externalSecretsIdentity', () => {
  test('trusts ESO\'s controller service account in its namespace', () => {
    // GIVEN the declaration with the chart's defaults
    const identity = esoIdentity();
    // THEN the identity is external-secrets/external-secrets, and trusts nothing else
    expect(identity.name).toBe('external-secrets');
    expect(identity.serviceAccounts).toEqual([{ namespace: 'external-secrets', name: 'external-secrets' }]);
  });

  test('grants SecretsReader on the one instance', () => {
    // GIVEN the declaration for one instance
    const identity = esoIdentity();
    // THEN its one policy reads secrets of that instance only
    expect(identity.policies.map((p) => ({ roles: p.roles, resources: p.resources }))).toEqual([
      { roles: ['SecretsReader'], resources: expect.objectContaining({ service: 'secrets-manager', resourceInstanceId: INSTANCE }) },
    ]);
    expect(identity.policies[0].resources).not.toHaveProperty('resourceType');
  });

  test('with secret groups, grants one policy per group and none on the whole instance', () => {
    // GIVEN the declaration limited to two secret groups
    const identity = esoIdentity({ secretGroupIds: [GROUP_A, GROUP_B] });
    // THEN there is one SecretsReader policy per group, uniquely named
    expect(identity.policies.map((p) => [p.name, p.resources?.resourceType, p.resources?.resource])).toEqual([
      ['secrets-manager-read-1', 'secret-group', GROUP_A],
      ['secrets-manager-read-2', 'secret-group', GROUP_B],
    ]);
  });

  test('passes the trust mode through, for a claim rule instead of a link', () => {
    // GIVEN the declaration trusting by claim rule
    const identity = esoIdentity({ trust: TrustMode.CLAIM_RULE });
    // THEN the one claim rule admits ESO's controller service account, and only it, on the declared cluster
    expect(identity.trust).toBe(TrustMode.CLAIM_RULE);
    expect(identity.claimRules.map((r) => ({ crType: r.crType, namespaces: r.namespaces, name: r.serviceAccountName, clusters: r.clusters.map((c) => c.crn) })))
      .toEqual([{ crType: 'IKS_SA', namespaces: ['external-secrets'], name: 'external-secrets', clusters: [IKS_CRN] }]);
  });
});

describe('ExternalSecretsOperator.bind on ESO\'s included manifest', () => {
  test('the controller runs as the identity with the token mounted', () => {
    // GIVEN ESO's manifest bound to its identity
    const controller = podOf(deploymentNamed(boundEso(esoIdentity()), 'external-secrets'));
    // THEN its pod runs as external-secrets, with the iam token volume mounted read-only
    expect(controller.serviceAccountName).toBe('external-secrets');
    expect(controller.volumes).toEqual([{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token' } }] } }]);
    expect(controller.containers[0].volumeMounts).toEqual([{ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }]);
  });

  test('the webhook gets the token file but keeps its own service account and environment', () => {
    // GIVEN ESO's manifest bound to its identity
    const webhook = podOf(deploymentNamed(boundEso(esoIdentity()), 'external-secrets-webhook'));
    // THEN the webhook still runs as external-secrets-webhook, mounts the token beside its certs, and has no IBM variables
    expect(webhook.serviceAccountName).toBe('external-secrets-webhook');
    expect(webhook.volumes.map((v: any) => v.name)).toEqual(['certs', 'sa-token']);
    expect(webhook.containers[0].volumeMounts).toEqual([
      { mountPath: '/tmp/certs', name: 'certs', readOnly: true },
      { mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true },
    ]);
    expect(webhook.containers[0].env).toBeUndefined();
  });

  test('the cert-controller is left as it was', () => {
    // GIVEN ESO's manifest bound to its identity
    const certController = podOf(deploymentNamed(boundEso(esoIdentity()), 'external-secrets-cert-controller'));
    // THEN it has no token volume
    expect(certController.volumes).toBeUndefined();
    expect(certController.serviceAccountName).toBe('external-secrets-cert-controller');
  });

  test('every bound pod meets Pod Security "restricted"', () => {
    // GIVEN ESO's manifest bound to its identity
    // THEN the whole output is admitted under "restricted"
    expect(checkPodSecurityRestricted(boundEso(esoIdentity()))).toEqual([]);
  });

  test('on IKS the chart\'s runAsUser 1000 is kept', () => {
    // GIVEN an identity on an IKS cluster
    const manifests = boundEso(esoIdentity());
    // THEN the controller still runs as UID 1000
    expect(podOf(deploymentNamed(manifests, 'external-secrets')).containers[0].securityContext.runAsUser).toBe(1000);
  });

  test('on ROKS every runAsUser of the bound pods is removed, for restricted-v2 to assign one', () => {
    // GIVEN an identity on a ROKS cluster
    const manifests = boundEso(esoIdentity({ clusters: [{ kind: ClusterKind.ROKS, crn: ROKS_CRN }] }));
    // THEN neither the controller nor the webhook fixes a UID, and their other settings stay
    for (const name of ['external-secrets', 'external-secrets-webhook']) {
      const pod = podOf(deploymentNamed(manifests, name));
      expect(pod.securityContext.runAsUser).toBeUndefined();
      for (const c of allContainers(pod)) {
        expect(c.securityContext).not.toHaveProperty('runAsUser');
        expect(c.securityContext.runAsNonRoot).toBe(true);
      }
    }
  });

  test('on clusters of both kinds, clusterKind is required', () => {
    // GIVEN an identity on an IKS and a ROKS cluster
    const identity = esoIdentity({ clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: ROKS_CRN }] });
    // WHEN ESO is bound without clusterKind THEN the error names the field
    expect(() => boundEso(identity)).toThrow(/ExternalSecretsOperator\.clusterKind is \["IKS","ROKS"\]; .*set clusterKind/);
  });

  test('a manifest without ESO\'s webhook fails, naming what it holds', () => {
    // GIVEN an included manifest whose webhook is called otherwise
    const chart = new Chart(Testing.app(), 'eso');
    const include = new Include(chart, 'ExternalSecrets', { url: ESO_MANIFEST });
    // WHEN ESO is bound with a webhook selector that matches nothing THEN it fails
    expect(() => ExternalSecretsOperator.bind(include, { identity: esoIdentity(), webhook: { name: 'eso-webhook' } }))
      .toThrow(/matched nothing with select \{"name":"eso-webhook"\}/);
  });
});

test('ESO from cdk8s\'s Helm construct is bound like an Include, Helm being one', () => {
  // GIVEN cdk8s's Helm construct for ESO's chart, with helm replaced by a program that prints the
  // chart as `helm template` renders it (the test needs no helm binary; a real app uses helm)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-helm-'));
  try {
    const fakeHelm = path.join(dir, 'helm');
    fs.writeFileSync(fakeHelm, `#!${process.execPath}\nprocess.stdout.write(require('fs').readFileSync(${JSON.stringify(ESO_MANIFEST)}, 'utf8'));\n`, { mode: 0o755 });
    const chart = new Chart(Testing.app(), 'eso');
    const helm = new Helm(chart, 'ExternalSecrets', { chart: 'external-secrets/external-secrets', version: '2.9.0', releaseName: 'external-secrets', namespace: 'external-secrets', helmExecutable: fakeHelm });
    // WHEN ESO's pods in its output are bound
    const { controller, webhook } = ExternalSecretsOperator.bind(helm, { identity: esoIdentity() });
    const manifests = Testing.synth(chart);
    // THEN the controller and the webhook of the Helm output carry the token
    expect([...controller, ...webhook].map((b) => b.apiObject.name)).toEqual(['external-secrets', 'external-secrets-webhook']);
    expect(podOf(deploymentNamed(manifests, 'external-secrets')).serviceAccountName).toBe('external-secrets');
    expect(podOf(deploymentNamed(manifests, 'external-secrets-webhook')).volumes.map((v: any) => v.name)).toEqual(['certs', 'sa-token']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('IbmSecretsManagerStore', () => {
  function store(identity: WorkloadIdentity, props: Partial<ConstructorParameters<typeof IbmSecretsManagerStore>[2]> = {}, namespace?: string): any {
    const chart = new Chart(Testing.app(), 'stores', namespace === undefined ? {} : { namespace });
    new IbmSecretsManagerStore(chart, 'Store', { identity, secretsManager: { instanceId: INSTANCE, region: 'us-south' }, ...props });
    const [manifest] = Testing.synth(chart);
    return manifest;
  }

  test('authenticates as the identity\'s profile with the token file the binding mounts', () => {
    // GIVEN ESO's identity on the public endpoint
    // WHEN its SecretStore is synthesized
    const manifest = store(esoIdentity(), {}, 'apps');
    // THEN containerAuth names the profile, our token file (not ESO's default vault-token) and the public IAM endpoint
    expect(manifest).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'external-secrets', namespace: 'apps' },
      spec: {
        provider: {
          ibm: {
            serviceUrl: `https://${INSTANCE}.us-south.secrets-manager.appdomain.cloud`,
            auth: { containerAuth: { profile: 'external-secrets', tokenLocation: TOKEN_FILE, iamEndpoint: 'https://iam.cloud.ibm.com' } },
          },
        },
      },
    });
  });

  test('follows the identity to the private endpoints', () => {
    // GIVEN an identity on IAM's private endpoint, with its own profile name and token path
    const identity = esoIdentity({ iamEndpoint: IamEndpoint.PRIVATE, profileName: 'eso-prod', token: { mountPath: '/var/run/secrets/iam', fileName: 'token' } });
    // WHEN its store is synthesized
    const ibm = store(identity).spec.provider.ibm;
    // THEN the store uses the private Secrets Manager URL and the identity's endpoint, profile and file
    expect(ibm.serviceUrl).toBe(`https://${INSTANCE}.private.us-south.secrets-manager.appdomain.cloud`);
    expect(ibm.auth.containerAuth).toEqual({ profile: 'eso-prod', tokenLocation: '/var/run/secrets/iam/token', iamEndpoint: 'https://private.iam.cloud.ibm.com' });
  });

  test('a ClusterSecretStore has no namespace, even in a chart with one', () => {
    // GIVEN a chart of namespace "external-secrets"
    // WHEN a cluster-wide store is synthesized in it
    const manifest = store(esoIdentity(), { clusterWide: true }, 'external-secrets');
    // THEN it is a ClusterSecretStore without namespace
    expect(manifest.kind).toBe('ClusterSecretStore');
    expect(manifest.metadata).toEqual({ name: 'external-secrets' });
  });

  test.each([
    ['a SecretStore, public', {}],
    ['a ClusterSecretStore, private', { clusterWide: true, secretsManager: { instanceId: INSTANCE, region: 'eu-de', privateEndpoint: true } }],
    ['a store with an explicit serviceUrl', { secretsManager: undefined, serviceUrl: `https://${INSTANCE}.eu-gb.secrets-manager.appdomain.cloud` }],
  ])('%s validates against ESO 2.9.0\'s store schema', (_, props) => {
    // GIVEN the store
    const manifest = store(esoIdentity(), props as any, 'apps');
    // WHEN it is validated against the schema excerpt
    const valid = validateStore(manifest);
    // THEN it is valid
    expect(validateStore.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('the schema check catches a misspelled field, so it can fail', () => {
    // GIVEN a store whose containerAuth says tokenPath instead of tokenLocation
    const manifest = store(esoIdentity());
    const auth = manifest.spec.provider.ibm.auth.containerAuth;
    auth.tokenPath = auth.tokenLocation;
    delete auth.tokenLocation;
    // WHEN it is validated THEN the schema refuses the unknown field
    expect(validateStore(manifest)).toBe(false);
    expect(validateStore.errors?.[0]).toEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'tokenPath' } }));
  });

  test('refuses a serviceUrl with /api, naming the field and the fix', () => {
    // GIVEN a service URL copied with its API path
    // WHEN the store is made THEN the error says to drop /api
    expect(() => store(esoIdentity(), { secretsManager: undefined, serviceUrl: `https://${INSTANCE}.us-south.secrets-manager.appdomain.cloud/api` }))
      .toThrow(/IbmSecretsManagerStore\.serviceUrl is ".*\/api"; give the base URL without "\/api"/);
  });

  test('refuses neither or both of secretsManager and serviceUrl', () => {
    // GIVEN no location at all
    // WHEN the store is made THEN it asks for exactly one
    expect(() => store(esoIdentity(), { secretsManager: undefined })).toThrow(/give exactly one of secretsManager .* and serviceUrl \(got neither\)/);
  });

  test('refuses an instance CRN where the GUID goes', () => {
    // GIVEN the instance's CRN instead of its GUID
    const crn = `crn:v1:bluemix:public:secrets-manager:us-south:a/0123456789abcdef0123456789abcdef:${INSTANCE}::`;
    // WHEN the store is made THEN the error names the field and the fix
    expect(() => store(esoIdentity(), { secretsManager: { instanceId: crn, region: 'us-south' } }))
      .toThrow(/IbmSecretsManagerStore\.secretsManager\.instanceId is "crn:v1:.*"; the instance ID is the GUID/);
  });

  test('refuses a namespace on a ClusterSecretStore', () => {
    // WHEN a cluster-wide store is given a namespace THEN the error says it has none
    expect(() => store(esoIdentity(), { clusterWide: true, namespace: 'apps' })).toThrow(/a ClusterSecretStore is cluster-scoped and has no namespace/);
  });
});

describe('secretsManagerServiceUrl', () => {
  test('builds the public and private base URLs', () => {
    // WHEN the URLs of one instance are built THEN they have no /api and differ by "private."
    expect(secretsManagerServiceUrl({ instanceId: INSTANCE, region: 'eu-de' })).toBe(`https://${INSTANCE}.eu-de.secrets-manager.appdomain.cloud`);
    expect(secretsManagerServiceUrl({ instanceId: INSTANCE, region: 'eu-de', privateEndpoint: true })).toBe(`https://${INSTANCE}.private.eu-de.secrets-manager.appdomain.cloud`);
  });

  test('refuses a region that is not one', () => {
    // WHEN the region has a typo THEN the error names it
    expect(() => secretsManagerServiceUrl({ instanceId: INSTANCE, region: 'us south' })).toThrow(/region is "us south"/);
  });
});

test('the store and the bound pods agree on the token file and profile', () => {
  // GIVEN one identity with a custom token path, bound to ESO and given a store
  const identity = esoIdentity({ token: { mountPath: '/var/run/secrets/eso', fileName: 'iam' } });
  const chart = new Chart(Testing.app(), 'eso');
  ExternalSecretsOperator.bind(new Include(chart, 'ExternalSecrets', { url: ESO_MANIFEST }), { identity });
  new IbmSecretsManagerStore(chart, 'Store', { identity, secretsManager: { instanceId: INSTANCE, region: 'us-south' }, clusterWide: true });
  const manifests = Testing.synth(chart);
  // WHEN the store's tokenLocation is compared with what the controller and webhook mount
  const store = manifests.find((m) => m.kind === 'ClusterSecretStore');
  const tokenLocation: string = store.spec.provider.ibm.auth.containerAuth.tokenLocation;
  // THEN both pods mount the token volume at its directory, projecting the file it names
  for (const name of ['external-secrets', 'external-secrets-webhook']) {
    const pod = podOf(deploymentNamed(manifests, name));
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === 'sa-token');
    const source = pod.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken;
    expect(path.posix.join(mount.mountPath, source.path)).toBe(tokenLocation);
  }
  expect(store.spec.provider.ibm.auth.containerAuth.profile).toBe(identity.profileName);
});
