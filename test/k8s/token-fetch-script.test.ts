// Runs the token-fetch script under /bin/sh with stand-ins for curl and sleep, to check what
// it sends, what it prints and how it retries, without a network or a cluster.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tokenFetchScript } from '../../src/k8s';

const PROJECTED_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.PROJECTED-SA-TOKEN-SECRET.c2lnbmF0dXJl';
const CLAIMS = { iam_id: 'iam-Profile-0f1e2d3c', sub: 'Profile-0f1e2d3c', exp: 1767225600 };
const ACCESS_SIGNATURE = 'ACCESS-TOKEN-SIGNATURE-SECRET';
const ACCESS_TOKEN = `eyJraWQiOiIyMDI1In0.${Buffer.from(JSON.stringify(CLAIMS)).toString('base64url')}.${ACCESS_SIGNATURE}`;
const OK_BODY = JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, expiration: 1767225600 });
const REFUSED_BODY = JSON.stringify({
  errorCode: 'BXNIM0398E',
  errorMessage: 'Selected trusted profile not eligible',
  context: { requestId: 'req-42', detail: 'BODY-ONLY-MARKER' },
});

/**
 * A stand-in curl: records its arguments, then plays the next outcome of FAKE_CURL_PLAN
 * (`200`, `400`, `503` or `net<exit code>`), writing the body to the `-o` file and the status on stdout.
 */
const FAKE_CURL = `#!/bin/sh
printf '%s\\n' "$@" >> "$FAKE_DIR/curl-args"
out=""
while [ $# -gt 0 ]; do
  case "$1" in -o) out="$2"; shift 2 ;; *) shift ;; esac
done
n=$(($(cat "$FAKE_DIR/curl-calls" 2>/dev/null || echo 0) + 1))
echo "$n" > "$FAKE_DIR/curl-calls"
outcome=$(echo "$FAKE_CURL_PLAN" | tr ' ' '\\n' | sed -n "\${n}p")
[ -n "$outcome" ] || outcome=$(echo "$FAKE_CURL_PLAN" | tr ' ' '\\n' | tail -n 1)
case "$outcome" in
  200) cp "$FAKE_DIR/ok.json" "$out"; printf 200 ;;
  400) cp "$FAKE_DIR/refused.json" "$out"; printf 400 ;;
  503) printf '{"errorCode":"BXNIM0001E"}' > "$out"; printf 503 ;;
  net*) printf 000; exit "\${outcome#net}" ;;
esac
`;
/** A stand-in sleep that records how long the script would wait. */
const FAKE_SLEEP = `#!/bin/sh
echo "$1" >> "$FAKE_DIR/sleeps"
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  curlCalls: number;
  curlArgs: string[];
  sleeps: number[];
  leftovers: string[];
}

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-fetch-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'tmp'));
  fs.writeFileSync(path.join(dir, 'bin', 'curl'), FAKE_CURL, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'bin', 'sleep'), FAKE_SLEEP, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'ok.json'), OK_BODY);
  fs.writeFileSync(path.join(dir, 'refused.json'), REFUSED_BODY);
  fs.writeFileSync(path.join(dir, 'sa-token'), PROJECTED_TOKEN);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(plan: string, env: Record<string, string> = {}): Run {
  const result = spawnSync('/bin/sh', ['-c', tokenFetchScript()], {
    encoding: 'utf8',
    env: {
      PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`,
      FAKE_DIR: dir,
      FAKE_CURL_PLAN: plan,
      IBMCLOUD_CR_TOKEN: `@${path.join(dir, 'sa-token')}`,
      IBMCLOUD_CR_PROFILE: 'orders',
      TOKEN_FETCH_URL: 'https://iam.cloud.ibm.com/identity/token',
      TOKEN_FETCH_MAX_ATTEMPTS: '3',
      TOKEN_FETCH_TIMEOUT: '10',
      TOKEN_FETCH_BACKOFF: '2',
      TOKEN_FETCH_BACKOFF_MAX: '30',
      TMPDIR: path.join(dir, 'tmp'),
      ...env,
    },
  });
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    curlCalls: Number(read('curl-calls').trim() || 0),
    curlArgs: read('curl-args').split('\n').filter((l) => l !== ''),
    sleeps: read('sleeps').split('\n').filter((l) => l !== '').map(Number),
    leftovers: fs.readdirSync(path.join(dir, 'tmp')),
  };
}

const describeWithSh = fs.existsSync('/bin/sh') ? describe : describe.skip;

describeWithSh('the token-fetch script, run with a stand-in curl', () => {
  test('prints the non-secret claims of the IAM token and exits 0', () => {
    // GIVEN IAM answers 200 with an access token
    // WHEN the script runs
    const r = run('200');
    // THEN it succeeds and logs iam_id, sub, exp and expires_in
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`token-fetch: iam_id=${CLAIMS.iam_id}\n`);
    expect(r.stdout).toContain(`token-fetch: sub=${CLAIMS.sub}\n`);
    expect(r.stdout).toContain(`token-fetch: exp=${CLAIMS.exp}\n`);
    expect(r.stdout).toContain('token-fetch: expires_in=3600\n');
  });

  test('prints neither the access token nor its signature nor the projected token', () => {
    // GIVEN IAM answers 200 with an access token
    // WHEN the script runs
    const r = run('200');
    // THEN none of the secrets appears on stdout or stderr
    const output = r.stdout + r.stderr;
    expect(output).not.toContain(ACCESS_TOKEN);
    expect(output).not.toContain(ACCESS_SIGNATURE);
    expect(output).not.toContain('PROJECTED-SA-TOKEN-SECRET');
  });

  test('passes curl the token file name, never the token itself', () => {
    // GIVEN IAM answers 200
    // WHEN the script runs
    const r = run('200');
    // THEN curl is told to read cr_token from the file, and no argument holds the token
    expect(r.curlArgs).toContain(`cr_token@${path.join(dir, 'sa-token')}`);
    expect(r.curlArgs.join('\n')).not.toContain('PROJECTED-SA-TOKEN-SECRET');
  });

  test('posts the cr-token grant for the profile to the configured URL', () => {
    // GIVEN IAM answers 200
    // WHEN the script runs
    const r = run('200');
    // THEN curl posts the grant type and profile name to TOKEN_FETCH_URL
    expect(r.curlArgs).toEqual(expect.arrayContaining([
      'POST',
      'https://iam.cloud.ibm.com/identity/token',
      'grant_type=urn:ibm:params:oauth:grant-type:cr-token',
      'profile_name=orders',
    ]));
  });

  test('removes the response file when done', () => {
    // GIVEN IAM answers 200
    // WHEN the script runs
    const r = run('200');
    // THEN nothing is left in TMPDIR
    expect(r.leftovers).toEqual([]);
  });

  test('reports IAM error code and message on a refusal, without retrying', () => {
    // GIVEN IAM refuses with HTTP 400 BXNIM0398E
    // WHEN the script runs
    const r = run('400');
    // THEN it fails after one call, printing status, code, message and request ID
    expect(r.status).toBe(1);
    expect(r.curlCalls).toBe(1);
    expect(r.stderr).toContain('token-fetch: error: IAM refused the exchange for trusted profile "orders": HTTP 400 BXNIM0398E: Selected trusted profile not eligible (requestId req-42)');
  });

  test('does not print the rest of an error body', () => {
    // GIVEN IAM refuses with a body holding more than code and message
    // WHEN the script runs
    const r = run('400');
    // THEN the other fields are not printed
    expect(r.stdout + r.stderr).not.toContain('BODY-ONLY-MARKER');
  });

  test('retries HTTP 503 after the initial backoff and then succeeds', () => {
    // GIVEN IAM answers 503 once, then 200
    // WHEN the script runs
    const r = run('503 200');
    // THEN it waits 2 s, calls again and succeeds
    expect(r.status).toBe(0);
    expect(r.curlCalls).toBe(2);
    expect(r.sleeps).toEqual([2]);
    expect(r.stdout).toContain('token-fetch: attempt 1 failed (HTTP 503); retrying in 2s');
  });

  test('gives up on network errors after maxAttempts, doubling the wait', () => {
    // GIVEN every call fails to connect (curl exit 7) and 3 attempts are allowed
    // WHEN the script runs
    const r = run('net7');
    // THEN it tries 3 times, waits 2 then 4 s, and fails naming the last reason
    expect(r.status).toBe(1);
    expect(r.curlCalls).toBe(3);
    expect(r.sleeps).toEqual([2, 4]);
    expect(r.stderr).toContain('giving up after 3 attempts; last: network error (curl exit code 7)');
  });

  test('caps the wait at TOKEN_FETCH_BACKOFF_MAX', () => {
    // GIVEN HTTP 503 on every call, 4 attempts, backoff 2 s capped at 3 s
    // WHEN the script runs
    const r = run('503', { TOKEN_FETCH_MAX_ATTEMPTS: '4', TOKEN_FETCH_BACKOFF_MAX: '3' });
    // THEN the waits are 2, 3 and 3 s
    expect(r.sleeps).toEqual([2, 3, 3]);
  });

  test('does not retry a curl error that will not heal', () => {
    // GIVEN curl fails with exit 60 (bad certificate)
    // WHEN the script runs
    const r = run('net60');
    // THEN it fails after one call without waiting
    expect(r.status).toBe(1);
    expect(r.curlCalls).toBe(1);
    expect(r.sleeps).toEqual([]);
    expect(r.stderr).toContain('curl failed with exit code 60');
  });

  test('fails before calling IAM when the projected token is missing', () => {
    // GIVEN IBMCLOUD_CR_TOKEN points at a file that does not exist
    // WHEN the script runs
    const r = run('200', { IBMCLOUD_CR_TOKEN: `@${path.join(dir, 'absent')}` });
    // THEN it fails asking whether the volume is mounted, and curl is never called
    expect(r.status).toBe(1);
    expect(r.curlCalls).toBe(0);
    expect(r.stderr).toContain('is missing or unreadable: is the token volume mounted into this container?');
  });
});
