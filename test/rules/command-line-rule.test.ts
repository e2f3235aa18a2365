import { IWI_K4 } from '../../src/rules';
import { tokenFetchScript } from '../../src/k8s/token-fetch-job';
import { job, k8sFindings, TOKEN_FILE } from './fixtures';

const sh = (script: string) => ['/bin/sh', '-c', script];
const IAM = 'https://iam.cloud.ibm.com/identity/token';

describe('IWI-K4 token on a command line', () => {
  test('accepts curl reading the token from its file', () => {
    // GIVEN a Job that passes cr_token@<file> to curl
    const manifest = job(sh(`curl -s -X POST ${IAM} --data-urlencode "cr_token@${TOKEN_FILE}" -d profile_name=payments-api`));
    // WHEN IWI-K4 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K4, manifest)).toEqual([]);
  });

  test('accepts the library\'s own token-fetch script', () => {
    // GIVEN the Job script this library ships
    // WHEN IWI-K4 runs on a Job running it
    // THEN it finds nothing
    expect(k8sFindings(IWI_K4, job(sh(tokenFetchScript())))).toEqual([]);
  });

  test('flags IBM\'s sample, -d cr_token=$(cat <token file>), as an error on the Job', () => {
    // GIVEN the curl command of IBM's documentation
    const manifest = job(sh(`curl -s -X POST ${IAM} -d grant_type=urn:ibm:params:oauth:grant-type:cr-token -d cr_token=$(cat ${TOKEN_FILE}) -d profile_name=payments-api`));
    // WHEN IWI-K4 runs
    const findings = k8sFindings(IWI_K4, manifest);
    // THEN it reports the Job and the container, quoting the command
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-K4', severity: 'error', object: 'Job payments/token-fetch' })]);
    expect(findings[0].message).toContain(`container "fetch" reads the token file into a command line with cat ("cat ${TOKEN_FILE}")`);
  });

  test('flags backticks reading the token through the IBMCLOUD_CR_TOKEN variable', () => {
    // GIVEN a script that strips the "@" off IBMCLOUD_CR_TOKEN and cats the file in backticks
    const manifest = job(sh('f="${IBMCLOUD_CR_TOKEN#@}"\ncurl -d "cr_token=`cat $f`" ' + IAM));
    // WHEN IWI-K4 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K4, manifest).map((f) => f.ruleId)).toEqual(['IWI-K4']);
  });

  test('flags a token read into a shell variable with cr_token=$(', () => {
    // GIVEN a script that reads the token with $(< file) into cr_token
    const manifest = job(sh(`cr_token=$(< ${TOKEN_FILE})\ncurl --data "cr_token=$cr_token" ${IAM}`));
    // WHEN IWI-K4 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K4, manifest).map((f) => f.ruleId)).toEqual(['IWI-K4']);
  });

  test('flags the token in a file the projected volume mounts elsewhere, found by mount path and source path', () => {
    // GIVEN a Job whose token volume is mounted at /iam, reading /iam/sa-token into the command
    const manifest = job(sh(`curl -d "cr_token=$(cat /iam/sa-token)" ${IAM}`));
    const container = manifest.spec.template.spec.containers[0];
    container.env = [];
    container.volumeMounts = [{ name: 'sa-token', mountPath: '/iam' }];
    // WHEN IWI-K4 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K4, manifest).map((f) => f.ruleId)).toEqual(['IWI-K4']);
  });

  test('flags ibmcloud login given the token rather than @<file>', () => {
    // GIVEN ibmcloud login --cr-token with a variable holding the token
    const manifest = job(sh('ibmcloud login --cr-token "$TOKEN" --profile payments-api'));
    // WHEN IWI-K4 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K4, manifest).map((f) => f.message)).toEqual([expect.stringContaining('passes the token itself to --cr-token')]);
  });

  test('accepts ibmcloud login --cr-token @<file>', () => {
    // GIVEN ibmcloud login reading the token file itself
    const manifest = job(sh(`ibmcloud login --cr-token @${TOKEN_FILE} --profile payments-api`));
    // WHEN IWI-K4 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K4, manifest)).toEqual([]);
  });

  test('flags a literal token in args without printing it', () => {
    // GIVEN a Job whose args hold a JWT
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJl';
    const manifest = job(['curl']);
    manifest.spec.template.spec.containers[0].args = ['-d', `cr_token=${jwt}`, IAM];
    // WHEN IWI-K4 runs
    const findings = k8sFindings(IWI_K4, manifest);
    // THEN it is flagged, and the message, which ends up in CI logs, does not repeat the token
    expect(findings.map((f) => f.ruleId)).toEqual(['IWI-K4']);
    expect(findings[0].message).not.toContain('eyJ');
    expect(findings[0].message).toContain('cr_token=<token>');
  });
});

describe('IWI-K4 on the library\'s token-fetch script wherever the token is mounted', () => {
  test.each(['/a', '/t', '/var/run/secrets/tokens', '/iam/token-dir'])('passes with the token folder at %s', (mountPath) => {
    // GIVEN the shipped script in a Job whose token folder is mounted at a short or a deep path
    const manifest = job(sh(tokenFetchScript()));
    const c = manifest.spec.template.spec.containers[0];
    c.volumeMounts = [{ name: 'sa-token', mountPath, readOnly: true }];
    c.env = c.env.map((e: any) => (e.name === 'IBMCLOUD_CR_TOKEN' ? { ...e, value: `@${mountPath}/sa-token` } : e))
      .concat([{ name: 'TOKEN_FETCH_URL', value: 'https://iam.cloud.ibm.com/identity/token' }]);
    // WHEN IWI-K4 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K4, manifest)).toEqual([]);
  });
});

describe('IWI-K4 on the library\'s token-fetch script whatever the token file is called', () => {
  test.each(['-w', '1', 'token', 'a', 'sa-token'])('passes with the token file named %s', (fileName) => {
    // GIVEN the shipped script, the token file given a name that is also an option or a value in it
    const manifest = job(sh(tokenFetchScript()));
    const spec = manifest.spec.template.spec;
    spec.volumes = [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: fileName } }] } }];
    const c = spec.containers[0];
    c.env = c.env.map((e: any) => (e.name === 'IBMCLOUD_CR_TOKEN' ? { ...e, value: `@/var/run/secrets/tokens/${fileName}` } : e));
    // WHEN IWI-K4 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_K4, manifest)).toEqual([]);
  });

  test('still flags a relative path to the token after the script changes into its folder', () => {
    // GIVEN cd into the folder, then head of ./1 (the token file is called 1)
    const manifest = job(sh('cd /var/run/secrets/tokens && t=$(head -c 100 ./1)'));
    manifest.spec.template.spec.volumes = [{ name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', path: '1' } }] } }];
    // WHEN IWI-K4 runs
    // THEN it is flagged
    expect(k8sFindings(IWI_K4, manifest).map((f) => f.ruleId)).toEqual(['IWI-K4']);
  });
});
