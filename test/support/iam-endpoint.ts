// A local stand-in for IAM's token endpoint (POST /identity/token), limited to the documented
// compute-resource grant (FACTS.md, "Token exchange"). It listens on 127.0.0.1 on a random
// port, speaks plain HTTP, records every request, and can be told to answer 429/5xx, slowly, or
// with any reply at all (Fault.body), as a hostile endpoint or gateway in IAM's place might.
//
// Faithful to IAM: form posts only; grant urn:ibm:params:oauth:grant-type:cr-token; a cr_token
// JWT whose audience includes "iam" and that has not expired; the profile selected by exactly one
// of profile_id, profile_name, profile_crn; 200 with access_token (a JWT carrying
// iam_id = iam-Profile-...), token_type, expires_in, expiration; 400 BXNIM0398E when the profile
// does not trust the token's namespace/service account; errors as
// {"errorCode","errorMessage","context":{"requestId"}}.
// Not IAM: BXNIM0398E is the only documented code; the other codes (LOCALIAM_*) are this
// stand-in's own. The cr_token signature is checked against the stand-in's HS256 key, not
// against the cluster's OIDC issuer, and trust is by namespace/service account only (no CRN).
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { decodeJwt, hasValidHs256Signature, signJwt } from './jwt';

export const CR_TOKEN_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';
export const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';

export interface StandInProfile {
  /** `Profile-<uuid>`. */
  readonly id: string;
  readonly name: string;
  readonly crn: string;
  /** The service accounts whose projected tokens the profile accepts (its links or rules). */
  readonly trusted: ReadonlyArray<{ readonly namespace: string; readonly serviceAccount: string }>;
}

/** A trusted profile as IAM would hold it: a fresh ID and its CRN. */
export function standInProfile(name: string, trusted: StandInProfile['trusted']): StandInProfile {
  const id = `Profile-${randomUUID()}`;
  return { id, name, crn: `crn:v1:bluemix:public:iam-identity::a/${ACCOUNT_ID}::profile:${id}`, trusted };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Form fields in the order sent; a name sent twice appears twice. */
  readonly fields: ReadonlyArray<[string, string]>;
  /** The form as an object (last value wins). */
  readonly form: Readonly<Record<string, string>>;
  status?: number;
}

/**
 * One response to inject: an error status, a delay, or both; with `body`, any reply at all,
 * as a hostile endpoint or gateway might send it (raw bytes, the request echoed back, invalid JSON).
 */
export interface Fault {
  readonly status?: number;
  readonly delayMs?: number;
  /** The reply's bytes; a function gets the request, to echo it. @default IAM's error JSON */
  readonly body?: string | Buffer | ((request: RecordedRequest) => string | Buffer);
  /** Send the body in chunks without Content-Length, so the client cannot know its size first. @default false */
  readonly chunked?: boolean;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly profile: StandInProfile;
}

export class LocalIamEndpoint {
  /** Starts an endpoint on 127.0.0.1, on a port the OS picks. */
  public static async start(profiles: readonly StandInProfile[], signingKey: string): Promise<LocalIamEndpoint> {
    const endpoint = new LocalIamEndpoint(profiles, signingKey);
    await new Promise<void>((resolve, reject) => {
      endpoint.server.once('error', reject);
      endpoint.server.listen(0, '127.0.0.1', () => resolve());
    });
    endpoint.port = (endpoint.server.address() as AddressInfo).port;
    return endpoint;
  }

  public readonly requests: RecordedRequest[] = [];
  public readonly issued: IssuedToken[] = [];
  /** Lifetime of issued access tokens, seconds. */
  public tokenLifetimeSeconds = 3600;
  private readonly faults: Fault[] = [];
  private persistentFault: Fault | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;
  private requestCount = 0;
  private port = 0;
  private closed = false;

  private constructor(private readonly profiles: readonly StandInProfile[], private readonly key: string) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** `http://127.0.0.1:<port>`, the base URL (IBM's SDKs append /identity/token). */
  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public get tokenUrl(): string {
    return `${this.url}/identity/token`;
  }

  /** The next requests get these responses, one each, in order; then normal service resumes. */
  public inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Every request from now on gets this response (after the queued ones). */
  public injectAlways(fault: Fault | undefined): void {
    this.persistentFault = fault;
  }

  /** Stops listening; the URL stays known, so a test can point a client at a closed port. */
  public async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const fields = [...new URLSearchParams(body).entries()];
      const recorded: RecordedRequest = {
        method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, fields, form: Object.fromEntries(fields),
      };
      this.requests.push(recorded);
      const requestId = `local-${++this.requestCount}-${randomUUID()}`;
      const fault = this.faults.shift() ?? this.persistentFault;
      const respond = () => {
        const body = typeof fault?.body === 'function' ? fault.body(recorded) : fault?.body;
        const [status, payload] = fault?.status !== undefined
          ? [fault.status, body ?? errorBody(`LOCALIAM_INJECTED_${fault.status}`, 'Injected by the test', requestId)]
          : this.exchange(req, recorded, requestId);
        recorded.status = status;
        res.on('error', () => undefined);
        if (res.destroyed) return; // the client gave up (curl --max-time)
        if (fault?.chunked) {
          res.writeHead(status, { 'Content-Type': 'application/json', 'Transaction-Id': requestId, 'Transfer-Encoding': 'chunked' });
          const bytes = Buffer.from(payload);
          for (let i = 0; i < bytes.length; i += 65536) res.write(bytes.subarray(i, i + 65536));
          res.end();
          return;
        }
        // writeHead alone would send the body chunked: say its size, as IAM does.
        res.writeHead(status, { 'Content-Type': 'application/json', 'Transaction-Id': requestId, 'Content-Length': Buffer.byteLength(payload) });
        res.end(payload);
      };
      if (fault?.delayMs) {
        const t = setTimeout(() => { this.timers.delete(t); respond(); }, fault.delayMs);
        this.timers.add(t);
      } else {
        respond();
      }
    });
  }

  /** Signs a token with the stand-in's key, as it signs the access tokens it issues. */
  public sign(payload: Record<string, unknown>): string {
    return signJwt(payload, this.key, 'local-iam');
  }

  /** IAM's answer to one token request: [status, JSON body]. */
  private exchange(req: http.IncomingMessage, r: RecordedRequest, requestId: string): [number, string] {
    const fail = (status: number, code: string, message: string): [number, string] => [status, errorBody(code, message, requestId)];
    if (r.path.split('?')[0] !== '/identity/token') return fail(404, 'LOCALIAM_NOT_FOUND', `No operation at ${r.path}`);
    if (r.method !== 'POST') return fail(405, 'LOCALIAM_METHOD', `Method ${r.method} is not allowed; POST a form`);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return fail(400, 'LOCALIAM_NOT_FORM', `Content-Type must be application/x-www-form-urlencoded, not "${type}"`);
    }
    const f = r.form;
    if (f.grant_type !== CR_TOKEN_GRANT) return fail(400, 'LOCALIAM_GRANT_TYPE', `Unsupported grant_type "${f.grant_type ?? ''}"`);
    const cr = f.cr_token === undefined ? undefined : decodeJwt(f.cr_token);
    if (!cr || !hasValidHs256Signature(f.cr_token, this.key)) return fail(400, 'LOCALIAM_CR_TOKEN', 'cr_token is not a valid JWT');
    const aud: unknown[] = Array.isArray(cr.payload.aud) ? cr.payload.aud : [cr.payload.aud];
    if (!aud.includes('iam')) return fail(400, 'LOCALIAM_CR_TOKEN_AUDIENCE', `cr_token audience ${JSON.stringify(cr.payload.aud)} does not include "iam"`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof cr.payload.exp !== 'number' || cr.payload.exp <= now) return fail(400, 'LOCALIAM_CR_TOKEN_EXPIRED', 'cr_token has expired');

    const selectors = (['profile_id', 'profile_name', 'profile_crn'] as const).filter((k) => f[k] !== undefined);
    if (selectors.length !== 1) return fail(400, 'LOCALIAM_PROFILE_SELECTOR', 'Give exactly one of profile_id, profile_name, profile_crn');
    const field = ({ profile_id: 'id', profile_name: 'name', profile_crn: 'crn' } as const)[selectors[0]];
    const profile = this.profiles.find((p) => p[field] === f[selectors[0]]);
    if (!profile) return fail(400, 'LOCALIAM_PROFILE_NOT_FOUND', `Trusted profile ${selectors[0]}=${f[selectors[0]]} not found`);
    const k8s = cr.payload['kubernetes.io'] ?? {};
    const trusted = profile.trusted.some((t) => t.namespace === k8s.namespace && t.serviceAccount === k8s.serviceaccount?.name);
    if (!trusted) return fail(400, 'BXNIM0398E', 'Selected trusted profile not eligible');

    const iamId = `iam-${profile.id}`;
    const expiration = now + this.tokenLifetimeSeconds;
    const accessToken = signJwt({
      iam_id: iamId, id: iamId, realmid: 'iam', name: profile.name, sub: profile.id, sub_type: 'Profile',
      account: { bss: ACCOUNT_ID }, grant_type: CR_TOKEN_GRANT, iss: 'https://iam.cloud.ibm.com/identity',
      scope: 'ibm openid', client_id: 'default', iat: now, exp: expiration,
      // A nested object repeating claim names after the top-level ones (IAM's token layout is
      // not documented): a parser must print the top-level iam_id and sub, not these.
      authn: { sub: `crn-${k8s.namespace}`, iam_id: `crn-${k8s.namespace}` },
    }, this.key, 'local-iam');
    this.issued.push({ accessToken, profile });
    return [200, JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, expiration })];
  }
}

function errorBody(errorCode: string, errorMessage: string, requestId: string): string {
  return JSON.stringify({ errorCode, errorMessage, context: { requestId, requestType: 'incoming.Identity_Token' } });
}
