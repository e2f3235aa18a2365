// The token-fetch script against replies no real IAM should send, from the stand-in in IAM's
// place (an echoing gateway, raw terminal bytes, huge or deeply nested bodies, invalid JSON, a
// 200 without a JWT), and against SIGTERM/SIGINT. The promises (docs/token-fetch-job.md): the
// log never holds the projected token, the IAM token or JWT-shaped text, no byte outside
// printable ASCII, no IAM value over 300 characters; parsing stays fast whatever the reply;
// a signal ends the script at once, non-zero, with no file left.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RecordedRequest } from '../support/iam-endpoint';
import { ScriptHarness } from '../support/token-fetch-harness';

jest.setTimeout(60_000);

const h = new ScriptHarness();
const JWT_SHAPED = /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
/** The longest line the script may print: its own words around three values of 300 characters. */
const MAX_LINE = 1200;

interface Output { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly elapsedMs: number }

/** Every promise about the log, for one run; `secrets` are strings that must not appear. */
function expectCleanLog(result: Output, secrets: string[]): void {
  const log = result.stdout + result.stderr;
  for (const secret of [h.projectedToken, h.projectedToken.split('.')[2], ...secrets]) expect(log).not.toContain(secret);
  expect(log).not.toMatch(JWT_SHAPED);
  // eslint-disable-next-line no-control-regex
  expect(log.replace(/\n/g, '')).not.toMatch(/[^\x20-\x7e]/);
  for (const line of log.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE);
}

/** The one error line of a refused run. */
function refusal(result: Output): string {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  return result.stderr.trim();
}

const errorJson = (fields: Record<string, unknown>) => JSON.stringify({ errorCode: 'BXNIM0398E', errorMessage: 'm', context: { requestId: 'req-1' }, ...fields });

describe('the token-fetch script facing a hostile reply', () => {
  test('redacts the projected token from an errorMessage that echoes the request', async () => {
    // GIVEN a gateway that answers 400 with the form it received (the token in it)
    h.iam.inject({ status: 400, body: (r: RecordedRequest) => errorJson({ errorMessage: `bad request: ${r.body}` }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN the line says what happened, with the token replaced by a marker
    const line = refusal(result);
    expect(line).toMatch(/^token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 400 BXNIM0398E: bad request: grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Acr-token&cr_token=\[redacted: projected token\]&profile_name=payments-api \(requestId req-1\)$/);
    expectCleanLog(result, []);
  });

  test('redacts the token when the echo spells it with JSON \\u escapes', async () => {
    // GIVEN an echo whose every "e" and "." is written as \u0065 and \u002e
    h.iam.inject({ status: 400, body: () => `{"errorCode":"X","errorMessage":"got ${h.projectedToken.replace(/e/g, '\\u0065').replace(/\./g, '\\u002e')}"}` });
    // WHEN the script runs
    const result = await h.run();
    // THEN the decoded token is still found and replaced
    expect(refusal(result)).toContain('X: got [redacted: projected token]');
    expectCleanLog(result, []);
  });

  test('redacts JWT-shaped text and long base64 runs in every field it prints', async () => {
    // GIVEN an error whose code, message and requestId carry other JWTs and a 342-character signature-like run
    const other = h.iam.sign({ sub: 'someone-else', iam_id: 'iam-ServiceId-x' });
    const run = 'A'.repeat(200) + '_-'.repeat(71);
    h.iam.inject({ status: 401, body: errorJson({ errorCode: other, errorMessage: `token ${other} and ${run} end`, context: { requestId: other } }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN each is replaced by its marker, and the words around them stay
    expect(refusal(result)).toBe('token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 401 [redacted: JWT-shaped text]: token [redacted: JWT-shaped text] and [redacted: long base64 text] end (requestId [redacted: JWT-shaped text])');
    expectCleanLog(result, [other, other.split('.')[2], run]);
  });

  test('escapes raw terminal control bytes, C1 controls and JSON-escaped ones as \\xNN', async () => {
    // GIVEN a message with ESC sequences (clear screen, set title), BEL, CR, DEL, a raw C1 CSI byte, and \u001b
    const raw = Buffer.concat([
      Buffer.from('{"errorCode":"E1","errorMessage":"a\x1b[2J\x1b]0;pwned\x07b\rc\x7fd'),
      Buffer.from([0xc2, 0x9b, 0x9b]),
      Buffer.from('e\\u001b[31mf\\nG"}'),
    ]);
    h.iam.inject({ status: 400, body: raw });
    // WHEN the script runs
    const result = await h.run();
    // THEN every such byte is shown as \xNN, and nothing else changed
    expect(refusal(result)).toBe('token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 400 E1: a\\x1b[2J\\x1b]0;pwned\\x07b\\x0dc\\x7fd\\xc2\\x9b\\x9be\\x1b[31mf\\x0aG');
    expectCleanLog(result, []);
  });

  test('cuts a long errorMessage at 300 characters and says so', async () => {
    // GIVEN a 50,000-character message of words (under the 64 KiB the script reads)
    h.iam.inject({ status: 400, body: errorJson({ errorMessage: 'word '.repeat(10_000) }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN the message shown is its first 300 characters and a note
    expect(refusal(result)).toContain(`BXNIM0398E: ${'word '.repeat(60)}... (cut at 300 characters) (requestId req-1)`);
    expectCleanLog(result, []);
  });

  test('does not read a 10 MB reply, and says how it answered', async () => {
    // GIVEN a 400 whose errorMessage is 10 MB, with its Content-Length
    h.iam.inject({ status: 400, body: errorJson({ errorMessage: 'y'.repeat(10 * 1024 * 1024) }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN curl stops at 64 KiB, and the script fails at once naming the status, not the body
    expect(refusal(result)).toBe('token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 400, with a reply larger than 65536 bytes (not shown)');
    expect(result.elapsedMs).toBeLessThan(5000);
    expect(fs.readdirSync(path.join(h.work, 'tmp'))).toEqual([]);
  });

  test('reads only the first 64 KiB of a 10 MB reply sent without a size', async () => {
    // GIVEN the same reply, chunked, so curl cannot refuse it from its headers
    h.iam.inject({ status: 400, chunked: true, body: errorJson({ errorMessage: 'z z '.repeat(2.5 * 1024 * 1024) }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN it shows the cut message, in bounded time, and leaves no file
    expect(refusal(result)).toContain(`BXNIM0398E: ${'z z '.repeat(75)}... (the reply ends inside this value)`);
    expect(result.elapsedMs).toBeLessThan(5000);
    expectCleanLog(result, []);
    expect(fs.readdirSync(path.join(h.work, 'tmp'))).toEqual([]);
  });

  test('parses a reply of 10,000 nested braces in well under a second after curl returns', async () => {
    // GIVEN an error whose message follows 10,000 levels of nesting (quadratic for a sed loop), within 64 KiB
    const nested = `{"errorCode":"E2","deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)},"errorMessage":"after the nest"}`;
    h.iam.inject({ status: 400, body: nested });
    // WHEN the script runs
    const result = await h.run();
    // THEN the top-level fields are found, and the whole run took little time
    expect(refusal(result)).toContain('HTTP 400 E2: after the nest');
    expect(result.elapsedMs).toBeLessThan(2000);
  });

  test('parses an access token whose payload is deeply nested, and prints only its top-level claims', async () => {
    // GIVEN a 200 whose token payload nests 1,000 objects before its top-level iam_id
    let inner: unknown = { sub: 'inner', iam_id: 'inner' };
    for (let i = 0; i < 1000; i++) inner = { n: inner };
    const token = h.iam.sign({ nest: inner, iam_id: 'iam-Profile-top', sub: 'Profile-top', exp: 42 });
    h.iam.inject({ status: 200, body: JSON.stringify({ access_token: token, expires_in: 3600 }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN the top-level claims are printed, quickly, and the token is not
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1, 4)).toEqual(['token-fetch: iam_id=iam-Profile-top', 'token-fetch: sub=Profile-top', 'token-fetch: exp=42']);
    expect(result.elapsedMs).toBeLessThan(2000);
    expectCleanLog(result, [token, token.split('.')[2]]);
  });

  test.each([
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['a bare string', '"just a string"'],
    ['closing braces only', '}}}]]]'],
  ])('reports %s as a refusal without errorCode or errorMessage', async (_name, body) => {
    // GIVEN a 403 whose body is not IAM's JSON
    h.iam.inject({ status: 403, body });
    // WHEN the script runs
    const result = await h.run();
    // THEN it fails once, saying the status and that the fields are missing (cut-off JSON shows its code)
    expect(refusal(result)).toBe('token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 403 (no errorCode): (no errorMessage)');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  test('shows what came of a value the reply cuts off, and says so', async () => {
    // GIVEN a 403 whose JSON ends inside errorMessage
    h.iam.inject({ status: 403, body: '{"errorCode":"E3","errorMessage":"unterminated' });
    // WHEN the script runs
    const result = await h.run();
    // THEN the part that came is shown, marked as cut off
    expect(refusal(result)).toBe('token-fetch: error: IAM refused the exchange for trusted profile "payments-api": HTTP 403 E3: unterminated... (the reply ends inside this value)');
  });

  test.each([
    ['a non-JWT access_token', JSON.stringify({ access_token: 'opaque-token-123', expires_in: 3600 })],
    ['no access_token', JSON.stringify({ expires_in: 3600 })],
    ['a JWT whose payload is not JSON', JSON.stringify({ access_token: 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln' })],
    ['invalid JSON', '{"access_token": '],
  ])('fails on a 200 with %s, printing no token', async (_name, body) => {
    // GIVEN IAM answers 200 with that body
    h.iam.inject({ status: 200, body });
    // WHEN the script runs
    const result = await h.run();
    // THEN it fails, saying the token is not what IAM issues
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('token-fetch: error: IAM answered 200 but its access_token is not a JWT carrying an iam_id claim');
    expectCleanLog(result, ['opaque-token-123']);
  });

  test('cleans the claims it prints from a 200, as it cleans errors', async () => {
    // GIVEN a token whose iam_id holds a terminal escape and whose sub is another JWT
    const other = h.iam.sign({ x: 'y'.repeat(20) });
    const token = h.iam.sign({ iam_id: 'iam-\x1b]0;x\x07id', sub: other, exp: 'soon' });
    h.iam.inject({ status: 200, body: JSON.stringify({ access_token: token, expires_in: 'never' }) });
    // WHEN the script runs
    const result = await h.run();
    // THEN each claim is escaped or redacted, and non-numbers are not printed as numbers
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1, 5)).toEqual([
      'token-fetch: iam_id=iam-\\x1b]0;x\\x07id',
      'token-fetch: sub=[redacted: JWT-shaped text]',
      'token-fetch: exp=(not a number)',
      'token-fetch: expires_in=',
    ]);
    expectCleanLog(result, [token, other]);
  });
});

describe('the token-fetch script stopped by a signal', () => {
  /** Starts the script, sends `signal` once `ready` holds, and reports how it ended. */
  function runAndSignal(signal: NodeJS.Signals, ready: () => boolean, env: Record<string, string> = {}): Promise<Output & { afterSignalMs: number }> {
    const [argv, fullEnv, cwd] = h.command({ env });
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let signalled = 0;
      const child = spawn(argv[0], argv.slice(1), { env: fullEnv, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const poll = setInterval(() => {
        if (!signalled && ready()) { signalled = Date.now(); child.kill(signal); }
      }, 20);
      child.on('error', reject);
      child.on('close', (code) => {
        clearInterval(poll);
        resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, afterSignalMs: signalled ? Date.now() - signalled : -1 });
      });
    });
  }

  test.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('ends at once on %s while curl waits for IAM, with status %d and no file left', async (signal, status) => {
    // GIVEN IAM takes 20 s to answer
    h.iam.inject({ delayMs: 20_000 });
    // WHEN the signal arrives while curl waits
    const result = await runAndSignal(signal, () => h.iam.requests.length === 1, { TOKEN_FETCH_TIMEOUT: '30' });
    // THEN the script ended within a second of it, said so, and removed its files
    expect(result.afterSignalMs).toBeGreaterThanOrEqual(0);
    expect(result.afterSignalMs).toBeLessThan(1000);
    expect(result.code).toBe(status);
    expect(result.stderr.trim()).toBe(`token-fetch: error: stopped by ${signal} before the exchange finished; no token was fetched`);
    expect(fs.readdirSync(path.join(h.work, 'tmp'))).toEqual([]);
  });

  test('ends at once on SIGTERM during the wait between attempts, without retrying', async () => {
    // GIVEN IAM answers 503, and the wait before the retry is 20 s
    h.iam.injectAlways({ status: 503 });
    // WHEN SIGTERM arrives during that wait
    const result = await runAndSignal('SIGTERM', () => h.iam.requests.length === 1 && h.iam.requests[0].status === 503, { TOKEN_FETCH_BACKOFF: '20' });
    // THEN the script ended at once, and made no second request
    expect(result.afterSignalMs).toBeLessThan(1000);
    expect(result.code).toBe(143);
    expect(h.iam.requests).toHaveLength(1);
    expect(fs.readdirSync(path.join(h.work, 'tmp'))).toEqual([]);
  });
});
