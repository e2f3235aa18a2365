// IBM's SDK core (ibm-cloud-sdk-core 5, what every IBM Node SDK authenticates with), given the
// environment and token mount the library puts on a Deployment and nothing else, obtains an
// IAM token from the local endpoint and sends it.
//
// What the test changes, and why: the pod sees the token under the mount path
// (/var/run/secrets/tokens), which a test cannot write, so a temp dir stands in for the root:
// the mount path is prefixed by it in the token file's location and in the env values, and in
// nothing else. IAM is the local endpoint: for the public endpoint the library sets no
// <SERVICE>_AUTH_URL (the SDK's default is public IAM), so the test adds that one variable;
// for a private endpoint it replaces the value the library set.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { getAuthenticatorFromEnvironment } from 'ibm-cloud-sdk-core';
import { IamEndpoint, WorkloadIdentity } from '../../src';
import { CR_TOKEN_GRANT, LocalIamEndpoint, standInProfile } from '../support/iam-endpoint';
import { mintProjectedToken } from '../support/jwt';
import { deploymentManifest, envList, paymentsIdentity } from '../support/synth';

const KEY = 'sdk-test-key';
const savedEnv = { ...process.env };
let root: string;
let iam: LocalIamEndpoint;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-sdk-'));
  iam = await LocalIamEndpoint.start([standInProfile('payments-api', [{ namespace: 'payments', serviceAccount: 'payments-api' }])], KEY);
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await iam.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface PodSide {
  /** The container's env, with the mount path moved under the temp root. */
  readonly env: Record<string, string>;
  /** The variables whose values the move changed. */
  readonly moved: string[];
  /** Where the test writes the token: the temp root + mount path + projected file name. */
  readonly tokenFile: string;
}

/** What the Deployment's container `app` gets: its env and the token at the mounted path. */
function podSide(identity: WorkloadIdentity): PodSide {
  const spec = deploymentManifest(identity).spec.template.spec;
  const app = spec.containers.find((c: any) => c.name === 'app');
  const mount = app.volumeMounts.find((m: any) => m.name === 'sa-token');
  const projected = spec.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken;
  const moved: string[] = [];
  const env: Record<string, string> = {};
  for (const [name, value] of envList(app)) {
    env[name] = value.split(mount.mountPath).join(path.join(root, mount.mountPath));
    if (env[name] !== value) moved.push(name);
  }
  return { env, moved, tokenFile: path.join(root, mount.mountPath, projected.path) };
}

/** A process environment holding only the pod's variables, besides the test runner's own. */
function enterPod(env: Record<string, string>): void {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(savedEnv)) {
    // Nothing from the developer's shell may configure the SDK or route its requests.
    if (/^(IBM|IBMCLOUD|VCAP|SECRETS_MANAGER|CLOUD_OBJECT_STORAGE)_|^(https?|no|all)_proxy$/i.test(name)) continue;
    clean[name] = value;
  }
  process.env = { ...clean, ...env };
}

function writeToken(file: string): string {
  const token = mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', key: KEY });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, token);
  return token;
}

describe('IBM\'s SDK core in a pod of the Deployment', () => {
  beforeAll(() => {
    // The SDK reads ibm-credentials.env from the working and home directories before the
    // environment; one there would configure the SDK behind the test's back.
    for (const dir of [process.cwd(), os.homedir()]) {
      expect(fs.existsSync(path.join(dir, 'ibm-credentials.env'))).toBe(false);
    }
  });

  test('authenticates with the token file the pod mounts, the profile name, and one added AUTH_URL', async () => {
    // GIVEN the Deployment of an identity on the public endpoint, the token at the mounted path
    const pod = podSide(paymentsIdentity());
    const token = writeToken(pod.tokenFile);
    expect(pod.moved.sort()).toEqual(['IBMCLOUD_CR_TOKEN', 'SECRETS_MANAGER_CR_TOKEN_FILENAME']);
    expect(pod.env).not.toHaveProperty('SECRETS_MANAGER_AUTH_URL');
    enterPod({ ...pod.env, SECRETS_MANAGER_AUTH_URL: iam.url });

    // WHEN the Secrets Manager SDK's authenticator is built from the environment and signs a request
    const authenticator = getAuthenticatorFromEnvironment('secrets_manager');
    const request = { headers: {} as Record<string, string> };
    await authenticator.authenticate(request);

    // THEN it is the container authenticator, and the request carries the token IAM issued
    expect(authenticator.authenticationType()).toBe('container');
    expect(iam.issued).toHaveLength(1);
    expect(request.headers.Authorization).toBe(`Bearer ${iam.issued[0].accessToken}`);
    // AND IAM was asked by profile name, with the projected token read from the mounted file
    const [r] = iam.requests;
    expect(r.form).toEqual({ grant_type: CR_TOKEN_GRANT, cr_token: token, profile_name: 'payments-api' });
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers.authorization).toBeUndefined();
  });

  test('uses the AUTH_URL the library sets for a private endpoint, with nothing added', async () => {
    // GIVEN an identity on the private endpoint, whose env names it; its value points here instead
    const pod = podSide(paymentsIdentity({ iamEndpoint: IamEndpoint.PRIVATE }));
    writeToken(pod.tokenFile);
    expect(pod.env.SECRETS_MANAGER_AUTH_URL).toBe('https://private.iam.cloud.ibm.com');
    enterPod({ ...pod.env, SECRETS_MANAGER_AUTH_URL: iam.url });

    // WHEN the SDK authenticates a request
    const request = { headers: {} as Record<string, string> };
    await getAuthenticatorFromEnvironment('secrets_manager').authenticate(request);

    // THEN the token came from the endpoint the variable named
    expect(request.headers.Authorization).toBe(`Bearer ${iam.issued[0].accessToken}`);
  });

  test('reads a hyphenated service\'s variables under the prefix the library writes', async () => {
    // GIVEN an identity for the Cloud Object Storage SDK ("cloud-object-storage")
    const pod = podSide(paymentsIdentity({ sdkServices: ['cloud-object-storage'] }));
    const token = writeToken(pod.tokenFile);
    enterPod({ ...pod.env, CLOUD_OBJECT_STORAGE_AUTH_URL: iam.url });

    // WHEN that SDK's authenticator is built from the environment and signs a request
    const request = { headers: {} as Record<string, string> };
    await getAuthenticatorFromEnvironment('cloud-object-storage').authenticate(request);

    // THEN it found the library's CLOUD_OBJECT_STORAGE_* variables
    expect(request.headers.Authorization).toBe(`Bearer ${iam.issued[0].accessToken}`);
    expect(iam.requests[0].form.cr_token).toBe(token);
  });

  test('fails when no token is at the mounted path: the SDK reads that file, not a default', async () => {
    // GIVEN the pod's environment but no token file
    const pod = podSide(paymentsIdentity());
    enterPod({ ...pod.env, SECRETS_MANAGER_AUTH_URL: iam.url });

    // WHEN the SDK authenticates a request
    // (the SDK throws synchronously here, so the call is wrapped to compare like the IAM case)
    const attempt = (async () => getAuthenticatorFromEnvironment('secrets_manager').authenticate({ headers: {} }))();

    // THEN it fails reading the mounted path, and IAM was never called
    await expect(attempt).rejects.toThrow(pod.tokenFile);
    expect(iam.requests).toHaveLength(0);
  });

  test('gets BXNIM0398E from IAM when the profile does not trust the service account', async () => {
    // GIVEN IAM's profile trusts another service account
    await iam.close();
    iam = await LocalIamEndpoint.start([standInProfile('payments-api', [{ namespace: 'payments', serviceAccount: 'billing' }])], KEY);
    const pod = podSide(paymentsIdentity());
    writeToken(pod.tokenFile);
    enterPod({ ...pod.env, SECRETS_MANAGER_AUTH_URL: iam.url });

    // WHEN the SDK authenticates a request
    const attempt = getAuthenticatorFromEnvironment('secrets_manager').authenticate({ headers: {} });

    // THEN the SDK reports IAM's refusal
    await expect(attempt).rejects.toThrow(/not eligible|BXNIM0398E/);
  });
});
