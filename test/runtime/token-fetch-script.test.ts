// The token-fetch Job's script, taken from the synthesized Job manifest (not a copy), run the
// way the Job runs it: `/bin/sh -c <script>` with busybox as sh and the busybox applets on
// PATH (the curl image is Alpine), the real curl, and the container's environment from the
// manifest. Only what the cluster would provide differently is replaced: the IAM URL (a local
// endpoint), the token's location (a temp dir standing in for the mount), TMPDIR, and the
// backoff, scaled down to keep the tests fast.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { worstCaseSeconds } from '../../src/k8s';
import { LocalIamEndpoint, standInProfile } from '../support/iam-endpoint';
import { decodeJwt, mintProjectedToken } from '../support/jwt';
import { alpineLikeBin, processCommandLines, requirePrograms, RunResult, runProgram } from '../support/programs';
import { envList, paymentsIdentity, tokenFetchJobManifest } from '../support/synth';

jest.setTimeout(30_000);

const KEY = 'token-fetch-test-key';
const identity = paymentsIdentity();
const job = tokenFetchJobManifest(identity);
const pod = job.spec.template.spec;
const container = pod.containers.find((c: any) => c.name === 'token-fetch');
const manifestEnv: Record<string, string> = Object.fromEntries(envList(container));
const tokenMount = container.volumeMounts.find((m: any) => m.name === 'sa-token');
const tokenSource = pod.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken;
/** Where the pod sees the projected token: the mount path and the projected file name. */
const TOKEN_PATH = `${tokenMount.mountPath}/${tokenSource.path}`;

let work: string;
let bin: string;
let iam: LocalIamEndpoint;
let projectedToken: string;

beforeAll(() => {
  // Fails every test here, with the install command, when busybox or curl is missing.
  requirePrograms();
});

beforeEach(async () => {
  iam = undefined as unknown as LocalIamEndpoint;
  requirePrograms();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-token-fetch-'));
  bin = alpineLikeBin(path.join(work, 'bin'));
  fs.mkdirSync(path.join(work, 'tmp'));
  fs.mkdirSync(path.join(work, 'home'));
  // The kubelet writes the projected token without a trailing newline.
  projectedToken = mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', key: KEY });
  fs.mkdirSync(path.join(work, 'root', tokenMount.mountPath), { recursive: true });
  fs.writeFileSync(path.join(work, 'root', TOKEN_PATH), projectedToken, { mode: 0o600 });
  iam = await LocalIamEndpoint.start([standInProfile(identity.profileName, [{ namespace: 'payments', serviceAccount: 'payments-api' }])], KEY);
});

afterEach(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await iam?.close();
});

interface RunOptions {
  /** The token-fetch container of another synthesized Job. @default the Job of `identity` */
  readonly container?: any;
  readonly env?: Record<string, string>;
  readonly binDir?: string;
  readonly whileRunning?: () => void;
}

/** Runs the Job's script with the manifest's env, changed only as the header says. */
function runJobScript(opts: RunOptions = {}): Promise<RunResult> {
  const c = opts.container ?? container;
  const [shell, flag, script] = c.command;
  expect([shell, flag]).toEqual(['/bin/sh', '-c']);
  const env: Record<string, string> = {
    ...Object.fromEntries(envList(c)),
    TOKEN_FETCH_URL: iam.tokenUrl,
    IBMCLOUD_CR_TOKEN: `@${path.join(work, 'root', TOKEN_PATH)}`,
    TMPDIR: path.join(work, 'tmp'),
    TOKEN_FETCH_BACKOFF: '1',
    // What the container runtime sets: PATH (the image's, here busybox applets and curl) and HOME.
    PATH: opts.binDir ?? bin,
    HOME: path.join(work, 'home'),
    ...opts.env,
  };
  return runProgram([path.join(opts.binDir ?? bin, 'sh'), flag, script], env, work, opts.whileRunning);
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const accessToken = () => iam.issued[0].accessToken;

describe('the token-fetch script under busybox sh and curl', () => {
  test('reads the token where the Job mounts it, with the retry settings the Job sets', () => {
    // GIVEN the synthesized Job
    // THEN the script's token variable names the projected file, and its retry settings are the construct's defaults
    expect(manifestEnv.IBMCLOUD_CR_TOKEN).toBe(`@${TOKEN_PATH}`);
    expect(manifestEnv.IBMCLOUD_CR_PROFILE).toBe('payments-api');
    expect(manifestEnv.TOKEN_FETCH_URL).toBe('https://iam.cloud.ibm.com/identity/token');
    expect(manifestEnv).toMatchObject({ TOKEN_FETCH_MAX_ATTEMPTS: '5', TOKEN_FETCH_TIMEOUT: '10', TOKEN_FETCH_BACKOFF: '2', TOKEN_FETCH_BACKOFF_MAX: '30' });
  });

  test('exchanges the projected token and prints only the IAM token\'s iam_id, sub, exp and expires_in', async () => {
    // GIVEN a profile that trusts payments/payments-api
    // WHEN the Job's script runs
    const result = await runJobScript();

    // THEN it succeeds and prints the claims of the token IAM issued
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const claims = decodeJwt(accessToken())!.payload;
    expect(lines(result.stdout)).toEqual([
      'token-fetch: IAM issued a token for trusted profile "payments-api" (attempt 1)',
      `token-fetch: iam_id=${claims.iam_id}`,
      `token-fetch: sub=${claims.sub}`,
      `token-fetch: exp=${claims.exp}`,
      'token-fetch: expires_in=3600',
    ]);
    expect(claims.iam_id).toMatch(/^iam-Profile-/);
  });

  test('decodes an IAM token whose base64url payload holds both "-" and "_"', async () => {
    // GIVEN a profile whose name (a claim of IAM's token) encodes to "-" and "_" in base64url
    const name = 'payments?????>>>>>';
    const other = tokenFetchJobManifest(paymentsIdentity({ profileName: name })).spec.template.spec.containers[0];
    await iam.close();
    iam = await LocalIamEndpoint.start([standInProfile(name, [{ namespace: 'payments', serviceAccount: 'payments-api' }])], KEY);

    // WHEN that Job's script runs
    const result = await runJobScript({ container: other });

    // THEN the payload needed both translations, and the claims were decoded
    expect(accessToken().split('.')[1]).toMatch(/-.*_|_.*-/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`token-fetch: iam_id=${decodeJwt(accessToken())!.payload.iam_id}`);
  });

  test('posts IAM\'s documented form: the cr-token grant, the token intact from its file, and the profile name', async () => {
    // GIVEN a trusting profile
    // WHEN the script runs
    await runJobScript();

    // THEN IAM received one form post without credentials in headers, and the token byte for byte
    expect(iam.requests).toHaveLength(1);
    const [r] = iam.requests;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/identity/token');
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers.accept).toBe('application/json');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.fields).toEqual([
      ['grant_type', 'urn:ibm:params:oauth:grant-type:cr-token'],
      ['cr_token', projectedToken],
      ['profile_name', 'payments-api'],
    ]);
  });

  test('fails at once on BXNIM0398E and shows IAM\'s errorCode, errorMessage and requestId', async () => {
    // GIVEN IAM's profile trusts another service account (no link for this one)
    await iam.close();
    iam = await LocalIamEndpoint.start([standInProfile('payments-api', [{ namespace: 'payments', serviceAccount: 'billing' }])], KEY);

    // WHEN the script runs
    const result = await runJobScript();

    // THEN it exits non-zero after one request, without waiting, and says why
    expect(result.code).toBe(1);
    expect(iam.requests).toHaveLength(1);
    expect(result.elapsedMs).toBeLessThan(1000);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 400 BXNIM0398E: Selected trusted profile not eligible \(requestId local-1-[0-9a-f-]+\)$/),
    ]);
  });

  test('retries a 503 and a 429 with doubling waits, then succeeds', async () => {
    // GIVEN IAM answers 503, then 429, then serves
    iam.inject({ status: 503 }, { status: 429 });

    // WHEN the script runs (first wait 1 s)
    const result = await runJobScript();

    // THEN it waited 1 s then 2 s, and succeeded on the third attempt
    expect(result.code).toBe(0);
    expect(iam.requests.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(lines(result.stdout).slice(0, 3)).toEqual([
      'token-fetch: attempt 1 failed (HTTP 503); retrying in 1s',
      'token-fetch: attempt 2 failed (HTTP 429); retrying in 2s',
      'token-fetch: IAM issued a token for trusted profile "payments-api" (attempt 3)',
    ]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(3000);
  });

  test('gives up on a persistent 5xx after exactly the Job\'s maxAttempts, within the worst case the deadline is checked against', async () => {
    // GIVEN IAM answers 500 to everything, and waits scaled to 1 s (cap 1 s)
    iam.injectAlways({ status: 500 });
    const maxAttempts = Number(manifestEnv.TOKEN_FETCH_MAX_ATTEMPTS);

    // WHEN the script runs
    const result = await runJobScript({ env: { TOKEN_FETCH_BACKOFF_MAX: '1' } });

    // THEN it made maxAttempts requests, exited non-zero, and took less than its scaled worst case
    expect(result.code).toBe(1);
    expect(iam.requests).toHaveLength(maxAttempts);
    expect(lines(result.stderr)).toEqual([`token-fetch: error: giving up after ${maxAttempts} attempts; last: HTTP 500`]);
    const scaledWorst = maxAttempts * Number(manifestEnv.TOKEN_FETCH_TIMEOUT) + (maxAttempts - 1) * 1;
    expect(result.elapsedMs).toBeLessThan(scaledWorst * 1000);
  });

  test('leaves room in activeDeadlineSeconds for every attempt and wait of the real settings', () => {
    // GIVEN the Job's real retry settings, read from its manifest
    const attempts = Number(manifestEnv.TOKEN_FETCH_MAX_ATTEMPTS);
    const timeout = Number(manifestEnv.TOKEN_FETCH_TIMEOUT);
    const first = Number(manifestEnv.TOKEN_FETCH_BACKOFF);
    const cap = Number(manifestEnv.TOKEN_FETCH_BACKOFF_MAX);

    // WHEN the script's worst case is computed the way the script waits (doubling, capped)
    let worst = attempts * timeout;
    for (let i = 1, delay = first; i < attempts; i++, delay = Math.min(delay * 2, cap)) worst += delay;

    // THEN the construct's own computation agrees, and Kubernetes would not kill the Job first
    expect(worstCaseSeconds({ maxAttempts: attempts, attemptTimeoutSeconds: timeout, initialBackoffSeconds: first })).toBe(worst);
    expect(worst).toBeLessThan(job.spec.activeDeadlineSeconds);
  });

  test('retries an attempt that outlives TOKEN_FETCH_TIMEOUT', async () => {
    // GIVEN IAM's first answer takes 3 s, and attempts time out after 1 s
    iam.inject({ delayMs: 3000 });

    // WHEN the script runs
    const result = await runJobScript({ env: { TOKEN_FETCH_TIMEOUT: '1' } });

    // THEN curl's timeout (exit 28) is retried and the second attempt succeeds
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('token-fetch: attempt 1 failed (network error (curl exit code 28)); retrying in 1s');
    expect(iam.requests).toHaveLength(2);
  });

  test('retries when IAM cannot be reached, then gives up', async () => {
    // GIVEN nothing listens at the token URL any more
    const url = iam.tokenUrl;
    await iam.close();

    // WHEN the script runs with two attempts
    const result = await runJobScript({ env: { TOKEN_FETCH_URL: url, TOKEN_FETCH_MAX_ATTEMPTS: '2' } });

    // THEN the refused connection (curl exit 7) was retried once, then the script failed
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('attempt 1 failed (network error (curl exit code 7))');
    expect(result.stderr).toContain('giving up after 2 attempts; last: network error (curl exit code 7)');
  });

  test('fails without calling IAM when the token file is not mounted', async () => {
    // GIVEN no token at the configured path
    fs.rmSync(path.join(work, 'root', TOKEN_PATH));

    // WHEN the script runs
    const result = await runJobScript();

    // THEN it fails with a hint about the volume, and IAM saw nothing
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is missing or unreadable: is the token volume mounted into this container?');
    expect(iam.requests).toHaveLength(0);
  });

  test('prints neither token, nor the IAM token\'s signature, on success or on refusal', async () => {
    // GIVEN one successful run and one refused run
    const success = await runJobScript();
    iam.inject({ status: 403, body: JSON.stringify({ errorCode: 'BXNIM0398E', errorMessage: 'x', context: { requestId: 'r' } }) });
    const refused = await runJobScript();

    // THEN no output contains the projected token, the access token or any of their signatures
    const secrets = [projectedToken, accessToken(), accessToken().split('.')[2], projectedToken.split('.')[2]];
    for (const output of [success.stdout, success.stderr, refused.stdout, refused.stderr]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
    expect(success.code).toBe(0);
    expect(refused.code).toBe(1);
  });

  test('puts neither token on any process\'s command line, sampled from /proc while IAM answers slowly', async () => {
    // GIVEN IAM takes 800 ms to answer, so curl is alive long enough to be seen
    iam.inject({ delayMs: 800 });
    const seen = new Set<string>();

    // WHEN every process's command line is sampled every few milliseconds while the script runs
    const result = await runJobScript({ whileRunning: () => processCommandLines().forEach((l) => seen.add(l)) });

    // THEN curl was seen reading the token from its file, and no command line held a token
    expect(result.code).toBe(0);
    const all = [...seen];
    expect(all.some((l) => l.includes('curl') && l.includes(`cr_token@${path.join(work, 'root', TOKEN_PATH)}`))).toBe(true);
    for (const secret of [projectedToken, accessToken(), accessToken().split('.')[2]]) {
      expect(all.filter((l) => l.includes(secret))).toEqual([]);
    }
  });

  test('passes neither token as an argument to any program it runs, traced at every exec', async () => {
    // GIVEN a PATH whose programs log their arguments before running the real busybox applet or curl
    const traceLog = path.join(work, 'exec.log');
    const tracedBin = alpineLikeBin(path.join(work, 'traced-bin'), { traceLog });

    // WHEN the script runs
    const result = await runJobScript({ binDir: tracedBin });

    // THEN curl, sed, cut, tr and base64 ran, and none was given a token
    expect(result.code).toBe(0);
    const execs = lines(fs.readFileSync(traceLog, 'utf8'));
    expect(execs.map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['curl', 'sed', 'cut', 'tr', 'base64']));
    for (const secret of [projectedToken, accessToken(), accessToken().split('.')[2]]) {
      expect(execs.filter((l) => l.includes(secret))).toEqual([]);
    }
  });

  test('leaves no copy of IAM\'s response in TMPDIR, after success or failure', async () => {
    // GIVEN a successful and a failed run
    await runJobScript();
    iam.injectAlways({ status: 500 });
    await runJobScript({ env: { TOKEN_FETCH_MAX_ATTEMPTS: '1' } });

    // THEN the response files were removed
    expect(fs.readdirSync(path.join(work, 'tmp'))).toEqual([]);
  });
});
