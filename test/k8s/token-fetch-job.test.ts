import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ClusterKind, IamEndpoint, WorkloadIdentity, WorkloadIdentityError } from '../../src';
import {
  CURL_IMAGE_GID, CURL_IMAGE_UID, DEFAULT_TOKEN_FETCH_IMAGE, TokenFetchJob, TokenFetchJobProps, tokenFetchScript,
  WorkloadIdentityBinding, WorkloadIdentityServiceAccount, worstCaseSeconds,
} from '../../src/k8s';
import { expandKubernetes } from '../../src/rules/shell/kubernetes';
import { envNames, envOf, IKS_CRN, makeChart, makeIdentity, manifestOf, mountAt, podSpec, ROKS_CRN, TOKEN_DIR, TOKEN_FILE, volumeNamed } from './helpers';

const roksIdentity = () => makeIdentity({ clusters: [{ kind: ClusterKind.ROKS, crn: ROKS_CRN }] });
const mixedIdentity = () => makeIdentity({ clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: ROKS_CRN }] });

/** The rendered Job of a TokenFetchJob declared with `props` (identity "orders" on IKS unless given). */
function renderJob(props: Partial<TokenFetchJobProps> = {}, chart: Chart = makeChart()): any {
  new TokenFetchJob(chart, 'J', { identity: makeIdentity(), ...props });
  return manifestOf(chart, 'Job');
}

function container(job: any): any {
  const containers = podSpec(job).containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}

/** What declaring a TokenFetchJob with `props` throws. */
function errorOf(props: Partial<TokenFetchJobProps>): WorkloadIdentityError {
  try {
    new TokenFetchJob(makeChart(), 'J', { identity: makeIdentity(), ...props });
  } catch (e) {
    return e as WorkloadIdentityError;
  }
  throw new Error('expected TokenFetchJob to throw');
}

describe('TokenFetchJob naming and placement', () => {
  test('is named <identity>-token-fetch by default', () => {
    // GIVEN identity "orders"
    // WHEN a TokenFetchJob is declared without a name
    const job = renderJob();
    // THEN the Job is "orders-token-fetch"
    expect(job.metadata.name).toBe('orders-token-fetch');
  });

  test('takes an explicit name', () => {
    // GIVEN name "orders-smoke"
    // WHEN a TokenFetchJob is declared with it
    const job = renderJob({ name: 'orders-smoke' });
    // THEN the Job is "orders-smoke"
    expect(job.metadata.name).toBe('orders-smoke');
  });

  test('is in the identity namespace even when the chart defaults to another', () => {
    // GIVEN a chart in namespace "elsewhere"
    // WHEN a TokenFetchJob for an identity in "shop" is declared in it
    const job = renderJob({}, makeChart('elsewhere'));
    // THEN the Job is in "shop"
    expect(job.metadata.namespace).toBe('shop');
  });

  test('is labelled as the token-fetch component managed by iks-workload-identity', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    const job = renderJob();
    // THEN it carries both labels
    expect(job.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'iks-workload-identity',
      'app.kubernetes.io/component': 'token-fetch',
    });
  });

  test('runs as the identity service account without the API-server token', () => {
    // GIVEN identity "orders"
    // WHEN a TokenFetchJob is declared
    const spec = podSpec(renderJob());
    // THEN the pod runs as "orders" and automounts nothing
    expect(spec.serviceAccountName).toBe('orders');
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('exposes its identity and its binding', () => {
    // GIVEN an identity
    const identity = makeIdentity();
    // WHEN a TokenFetchJob is declared
    const job = new TokenFetchJob(makeChart(), 'J', { identity });
    // THEN its identity and binding are the ones in use
    expect(job.identity).toBe(identity);
    expect(WorkloadIdentityBinding.of(job)).toBe(job.binding);
  });

  // BUG: like WorkloadIdentityDeployment, the Job creates its service-account reference as a
  // sibling `${id}ServiceAccount` in the caller's scope.
  test('leaves the id <id>ServiceAccount in the parent scope free for the user', () => {
    // GIVEN a chart where the user declared the service account with id "FetchServiceAccount"
    const chart = makeChart();
    const identity = makeIdentity();
    new WorkloadIdentityServiceAccount(chart, 'FetchServiceAccount', { identity });
    // WHEN a TokenFetchJob with id "Fetch" is declared beside it
    // THEN it is accepted (actual: "There is already a Construct with name 'FetchServiceAccount'")
    expect(() => new TokenFetchJob(chart, 'Fetch', { identity })).not.toThrow();
  });

  test('refuses props without a WorkloadIdentity, naming the construct', () => {
    // GIVEN props whose identity is a plain object
    // WHEN the Job is declared THEN it throws naming the construct id and the prop
    expect(() => new TokenFetchJob(makeChart(), 'J', { identity: {} as WorkloadIdentity }))
      .toThrow('TokenFetchJob "J": props.identity must be a WorkloadIdentity');
  });
});

describe('TokenFetchJob image', () => {
  test('defaults to a pinned curlimages/curl tag, never latest', () => {
    // GIVEN no image
    // WHEN a TokenFetchJob is declared
    const image = container(renderJob()).image;
    // THEN the image is DEFAULT_TOKEN_FETCH_IMAGE, curlimages/curl at a version tag
    expect(image).toBe(DEFAULT_TOKEN_FETCH_IMAGE);
    expect(image).toMatch(/^curlimages\/curl:\d+\.\d+\.\d+$/);
    expect(image).not.toMatch(/:latest$/);
  });

  test('takes an image pinned by tag', () => {
    // GIVEN a mirrored image pinned by tag
    // WHEN a TokenFetchJob is declared with it
    const image = container(renderJob({ image: 'icr.io/mirror/curl:8.11.1' })).image;
    // THEN that image is used
    expect(image).toBe('icr.io/mirror/curl:8.11.1');
  });

  test('takes an image pinned by digest', () => {
    // GIVEN an image pinned by digest
    const digest = `curlimages/curl@sha256:${'a'.repeat(64)}`;
    // WHEN a TokenFetchJob is declared with it
    const image = container(renderJob({ image: digest })).image;
    // THEN that image is used
    expect(image).toBe(digest);
  });

  test('pulls the image only if not present', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    // THEN the pull policy is IfNotPresent
    expect(container(renderJob()).imagePullPolicy).toBe('IfNotPresent');
  });

  test.each([
    ['the latest tag', 'curlimages/curl:latest'],
    ['no tag', 'curlimages/curl'],
    ['a registry port but no tag', 'registry.example.com:5000/curl'],
  ])('refuses an image with %s, naming tokenFetchJob.image', (_, image) => {
    // GIVEN an unpinned image
    // WHEN a TokenFetchJob is declared with it
    const error = errorOf({ image });
    // THEN the error names the identity, the field and the value, and asks to pin it
    expect(error).toBeInstanceOf(WorkloadIdentityError);
    expect(error.message).toContain(`WorkloadIdentity "orders": tokenFetchJob.image is ${JSON.stringify(image)}; pin the image by tag or digest`);
  });

  test('refuses an image with whitespace', () => {
    // GIVEN an image reference with a space
    // WHEN a TokenFetchJob is declared with it THEN the error names tokenFetchJob.image
    expect(errorOf({ image: 'curlimages/curl: 8.11.1' }).message).toContain('tokenFetchJob.image is "curlimages/curl: 8.11.1"');
  });
});

describe('TokenFetchJob user and group per cluster kind', () => {
  test('runs as UID 100 and GID 101 at pod level on IKS', () => {
    // GIVEN an identity on an IKS cluster
    // WHEN a TokenFetchJob is declared
    const sc = podSpec(renderJob()).securityContext;
    // THEN the pod runs as curl_user's numbers
    expect([sc.runAsUser, sc.runAsGroup]).toEqual([CURL_IMAGE_UID, CURL_IMAGE_GID]);
    expect([CURL_IMAGE_UID, CURL_IMAGE_GID]).toEqual([100, 101]);
  });

  test('runs as UID 100 and GID 101 in the container on IKS', () => {
    // GIVEN an identity on an IKS cluster
    // WHEN a TokenFetchJob is declared
    const sc = container(renderJob()).securityContext;
    // THEN the container runs as 100:101
    expect([sc.runAsUser, sc.runAsGroup]).toEqual([100, 101]);
  });

  test('runs as the configured UID and GID on IKS', () => {
    // GIVEN runAsUser 1000 and runAsGroup 3000
    // WHEN a TokenFetchJob is declared on IKS
    const job = renderJob({ runAsUser: 1000, runAsGroup: 3000 });
    // THEN pod and container use them
    expect([podSpec(job).securityContext.runAsUser, podSpec(job).securityContext.runAsGroup]).toEqual([1000, 3000]);
    expect([container(job).securityContext.runAsUser, container(job).securityContext.runAsGroup]).toEqual([1000, 3000]);
  });

  test('sets no runAsUser or runAsGroup anywhere on ROKS', () => {
    // GIVEN an identity on a ROKS cluster
    // WHEN a TokenFetchJob is declared
    const text = JSON.stringify(renderJob({ identity: roksIdentity() }));
    // THEN restricted-v2 is left to assign the UID: no runAsUser/runAsGroup in the manifest
    expect(text).not.toContain('runAsUser');
    expect(text).not.toContain('runAsGroup');
  });

  test('still runs as non-root on ROKS', () => {
    // GIVEN an identity on a ROKS cluster
    // WHEN a TokenFetchJob is declared
    const job = renderJob({ identity: roksIdentity() });
    // THEN runAsNonRoot is true for pod and container
    expect(podSpec(job).securityContext.runAsNonRoot).toBe(true);
    expect(container(job).securityContext.runAsNonRoot).toBe(true);
  });

  test('refuses an identity on both IKS and ROKS without clusterKind, naming tokenFetchJob.clusterKind', () => {
    // GIVEN an identity trusted on an IKS and a ROKS cluster
    // WHEN a TokenFetchJob is declared without clusterKind
    const error = errorOf({ identity: mixedIdentity() });
    // THEN the error names the field and both kinds
    expect(error.message).toContain('WorkloadIdentity "orders": tokenFetchJob.clusterKind is ["IKS","ROKS"]; the identity runs on IKS and ROKS clusters');
    expect(error.message).toContain('set clusterKind');
  });

  test('accepts an identity on both IKS and ROKS with clusterKind ROKS, setting no UID', () => {
    // GIVEN an identity trusted on an IKS and a ROKS cluster
    // WHEN a TokenFetchJob is declared with clusterKind ROKS
    const text = JSON.stringify(renderJob({ identity: mixedIdentity(), clusterKind: ClusterKind.ROKS }));
    // THEN it renders without runAsUser
    expect(text).not.toContain('runAsUser');
  });

  test('accepts an identity on both IKS and ROKS with clusterKind IKS, setting UID 100', () => {
    // GIVEN an identity trusted on an IKS and a ROKS cluster
    // WHEN a TokenFetchJob is declared with clusterKind IKS
    const job = renderJob({ identity: mixedIdentity(), clusterKind: ClusterKind.IKS });
    // THEN the pod runs as 100
    expect(podSpec(job).securityContext.runAsUser).toBe(100);
  });

  test('refuses an unknown clusterKind, naming tokenFetchJob.clusterKind', () => {
    // GIVEN clusterKind "GKE"
    // WHEN a TokenFetchJob is declared with it THEN the error names the field
    expect(errorOf({ clusterKind: 'GKE' as ClusterKind }).message).toContain('tokenFetchJob.clusterKind is "GKE"; clusterKind is ClusterKind.IKS or ClusterKind.ROKS');
  });
});

describe('TokenFetchJob Job settings', () => {
  test('defaults to backoffLimit 1, activeDeadlineSeconds 300 and ttlSecondsAfterFinished 3600', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    const { spec } = renderJob();
    // THEN the Job limits are the documented defaults
    expect([spec.backoffLimit, spec.activeDeadlineSeconds, spec.ttlSecondsAfterFinished]).toEqual([1, 300, 3600]);
  });

  test('takes backoffLimit, activeDeadlineSeconds and ttlSecondsAfterFinished', () => {
    // GIVEN backoffLimit 0, activeDeadlineSeconds 600, ttlSecondsAfterFinished 0
    // WHEN a TokenFetchJob is declared with them
    const { spec } = renderJob({ backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 0 });
    // THEN the Job uses them
    expect([spec.backoffLimit, spec.activeDeadlineSeconds, spec.ttlSecondsAfterFinished]).toEqual([0, 600, 0]);
  });

  test('never restarts its pod in place', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    // THEN restartPolicy is Never
    expect(podSpec(renderJob()).restartPolicy).toBe('Never');
  });

  test('runs with a read-only root filesystem', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    // THEN the container root filesystem is read-only
    expect(container(renderJob()).securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('gives the script a small in-memory emptyDir at /tmp', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    const job = renderJob();
    // THEN volume tmp is a 1Mi memory emptyDir mounted at /tmp, and TMPDIR points there
    expect(volumeNamed(podSpec(job), 'tmp')).toEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    expect(mountAt(container(job), '/tmp')).toEqual({ mountPath: '/tmp', name: 'tmp' });
    expect(envOf(container(job)).TMPDIR).toBe('/tmp');
  });

  test('refuses an identity whose token is mounted at /tmp, naming token.mountPath', () => {
    // GIVEN an identity whose token directory is /tmp, where the Job mounts its scratch emptyDir
    const chart = makeChart();
    // WHEN a TokenFetchJob is declared THEN it throws at once, naming token.mountPath and the fix
    expect(() => new TokenFetchJob(chart, 'J', { identity: makeIdentity({ token: { mountPath: '/tmp' } }) }))
      .toThrow(/WorkloadIdentity "orders": token\.mountPath is "\/tmp"; the token-fetch Job keeps its scratch files in \/tmp; set token\.mountPath/);
  });

  test('mounts the projected token read-only at the identity mount path', () => {
    // GIVEN identity "orders" with the default token
    // WHEN a TokenFetchJob is declared
    const job = renderJob();
    // THEN the token volume is projected for iam and mounted read-only
    expect(volumeNamed(podSpec(job), 'sa-token').projected.sources[0].serviceAccountToken.audience).toBe('iam');
    expect(mountAt(container(job), TOKEN_DIR)).toEqual({ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true });
  });

  test('sets the CLI variables the script reads', () => {
    // GIVEN identity "orders" with profile "orders-prod"
    // WHEN a TokenFetchJob is declared
    const env = envOf(container(renderJob({ identity: makeIdentity({ profileName: 'orders-prod' }) })));
    // THEN IBMCLOUD_CR_TOKEN and IBMCLOUD_CR_PROFILE are set
    expect(env.IBMCLOUD_CR_TOKEN).toBe(`@${TOKEN_FILE}`);
    expect(env.IBMCLOUD_CR_PROFILE).toBe('orders-prod');
  });

  test('sets no SDK service variables even when the identity has SDK services', () => {
    // GIVEN an identity configured for secrets_manager
    // WHEN a TokenFetchJob is declared
    const names = envNames(container(renderJob({ identity: makeIdentity({ sdkServices: ['secrets_manager'] }) })));
    // THEN no SECRETS_MANAGER_* variable is set
    expect(names.filter((n) => n.startsWith('SECRETS_MANAGER_'))).toEqual([]);
  });

  test('points TOKEN_FETCH_URL at the public token URL by default', () => {
    // GIVEN an identity on the public endpoint
    // WHEN a TokenFetchJob is declared
    // THEN TOKEN_FETCH_URL is the public /identity/token
    expect(envOf(container(renderJob())).TOKEN_FETCH_URL).toBe('https://iam.cloud.ibm.com/identity/token');
  });

  test('points TOKEN_FETCH_URL at the private token URL for a private identity', () => {
    // GIVEN an identity on IamEndpoint.PRIVATE
    // WHEN a TokenFetchJob is declared
    const env = envOf(container(renderJob({ identity: makeIdentity({ iamEndpoint: IamEndpoint.PRIVATE }) })));
    // THEN TOKEN_FETCH_URL is the private /identity/token
    expect(env.TOKEN_FETCH_URL).toBe('https://private.iam.cloud.ibm.com/identity/token');
  });

  test('points TOKEN_FETCH_URL at a regional private token URL', () => {
    // GIVEN an identity on the classic private endpoint of jp-tok
    // WHEN a TokenFetchJob is declared
    const env = envOf(container(renderJob({ identity: makeIdentity({ iamEndpoint: IamEndpoint.privateRegional('jp-tok') }) })));
    // THEN TOKEN_FETCH_URL is that endpoint's /identity/token
    expect(env.TOKEN_FETCH_URL).toBe('https://private.jp-tok.iam.cloud.ibm.com/identity/token');
  });

  test('passes the retry settings to the script', () => {
    // GIVEN maxAttempts 3, attemptTimeoutSeconds 5, initialBackoffSeconds 1
    // WHEN a TokenFetchJob is declared with them
    const env = envOf(container(renderJob({ maxAttempts: 3, attemptTimeoutSeconds: 5, initialBackoffSeconds: 1 })));
    // THEN the script's variables carry them, with the 30 s backoff cap
    expect(env).toEqual(expect.objectContaining({
      TOKEN_FETCH_MAX_ATTEMPTS: '3',
      TOKEN_FETCH_TIMEOUT: '5',
      TOKEN_FETCH_BACKOFF: '1',
      TOKEN_FETCH_BACKOFF_MAX: '30',
    }));
  });

  test('runs the token-fetch script with /bin/sh -c', () => {
    // GIVEN defaults
    // WHEN a TokenFetchJob is declared
    const c = container(renderJob());
    // THEN the command is sh -c with exactly tokenFetchScript(), and no args
    expect(c.command).toEqual(['/bin/sh', '-c', tokenFetchScript()]);
    expect(c.args).toBeUndefined();
  });

  test('reaches the container as written: the kubelet\'s $$ and $(VAR) expansion changes nothing in it', () => {
    // GIVEN the rendered Job, with every variable it sets
    const c = container(renderJob());
    const env = new Map<string, string | undefined>(c.env.map((e: any) => [e.name, e.value]));
    // WHEN each command entry is expanded as the kubelet does (expand.go: $$ becomes $, $(NAME) a variable)
    const expanded = c.command.map((arg: string) => expandKubernetes(arg, env).map((s) => (s.kind === 'text' ? s.text : '<unknown>')).join(''));
    // THEN the shell runs exactly the script written (0.1.0's "$$" ran as a literal "$")
    expect(expanded).toEqual(c.command);
  });
});

describe('the token-fetch script', () => {
  const script = tokenFetchScript();
  /** The script's code, without comment lines (comments describe, they do not run). */
  const code = script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');

  test('is the shipped token-fetch.sh', () => {
    // GIVEN src/k8s/token-fetch.sh
    // WHEN the script is read
    // THEN it is the file's content
    expect(script).toBe(fs.readFileSync(path.join(__dirname, '../../src/k8s/token-fetch.sh'), 'utf8'));
  });

  test('lets curl read the projected token from its file', () => {
    // GIVEN the script
    // WHEN its curl call is inspected
    // THEN the token is sent with --data-urlencode "cr_token@$token_file"
    expect(code).toContain('--data-urlencode "cr_token@$token_file"');
  });

  test('never puts a file content on a command line with $(cat', () => {
    // GIVEN the script
    // WHEN it is searched for command substitution of cat
    // THEN there is none, and no backtick cat either
    expect(script).not.toContain('$(cat');
    expect(script).not.toMatch(/`\s*cat\b/);
  });

  test('asks for the cr-token grant and the trusted profile by name', () => {
    // GIVEN the script
    // WHEN its curl call is inspected
    // THEN it sends grant_type cr-token and profile_name
    expect(code).toContain("--data-urlencode 'grant_type=urn:ibm:params:oauth:grant-type:cr-token'");
    expect(code).toContain('--data-urlencode "profile_name=$profile"');
  });

  test('never prints the response body', () => {
    // GIVEN the script
    // WHEN it is searched for commands that would print the body file or variable
    // THEN there are none
    expect(code).not.toMatch(/\bcat\s+"?\$\{?body/);
    expect(code).not.toMatch(/\b(printf|echo)\b[^\n]*\$\{?body/);
    expect(code).not.toMatch(/\b(log|fail)\b[^\n]*\$\{?body/);
    expect(code).not.toMatch(/\btee\b/);
  });

  test('never prints the token or the access token', () => {
    // GIVEN the script
    // WHEN it is searched for prints of the token file contents, the payload or the claims
    // THEN there are none
    expect(code).not.toMatch(/\becho\b[^\n]*\$\{?(token|payload|claims|access)/);
    expect(code).not.toMatch(/\b(log|fail)\b[^\n]*\$\{?(payload|claims)\b/);
    expect(code).not.toMatch(/\bcat\s+"?\$\{?token/);
  });

  test('never traces its commands or makes curl verbose', () => {
    // GIVEN the script
    // WHEN it is searched for shell tracing and curl verbosity
    // THEN there is neither
    expect(code).not.toMatch(/set\s+-[a-z]*x/);
    expect(code).not.toMatch(/\s(-v|--verbose|--trace\S*)\b/);
  });

  test('prints only the non-secret claims iam_id, sub, exp and expires_in', () => {
    // GIVEN the script
    // WHEN its log lines with a value are listed
    const logged = code.split('\n').filter((l) => /^\s*log "[a-z_]+=\$/.test(l)).map((l) => l.trim());
    // THEN they are exactly the four claims
    expect(logged).toEqual(['log "iam_id=$iam_id"', 'log "sub=$sub"', 'log "exp=$exp"', 'log "expires_in=$expires_in"']);
  });
});

describe('TokenFetchJob validation', () => {
  test('takes the default name from the model, whose identity names leave room for the suffix', () => {
    // GIVEN an identity whose name has the most characters the model allows (51)
    const identity = makeIdentity({ name: 'a'.repeat(51) });
    // WHEN a TokenFetchJob is declared without a name
    // THEN the Job is "<name>-token-fetch", exactly 63 characters
    expect(renderJob({ identity }).metadata.name).toBe(`${'a'.repeat(51)}-token-fetch`);
    // AND a 52-character name is refused by the model already, naming the identity's name
    expect(() => makeIdentity({ name: 'a'.repeat(52) })).toThrow(/name is "a{52}"; the token-fetch Job is named/);
  });

  test('accepts a short explicit name for an identity with a long name', () => {
    // GIVEN an identity whose name has 51 characters
    const identity = makeIdentity({ name: 'a'.repeat(51) });
    // WHEN a TokenFetchJob is declared with name "fetch"
    // THEN the Job is "fetch"
    expect(renderJob({ identity, name: 'fetch' }).metadata.name).toBe('fetch');
  });

  test('refuses an explicit name that is not a DNS-1123 label', () => {
    // GIVEN name "Fetch_Token"
    // WHEN a TokenFetchJob is declared with it THEN the error names tokenFetchJob.name without blaming the identity name
    const message = errorOf({ name: 'Fetch_Token' }).message;
    expect(message).toContain('tokenFetchJob.name is "Fetch_Token"; a Job name is a DNS-1123 label');
    expect(message).not.toContain('identity name is too long');
  });

  test.each([
    ['runAsUser', { runAsUser: 0 }],
    ['runAsGroup', { runAsGroup: 0 }],
  ])('refuses %s 0 as root', (field, props) => {
    // GIVEN a root UID or GID
    // WHEN a TokenFetchJob is declared with it
    const message = errorOf(props).message;
    // THEN the error names the field and says 0 is root
    expect(message).toContain(`tokenFetchJob.${field} is 0`);
    expect(message).toContain('UID/GID 0 is root');
  });

  test.each([
    ['maxAttempts', 0],
    ['maxAttempts', 21],
    ['maxAttempts', 2.5],
    ['attemptTimeoutSeconds', 0],
    ['initialBackoffSeconds', 31],
    ['activeDeadlineSeconds', 0],
    ['backoffLimit', -1],
    ['backoffLimit', 11],
    ['ttlSecondsAfterFinished', -1],
  ])('refuses %s %p, naming the field', (field, value) => {
    // GIVEN an out-of-range setting
    // WHEN a TokenFetchJob is declared with it
    const error = errorOf({ [field]: value });
    // THEN the error names tokenFetchJob.<field> and its value
    expect(error.problems.map((p) => p.field)).toContain(`tokenFetchJob.${field}`);
    expect(error.message).toContain(`tokenFetchJob.${field} is ${value}; ${field} is a whole number`);
  });

  test('refuses a deadline shorter than the worst case of the retries, naming both', () => {
    // GIVEN activeDeadlineSeconds 30 with the default retries (80 s per pod, 2 pods: 160 s)
    // WHEN a TokenFetchJob is declared with it
    const error = errorOf({ activeDeadlineSeconds: 30 });
    // THEN the error names activeDeadlineSeconds and the 160 s worst case of every pod
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].field).toBe('tokenFetchJob.activeDeadlineSeconds');
    expect(error.message).toContain('tokenFetchJob.activeDeadlineSeconds is 30; 2 pod(s) of 5 attempts of up to 10 s with their waits take up to 160 s');
    expect(error.message).toContain('raise activeDeadlineSeconds above 160');
  });

  test('refuses a deadline equal to the worst case', () => {
    // GIVEN activeDeadlineSeconds 160, exactly the default worst case of both pods
    // WHEN a TokenFetchJob is declared with it THEN it is refused, leaving no room to report
    expect(errorOf({ activeDeadlineSeconds: 160 }).message).toContain('take up to 160 s');
  });

  test('accepts a deadline just above the worst case', () => {
    // GIVEN activeDeadlineSeconds 161
    // WHEN a TokenFetchJob is declared with it
    // THEN the Job has that deadline
    expect(renderJob({ activeDeadlineSeconds: 161 }).spec.activeDeadlineSeconds).toBe(161);
  });

  test('reports every invalid setting at once', () => {
    // GIVEN an unpinned image, runAsUser 0 and maxAttempts 0
    // WHEN a TokenFetchJob is declared with them
    const error = errorOf({ image: 'curlimages/curl:latest', runAsUser: 0, maxAttempts: 0 });
    // THEN all three fields are reported in one error
    expect(error.problems.map((p) => p.field)).toEqual(['tokenFetchJob.image', 'tokenFetchJob.runAsUser', 'tokenFetchJob.maxAttempts']);
    expect(error.message).toMatch(/^3 problems:/);
  });

  test('reports each problem against the identity name', () => {
    // GIVEN maxAttempts 0 for identity "orders"
    // WHEN a TokenFetchJob is declared
    const error = errorOf({ maxAttempts: 0 });
    // THEN the problem carries the identity name
    expect(error.problems[0].identity).toBe('orders');
  });
});

describe('worstCaseSeconds', () => {
  test('is 80 s for the defaults: 5 attempts of 10 s and waits of 2, 4, 8 and 16 s', () => {
    // GIVEN the default retry settings
    // WHEN the worst case is computed
    // THEN it is 5 x 10 + 2 + 4 + 8 + 16
    expect(worstCaseSeconds({ maxAttempts: 5, attemptTimeoutSeconds: 10, initialBackoffSeconds: 2 })).toBe(80);
  });

  test('caps each wait at 30 s', () => {
    // GIVEN 6 attempts of 10 s starting with a 16 s wait
    // WHEN the worst case is computed
    // THEN the waits are 16, 30, 30, 30, 30
    expect(worstCaseSeconds({ maxAttempts: 6, attemptTimeoutSeconds: 10, initialBackoffSeconds: 16 })).toBe(60 + 16 + 30 * 4);
  });

  test('is one timeout for a single attempt', () => {
    // GIVEN one attempt of 7 s
    // WHEN the worst case is computed
    // THEN there is no wait
    expect(worstCaseSeconds({ maxAttempts: 1, attemptTimeoutSeconds: 7, initialBackoffSeconds: 2 })).toBe(7);
  });
});
