import { IWI_K5, IWI_K6 } from '../../src/rules';
import { tokenFetchScript } from '../../src/k8s/token-fetch-job';
import { deployment, ibmContainer, job, k8sFindings, TOKEN_DIR, TOKEN_FILE, tokenVolume } from './fixtures';

const API_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const IAM = 'https://iam.cloud.ibm.com/identity/token';

describe('IWI-K5 projected token mounted through subPath', () => {
  test('flags the token file mounted through subPath', () => {
    // GIVEN the token volume mounted as the single file sa-token
    const c = ibmContainer('app', { volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_FILE, subPath: 'sa-token', readOnly: true }] });
    // WHEN IWI-K5 runs
    const findings = k8sFindings(IWI_K5, deployment({ containers: [c] }));
    // THEN one error names the container, the volume and the subPath
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K5', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toContain(`container "app" mounts the projected token volume "sa-token" at ${TOKEN_FILE} through subPath "sa-token": Kubernetes never refreshes it`);
  });

  test('flags subPathExpr too', () => {
    // GIVEN the token volume mounted through subPathExpr
    const c = ibmContainer('app', { volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_FILE, subPathExpr: '$(POD_NAME)' }] });
    // WHEN IWI-K5 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K5, deployment({ containers: [c] })).map((f) => f.message)).toEqual([expect.stringContaining('through subPathExpr "$(POD_NAME)"')]);
  });

  test('passes the token volume mounted as a folder', () => {
    // GIVEN the documented mount of the folder
    // WHEN IWI-K5 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K5, deployment())).toEqual([]);
  });

  test('passes a subPath mount of a volume that holds no token', () => {
    // GIVEN a ConfigMap volume mounted through subPath beside the token folder
    const c = ibmContainer('app');
    c.volumeMounts = [...c.volumeMounts, { name: 'config', mountPath: '/etc/app/config.yaml', subPath: 'config.yaml' }];
    // WHEN IWI-K5 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K5, deployment({ containers: [c], volumes: [tokenVolume(), { name: 'config', configMap: { name: 'app' } }] }))).toEqual([]);
  });
});

describe('IWI-K6 a token for the API server sent to IAM', () => {
  test('flags IBM configuration pointing at the automounted API server token', () => {
    // GIVEN IBMCLOUD_CR_TOKEN naming the API server's token
    const c = ibmContainer('app');
    c.env = c.env.map((e: any) => (e.name === 'IBMCLOUD_CR_TOKEN' ? { ...e, value: `@${API_TOKEN}` } : e));
    // WHEN IWI-K6 runs
    const findings = k8sFindings(IWI_K6, deployment({ containers: [c], automountServiceAccountToken: true }));
    // THEN one error says it is the API server's own token
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining(`hands IAM the API server's own token (IBMCLOUD_CR_TOKEN: ${API_TOKEN})`)]);
  });

  test('flags curl sending the API server token to IAM', () => {
    // GIVEN a Job whose curl reads the API server's token itself
    const manifest = job(['sh', '-c', `curl --data-urlencode "cr_token@${API_TOKEN}" ${IAM}`]);
    // WHEN IWI-K6 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K6, manifest).map((f) => f.message)).toEqual([expect.stringContaining('sends a token that is not for IAM to IAM')]);
  });

  test('flags curl sending a projected token without audience iam, found through a variable', () => {
    // GIVEN the token volume projected without audience, and curl sending it by variable
    const manifest = job(['sh', '-c', `f=${TOKEN_DIR}/sa-token; curl -d grant_type=urn:ibm:params:oauth:grant-type:cr-token --data-urlencode "cr_token@$f" ${IAM}`]);
    manifest.spec.template.spec.volumes = [tokenVolume({ audience: undefined })];
    // WHEN IWI-K6 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K6, manifest).map((f) => f.ruleId)).toEqual(['IWI-K6']);
  });

  test('passes curl sending the token projected for iam', () => {
    // GIVEN the documented exchange
    const manifest = job(['sh', '-c', `curl --data-urlencode "cr_token@${TOKEN_FILE}" ${IAM}`]);
    // WHEN IWI-K6 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K6, manifest)).toEqual([]);
  });

  test('passes the library\'s token-fetch script', () => {
    // GIVEN the Job script this library ships
    // WHEN IWI-K6 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K6, job(['/bin/sh', '-c', tokenFetchScript()]))).toEqual([]);
  });

  test('passes a program that uses the API server token for the API server', () => {
    // GIVEN kubectl-style use of the automounted token, not sent to IAM
    const manifest = job(['sh', '-c', `curl -H @/etc/headers --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt https://kubernetes.default.svc/api`]);
    // WHEN IWI-K6 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K6, manifest)).toEqual([]);
  });
});

describe('IWI-K6 on the library\'s token-fetch script with the token near the API server\'s', () => {
  test.each([['/var/run', 'secrets'], ['/var/run/secrets', 'kubernetes.io'], ['/var/run/secrets/kubernetes.io', 'iam-token']])('passes with the IAM token at %s/%s', (mountPath, fileName) => {
    // GIVEN the shipped script sending an iam token whose file lies above or beside the API server's token
    const manifest = job(['/bin/sh', '-c', tokenFetchScript()]);
    const spec = manifest.spec.template.spec;
    spec.volumes = [tokenVolume({ path: fileName })];
    const c = spec.containers[0];
    c.volumeMounts = [{ name: 'sa-token', mountPath, readOnly: true }];
    c.env = c.env.map((e: any) => (e.name === 'IBMCLOUD_CR_TOKEN' ? { ...e, value: `@${mountPath}/${fileName}` } : e));
    // WHEN IWI-K6 runs
    // THEN it finds nothing: what is sent is the iam token
    expect(k8sFindings(IWI_K6, manifest)).toEqual([]);
  });
});
