import { IWI_K1, IWI_K2, IWI_K3 } from '../../src/rules';
import { deployment, ibmContainer, k8sFindings, TOKEN_DIR, tokenVolume } from './fixtures';

describe('IWI-K1 token audience', () => {
  test('accepts the token IBM documents, audience iam', () => {
    // GIVEN a Deployment whose IBM SDK reads a token projected for audience iam
    // WHEN IWI-K1 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K1, deployment())).toEqual([]);
  });

  test('flags a token without audience that the IBM SDK reads, naming the volume and container', () => {
    // GIVEN the same pod with no audience on the projected token (so the API server's)
    const manifest = deployment({ volumes: [tokenVolume({ audience: undefined })] });
    // WHEN IWI-K1 runs
    const findings = k8sFindings(IWI_K1, manifest);
    // THEN it reports one error on the Deployment
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K1', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toContain('volume "sa-token" projects the token that container "app" hands to IAM');
    expect(findings[0].message).toContain('no audience');
  });

  test('flags a wrong audience on a token read from the SDK default path', () => {
    // GIVEN an SDK configured for container auth without a file name, and a token for "vault" at the default path
    const app = ibmContainer();
    app.env = [{ name: 'COS_AUTH_TYPE', value: 'container' }, { name: 'COS_IAM_PROFILE_NAME', value: 'payments-api' }];
    const manifest = deployment({ containers: [app], volumes: [tokenVolume({ audience: 'vault' })] });
    // WHEN IWI-K1 runs
    // THEN it reports the audience
    expect(k8sFindings(IWI_K1, manifest).map((f) => f.message)).toEqual([expect.stringContaining('audience "vault"')]);
  });

  test('ignores a token for another audience that no IBM configuration reads', () => {
    // GIVEN an extra projected token for Vault at another path, beside the IAM one
    const vault = { name: 'vault', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 'token' } }] } };
    const app = ibmContainer();
    app.volumeMounts.push({ name: 'vault', mountPath: '/var/run/secrets/vault' });
    // WHEN IWI-K1 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K1, deployment({ containers: [app], volumes: [tokenVolume(), vault] }))).toEqual([]);
  });
});

describe('IWI-K2 token lifetime', () => {
  test('accepts the bounds 600 and 3600 and an unset lifetime', () => {
    // GIVEN three pods with lifetimes 600, 3600 and unset (Kubernetes' default, 3600)
    const pods = [600, 3600, undefined].map((ttl) => deployment({ volumes: [tokenVolume({ expirationSeconds: ttl })] }));
    // WHEN IWI-K2 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K2, ...pods)).toEqual([]);
  });

  test('flags 7200 s as longer than IAM accepts', () => {
    // GIVEN a token that lives two hours
    const manifest = deployment({ volumes: [tokenVolume({ expirationSeconds: 7200 })] });
    // WHEN IWI-K2 runs
    const findings = k8sFindings(IWI_K2, manifest);
    // THEN it reports one error saying IAM refuses it
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K2', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toContain('expirationSeconds 7200; IAM refuses tokens that live longer than 3600 s');
  });

  test('flags 300 s as shorter than Kubernetes accepts', () => {
    // GIVEN a token that lives five minutes
    const manifest = deployment({ volumes: [tokenVolume({ expirationSeconds: 300 })] });
    // WHEN IWI-K2 runs
    // THEN it says Kubernetes refuses it
    expect(k8sFindings(IWI_K2, manifest).map((f) => f.message)).toEqual([expect.stringContaining('Kubernetes refuses lifetimes shorter than 600 s')]);
  });
});

describe('IWI-K3 token mounted in every container', () => {
  test('accepts a pod whose containers and init containers all mount the token', () => {
    // GIVEN a pod with an app container and an init container, both mounting the token
    const manifest = deployment({ initContainers: [ibmContainer('init')] });
    // WHEN IWI-K3 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K3, manifest)).toEqual([]);
  });

  test('flags a sidecar that does not mount the token volume', () => {
    // GIVEN a second container without IBM configuration and without the mount
    const sidecar = { name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' };
    // WHEN IWI-K3 runs
    const findings = k8sFindings(IWI_K3, deployment({ containers: [ibmContainer(), sidecar] }));
    // THEN it reports that container
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K3', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toContain('container "proxy" does not mount the IAM token volume "sa-token"');
  });

  test('flags an init container configured for IBM Cloud that reads a token nothing projects', () => {
    // GIVEN an init container with the IBM variables but no volume mount
    const init = { ...ibmContainer('migrate'), volumeMounts: [] };
    // WHEN IWI-K3 runs
    const findings = k8sFindings(IWI_K3, deployment({ initContainers: [init] }));
    // THEN it names the file and the variable that points at it
    expect(findings.map((f) => f.message)).toContain(`init container "migrate" reads the IAM token at ${TOKEN_DIR}/sa-token (SECRETS_MANAGER_CR_TOKEN_FILENAME) but mounts no projected service-account token there; mount the token volume so that the file exists`);
  });

  test('flags a pod configured for IBM Cloud that has no projected token at all', () => {
    // GIVEN a pod with the IBM variables and no volumes
    const app = { ...ibmContainer(), volumeMounts: [] };
    // WHEN IWI-K3 runs
    // THEN the container is reported
    expect(k8sFindings(IWI_K3, deployment({ containers: [app], volumes: [] })).length).toBeGreaterThan(0);
  });

  test('leaves pods without any IAM token or IBM configuration alone', () => {
    // GIVEN a plain nginx Deployment
    const manifest = deployment({ containers: [{ name: 'web', image: 'nginx:1.27' }], volumes: [] });
    // WHEN IWI-K3 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K3, manifest)).toEqual([]);
  });
});
