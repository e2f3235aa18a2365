// The token-fetch Job's script under busybox sh and curl, run as the Job runs it
// (test/support/token-fetch-harness.ts): what it posts, prints, retries, and never leaks.
// Replies no real IAM sends (echoes, control bytes, huge or nested bodies) and signals are in
// token-fetch-hostile.test.ts.
import * as fs from 'fs';
import * as path from 'path';
import { worstCaseSeconds } from '../../src/k8s';
import { LocalIamEndpoint, standInProfile } from '../support/iam-endpoint';
import { decodeJwt } from '../support/jwt';
import { alpineLikeBin, processCommandLines } from '../support/programs';
import { paymentsIdentity, tokenFetchJobManifest } from '../support/synth';
import { KEY, RunOptions, ScriptHarness } from '../support/token-fetch-harness';

jest.setTimeout(30_000);

const h = new ScriptHarness();
const { identity, job, container, manifestEnv } = h;
const TOKEN_PATH = h.tokenPath;
const runJobScript = (opts: RunOptions = {}) => h.run(opts);

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const accessToken = () => h.iam.issued[0].accessToken;

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
    await h.iam.close();
    h.iam = await LocalIamEndpoint.start([standInProfile(name, [{ namespace: 'payments', serviceAccount: 'payments-api' }])], KEY);

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
    expect(h.iam.requests).toHaveLength(1);
    const [r] = h.iam.requests;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/identity/token');
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers.accept).toBe('application/json');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.fields).toEqual([
      ['grant_type', 'urn:ibm:params:oauth:grant-type:cr-token'],
      ['cr_token', h.projectedToken],
      ['profile_name', 'payments-api'],
    ]);
  });

  test('fails at once on BXNIM0398E and shows IAM\'s errorCode, errorMessage and requestId', async () => {
    // GIVEN IAM's profile trusts another service account (no link for this one)
    await h.iam.close();
    h.iam = await LocalIamEndpoint.start([standInProfile('payments-api', [{ namespace: 'payments', serviceAccount: 'billing' }])], KEY);

    // WHEN the script runs
    const result = await runJobScript();

    // THEN it exits non-zero after one request, without waiting, and says why
    expect(result.code).toBe(1);
    expect(h.iam.requests).toHaveLength(1);
    expect(result.elapsedMs).toBeLessThan(1000);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 400 BXNIM0398E: Selected trusted profile not eligible \(requestId local-1-[0-9a-f-]+\)$/),
    ]);
  });

  test('retries a 503 and a 429 with doubling waits, then succeeds', async () => {
    // GIVEN IAM answers 503, then 429, then serves
    h.iam.inject({ status: 503 }, { status: 429 });

    // WHEN the script runs (first wait 1 s)
    const result = await runJobScript();

    // THEN it waited 1 s then 2 s, and succeeded on the third attempt
    expect(result.code).toBe(0);
    expect(h.iam.requests.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(lines(result.stdout).slice(0, 3)).toEqual([
      'token-fetch: attempt 1 failed (HTTP 503); retrying in 1s',
      'token-fetch: attempt 2 failed (HTTP 429); retrying in 2s',
      'token-fetch: IAM issued a token for trusted profile "payments-api" (attempt 3)',
    ]);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(3000);
  });

  test('gives up on a persistent 5xx after exactly the Job\'s maxAttempts, within the worst case the deadline is checked against', async () => {
    // GIVEN IAM answers 500 to everything, and waits scaled to 1 s (cap 1 s)
    h.iam.injectAlways({ status: 500 });
    const maxAttempts = Number(manifestEnv.TOKEN_FETCH_MAX_ATTEMPTS);

    // WHEN the script runs
    const result = await runJobScript({ env: { TOKEN_FETCH_BACKOFF_MAX: '1' } });

    // THEN it made maxAttempts requests, exited non-zero, and took less than its scaled worst case
    expect(result.code).toBe(1);
    expect(h.iam.requests).toHaveLength(maxAttempts);
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
    h.iam.inject({ delayMs: 3000 });

    // WHEN the script runs
    const result = await runJobScript({ env: { TOKEN_FETCH_TIMEOUT: '1' } });

    // THEN curl's timeout (exit 28) is retried and the second attempt succeeds
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('token-fetch: attempt 1 failed (network error (curl exit code 28)); retrying in 1s');
    expect(h.iam.requests).toHaveLength(2);
  });

  test('retries when IAM cannot be reached, then gives up', async () => {
    // GIVEN nothing listens at the token URL any more
    const url = h.iam.tokenUrl;
    await h.iam.close();

    // WHEN the script runs with two attempts
    const result = await runJobScript({ env: { TOKEN_FETCH_URL: url, TOKEN_FETCH_MAX_ATTEMPTS: '2' } });

    // THEN the refused connection (curl exit 7) was retried once, then the script failed
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('attempt 1 failed (network error (curl exit code 7))');
    expect(result.stderr).toContain('giving up after 2 attempts; last: network error (curl exit code 7)');
  });

  test('fails without calling IAM when the token file is not mounted', async () => {
    // GIVEN no token at the configured path
    fs.rmSync(path.join(h.work, 'root', TOKEN_PATH));

    // WHEN the script runs
    const result = await runJobScript();

    // THEN it fails with a hint about the volume, and IAM saw nothing
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is missing or unreadable: is the token volume mounted into this container?');
    expect(h.iam.requests).toHaveLength(0);
  });

  test('prints neither token, nor the IAM token\'s signature, on success or on refusal', async () => {
    // GIVEN one successful run and one refused run
    const success = await runJobScript();
    h.iam.inject({ status: 403, body: JSON.stringify({ errorCode: 'BXNIM0398E', errorMessage: 'x', context: { requestId: 'r' } }) });
    const refused = await runJobScript();

    // THEN no output contains the projected token, the access token or any of their signatures
    const secrets = [h.projectedToken, accessToken(), accessToken().split('.')[2], h.projectedToken.split('.')[2]];
    for (const output of [success.stdout, success.stderr, refused.stdout, refused.stderr]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
    expect(success.code).toBe(0);
    expect(refused.code).toBe(1);
  });

  test('puts neither token on any process\'s command line, sampled from /proc while IAM answers slowly', async () => {
    // GIVEN IAM takes 800 ms to answer, so curl is alive long enough to be seen
    h.iam.inject({ delayMs: 800 });
    const seen = new Set<string>();

    // WHEN every process's command line is sampled every few milliseconds while the script runs
    const result = await runJobScript({ whileRunning: () => processCommandLines().forEach((l) => seen.add(l)) });

    // THEN curl was seen reading the token from its file, and no command line held a token
    expect(result.code).toBe(0);
    const all = [...seen];
    expect(all.some((l) => l.includes('curl') && l.includes(`cr_token@${path.join(h.work, 'root', TOKEN_PATH)}`))).toBe(true);
    for (const secret of [h.projectedToken, accessToken(), accessToken().split('.')[2]]) {
      expect(all.filter((l) => l.includes(secret))).toEqual([]);
    }
  });

  test('passes neither token as an argument to any program it runs, traced at every exec', async () => {
    // GIVEN a PATH whose programs log their arguments before running the real busybox applet or curl
    const traceLog = path.join(h.work, 'exec.log');
    const tracedBin = alpineLikeBin(path.join(h.work, 'traced-bin'), { traceLog });

    // WHEN the script runs
    const result = await runJobScript({ binDir: tracedBin });

    // THEN curl, head, od and awk ran, and none was given a token (awk's program spans lines of the log)
    expect(result.code).toBe(0);
    const execs = lines(fs.readFileSync(traceLog, 'utf8'));
    expect(execs.map((l) => l.split(' ')[0])).toEqual(expect.arrayContaining(['curl', 'head', 'od', 'awk']));
    for (const secret of [h.projectedToken, accessToken(), accessToken().split('.')[2]]) {
      expect(execs.filter((l) => l.includes(secret))).toEqual([]);
    }
  });

  test('leaves no copy of IAM\'s response in TMPDIR, after success or failure', async () => {
    // GIVEN a successful and a failed run
    await runJobScript();
    h.iam.injectAlways({ status: 500 });
    await runJobScript({ env: { TOKEN_FETCH_MAX_ATTEMPTS: '1' } });

    // THEN the response files were removed
    expect(fs.readdirSync(path.join(h.work, 'tmp'))).toEqual([]);
  });
});
