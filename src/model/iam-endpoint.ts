import { TextLanding, textProblem } from './text-policy';

const PUBLIC_URL = 'https://iam.cloud.ibm.com';
const PRIVATE_URL = 'https://private.iam.cloud.ibm.com';

/**
 * Where pods exchange their token. Public is global; private endpoints keep the exchange
 * on IBM's private network (VPC clusters need a VPE gateway for IAM).
 */
export class IamEndpoint {
  /** `https://iam.cloud.ibm.com`, the default of IBM's SDKs and CLI. */
  public static readonly PUBLIC = new IamEndpoint(PUBLIC_URL);
  /** `https://private.iam.cloud.ibm.com`, for VPC clusters with a VPE gateway to IAM. */
  public static readonly PRIVATE = new IamEndpoint(PRIVATE_URL);

  /** `https://private.<region>.iam.cloud.ibm.com`, for classic clusters. */
  public static privateRegional(region: string): IamEndpoint {
    return new IamEndpoint(`https://private.${region}.iam.cloud.ibm.com`);
  }

  /** Any other base URL (without `/identity/token`), e.g. a proxy. Checked by `WorkloadIdentity`. */
  public static fromUrl(url: string): IamEndpoint {
    return new IamEndpoint(url);
  }

  private constructor(public readonly url: string) {}

  /** Whether this is the public endpoint, which IBM's SDKs use when no URL is configured. */
  public get isPublic(): boolean {
    return this.url === PUBLIC_URL;
  }

  /** The token URL: `<base>/identity/token`. */
  public get tokenUrl(): string {
    return `${this.url}/identity/token`;
  }

  /** Why this endpoint cannot be used, or undefined when it can. */
  public problem(): string | undefined {
    if (typeof this.url !== 'string') return 'use IamEndpoint.PUBLIC, IamEndpoint.PRIVATE or an https:// base URL';
    // The URL reaches the pods' environment; the URL parser would silently drop a tab or line feed.
    const text = textProblem(this.url, TextLanding.KUBELET);
    if (text) return text;
    let parsed: URL;
    try {
      parsed = new URL(this.url);
    } catch {
      return 'it is not a URL; use IamEndpoint.PUBLIC, IamEndpoint.PRIVATE or an https:// base URL';
    }
    if (parsed.protocol !== 'https:') return 'the token exchange carries a credential and must use https://';
    if (parsed.pathname !== '/' && parsed.pathname !== '' ) return 'give the base URL only; "/identity/token" is appended';
    if (this.url.endsWith('/')) return 'give the base URL without a trailing "/"';
    // A bare "?" or "#" parses as an empty query or fragment, yet would swallow the token path.
    if (/[?#]/.test(this.url) || parsed.username || parsed.password) return 'the base URL has no query, fragment or credentials';
    if (parsed.hostname.split('.').some((label) => label === '')) return 'the host name has an empty label; check the region in IamEndpoint.privateRegional(region)';
    return undefined;
  }
}
