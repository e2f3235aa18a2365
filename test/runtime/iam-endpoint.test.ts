// The local IAM token endpoint is itself under test: the runtime tests are only as good as
// its faithfulness to IAM's documented cr-token grant (FACTS.md, "Token exchange").
import { decodeJwt, mintProjectedToken } from '../support/jwt';
import { CR_TOKEN_GRANT, LocalIamEndpoint, standInProfile } from '../support/iam-endpoint';

const KEY = 'iam-endpoint-test-key';
const PROFILE = standInProfile('payments-api', [{ namespace: 'payments', serviceAccount: 'payments-api' }]);
let iam: LocalIamEndpoint;

beforeEach(async () => {
  iam = await LocalIamEndpoint.start([PROFILE], KEY);
});
afterEach(async () => {
  await iam.close();
});

const trustedToken = () => mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', key: KEY });

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  };
}

async function exchange(init: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(iam.tokenUrl, init);
  return { status: res.status, body: await res.json() };
}

describe('the local IAM token endpoint', () => {
  test('listens on 127.0.0.1 only, on a port the OS picked', () => {
    // GIVEN a started endpoint
    // THEN its URL is the loopback address with a non-zero port
    expect(iam.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
  });

  test('answers a trusted exchange like IAM: a Bearer JWT with an iam-Profile iam_id, expires_in and expiration', async () => {
    // GIVEN a projected token of the trusted service account
    // WHEN it is exchanged for the profile by name
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), profile_name: 'payments-api' }));

    // THEN IAM's documented fields come back, and the token's claims name the profile
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expiration', 'expires_in', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(body.expiration).toBeGreaterThanOrEqual(before + 3600);
    const claims = decodeJwt(body.access_token)!.payload;
    expect(claims.iam_id).toBe(`iam-${PROFILE.id}`);
    expect(claims.iam_id).toMatch(/^iam-Profile-[0-9a-f-]{36}$/);
    expect(claims.sub).toBe(PROFILE.id);
    expect(claims.exp).toBe(body.expiration);
  });

  test.each([
    ['profile_id', PROFILE.id],
    ['profile_crn', PROFILE.crn],
  ])('selects the profile by %s as well', async (selector, value) => {
    // GIVEN the profile named by another selector
    // WHEN the exchange is posted
    const { status, body } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), [selector]: value }));

    // THEN the same profile's token is issued
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token)!.payload.iam_id).toBe(`iam-${PROFILE.id}`);
  });

  test('answers 400 BXNIM0398E, in IAM\'s error shape, when the profile does not trust the service account', async () => {
    // GIVEN a projected token of another service account in the same namespace
    const other = mintProjectedToken({ namespace: 'payments', serviceAccount: 'intruder', key: KEY });

    // WHEN it is exchanged for the profile
    const { status, body } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: other, profile_name: 'payments-api' }));

    // THEN IAM's documented refusal comes back, with a request ID
    expect(status).toBe(400);
    expect(body).toEqual({
      errorCode: 'BXNIM0398E',
      errorMessage: 'Selected trusted profile not eligible',
      context: { requestId: expect.stringMatching(/\S/), requestType: 'incoming.Identity_Token' },
    });
  });

  test('refuses a trusted service account of another namespace with BXNIM0398E', async () => {
    // GIVEN the trusted service account's name in another namespace
    const elsewhere = mintProjectedToken({ namespace: 'default', serviceAccount: 'payments-api', key: KEY });

    // WHEN it is exchanged
    const { status, body } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: elsewhere, profile_name: 'payments-api' }));

    // THEN it is not eligible
    expect(status).toBe(400);
    expect(body.errorCode).toBe('BXNIM0398E');
  });

  test('accepts form posts only', async () => {
    // GIVEN the right fields sent as JSON
    const init = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), profile_name: 'payments-api' }),
    };

    // WHEN they are posted
    const { status, body } = await exchange(init);

    // THEN the request is refused before anything else is looked at
    expect(status).toBe(400);
    expect(body.errorMessage).toContain('application/x-www-form-urlencoded');
  });

  test('refuses any other grant type', async () => {
    // GIVEN the API-key grant
    // WHEN it is posted with a projected token
    const { status, body } = await exchange(form({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', cr_token: trustedToken(), profile_name: 'payments-api' }));

    // THEN it is refused
    expect(status).toBe(400);
    expect(body.errorMessage).toContain('grant_type');
  });

  test.each([
    ['is not a JWT', () => 'not-a-jwt'],
    ['was tampered with', () => trustedToken().replace(/\.[^.]+$/, '.c2lnbmF0dXJl')],
    ['is for the API server, not iam', () => mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', audience: ['https://kubernetes.default.svc'], key: KEY })],
    ['has expired', () => mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', expiresIn: -1, key: KEY })],
  ])('refuses a cr_token that %s', async (_, token) => {
    // GIVEN a bad projected token
    // WHEN it is exchanged
    const { status, body } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: token(), profile_name: 'payments-api' }));

    // THEN it is refused, not as BXNIM0398E (the profile was never considered)
    expect(status).toBe(400);
    expect(body.errorCode).not.toBe('BXNIM0398E');
  });

  test.each([
    ['no profile selector', {}],
    ['two profile selectors', { profile_name: 'payments-api', profile_id: PROFILE.id }],
    ['an unknown profile', { profile_name: 'nobody' }],
  ])('refuses an exchange with %s', async (_, selector: Record<string, string>) => {
    // GIVEN a valid token with a bad profile selection
    // WHEN it is exchanged
    const { status } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), ...selector }));

    // THEN it is refused
    expect(status).toBe(400);
  });

  test('records each request: method, path, headers and form fields in order', async () => {
    // GIVEN a projected token
    const token = trustedToken();

    // WHEN it is exchanged
    await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: token, profile_name: 'payments-api' }));

    // THEN the endpoint kept what was sent
    expect(iam.requests).toHaveLength(1);
    const [r] = iam.requests;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/identity/token');
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.fields).toEqual([['grant_type', CR_TOKEN_GRANT], ['cr_token', token], ['profile_name', 'payments-api']]);
    expect(r.status).toBe(200);
  });

  test('answers injected faults in order, then serves normally again', async () => {
    // GIVEN a 503 and a 429 queued
    iam.inject({ status: 503 }, { status: 429 });
    const init = () => form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), profile_name: 'payments-api' });

    // WHEN three exchanges are posted
    const statuses = [(await exchange(init())).status, (await exchange(init())).status, (await exchange(init())).status];

    // THEN the first two get the faults and the third a token
    expect(statuses).toEqual([503, 429, 200]);
  });

  test('answers every request with a persistent fault until it is cleared', async () => {
    // GIVEN a persistent 500
    iam.injectAlways({ status: 500 });
    const init = () => form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), profile_name: 'payments-api' });

    // WHEN exchanges are posted before and after clearing it
    const during = [(await exchange(init())).status, (await exchange(init())).status];
    iam.injectAlways(undefined);
    const after = (await exchange(init())).status;

    // THEN every request failed while it was set, and none after
    expect(during).toEqual([500, 500]);
    expect(after).toBe(200);
  });

  test('delays a response on demand', async () => {
    // GIVEN a slow response queued
    iam.inject({ delayMs: 300 });

    // WHEN an exchange is posted
    const started = Date.now();
    const { status } = await exchange(form({ grant_type: CR_TOKEN_GRANT, cr_token: trustedToken(), profile_name: 'payments-api' }));

    // THEN it succeeds, late
    expect(status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('the local IAM token endpoint in a hostile stand-in\'s role', () => {
  test('answers an injected body built from the request, so a test can echo the token back', async () => {
    // GIVEN a fault whose body echoes the request's form
    iam.inject({ status: 400, body: (r) => JSON.stringify({ errorMessage: `echo ${r.body}` }) });
    const token = trustedToken();
    // WHEN a client posts its token
    const res = await fetch(iam.tokenUrl, form({ grant_type: CR_TOKEN_GRANT, cr_token: token, profile_name: 'payments-api' }));
    // THEN the reply holds the token, with the status asked for
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorMessage: string }).errorMessage).toContain(token);
  });

  test('sends raw bytes as they are, with their Content-Length', async () => {
    // GIVEN a body with an ESC byte and a lone 0x9b byte (not UTF-8)
    iam.inject({ status: 400, body: Buffer.from([0x7b, 0x1b, 0x9b, 0x7d]) });
    // WHEN a client posts
    const res = await fetch(iam.tokenUrl, form({}));
    // THEN it receives exactly those bytes, and their length in the header
    expect(res.headers.get('content-length')).toBe('4');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x7b, 0x1b, 0x9b, 0x7d]);
  });

  test('sends a chunked body without Content-Length when asked', async () => {
    // GIVEN a 200 KB chunked fault
    iam.inject({ status: 400, chunked: true, body: 'x'.repeat(200_000) });
    // WHEN a client posts
    const res = await fetch(iam.tokenUrl, form({}));
    // THEN the size is not announced, and the whole body arrives
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect((await res.text()).length).toBe(200_000);
  });
});
