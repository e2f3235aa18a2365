// Minimal JWTs for the runtime tests: HS256 with a test key, so the local IAM endpoint can
// tell a token it minted from a tampered or truncated one. Real projected tokens are RS256,
// signed by the cluster's OIDC issuer; IAM's check of that signature is not reproduced here.
import { createHmac, randomUUID, timingSafeEqual } from 'crypto';

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, any>;
  readonly signature: string;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(payload: Record<string, unknown>, key: string, kid = 'local-test-key'): string {
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT', kid })}.${b64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** The parts of a JWT, or undefined when `token` is not three base64url parts of JSON. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || typeof payload !== 'object' || !header || !payload) return undefined;
    return { header, payload, signature: parts[2] };
  } catch {
    return undefined;
  }
}

export function hasValidHs256Signature(token: string, key: string): boolean {
  const i = token.lastIndexOf('.');
  const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, i)).digest('base64url'));
  const actual = Buffer.from(token.slice(i + 1));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface ProjectedTokenOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** @default ['iam'] */
  readonly audience?: string[];
  /** Seconds from now; negative for an expired token. @default 3600 */
  readonly expiresIn?: number;
  readonly key: string;
}

/**
 * A token shaped like the one the kubelet projects for `audience: iam`: the service account in
 * `sub` and in the `kubernetes.io` claim, a pod, an issuer and a lifetime.
 */
export function mintProjectedToken(o: ProjectedTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({
    aud: o.audience ?? ['iam'],
    exp: now + (o.expiresIn ?? 3600),
    iat: now,
    nbf: now,
    iss: 'https://c111.us-south.containers.cloud.ibm.com:31000',
    sub: `system:serviceaccount:${o.namespace}:${o.serviceAccount}`,
    'kubernetes.io': {
      namespace: o.namespace,
      pod: { name: `${o.serviceAccount}-7d9c6b5f4-x2x9k`, uid: randomUUID() },
      serviceaccount: { name: o.serviceAccount, uid: randomUUID() },
    },
  }, o.key);
}
