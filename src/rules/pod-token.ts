// How a pod gets its IAM token, read from the manifest alone: which projected service-account
// tokens it mounts where, and which token files IBM's SDKs and CLI in each container read.
// Rules use this instead of the library's conventions, so hand-written pods are judged alike.
import { IAM_AUDIENCE } from '../model/token';
import * as path from 'path';
import { Container, Workload } from './facts';

/** Where IBM's SDK cores look for the token when no file is configured; first found wins. */
export const SDK_DEFAULT_TOKEN_FILES: readonly string[] = [
  '/var/run/secrets/tokens/vault-token',
  '/var/run/secrets/tokens/sa-token',
  '/var/run/secrets/codeengine.cloud.ibm.com/compute-resource-token/token',
];

/** One `serviceAccountToken` source of a projected volume. */
export interface TokenSource {
  /** `<volume>#<source index>`: identifies the source across containers. */
  readonly key: string;
  readonly volume: string;
  readonly path: string;
  readonly audience: unknown;
  readonly expirationSeconds: unknown;
}

/** A token file a container's IBM configuration reads, and the variable that says so. */
export interface TokenFileRead {
  readonly file: string;
  readonly variable: string;
}

/** What IBM's SDKs and CLI in one container are configured to do. */
export interface IbmConfig {
  /** Any IBM container-authentication variable is set. */
  readonly used: boolean;
  /** Files named by `IBMCLOUD_CR_TOKEN=@<file>` or `<SERVICE>_CR_TOKEN_FILENAME`. */
  readonly reads: readonly TokenFileRead[];
  /** An SDK service authenticates by container token without naming a file. */
  readonly readsSdkDefault: boolean;
  /**
   * Where the IAM token is taken to be when nothing names its file: where the SDKs look (and
   * IBM documents the volume), for an SDK without a file name, the CLI given only a profile, or
   * a command that exchanges a token itself.
   */
  readonly defaultFiles: readonly string[];
  /** Profile names the container asks IAM for, with the variable. */
  readonly profileNames: readonly { readonly variable: string; readonly value: string }[];
}

// Several rules ask the same questions of one workload; facts are built afresh for each run,
// so answers can be kept by the fact object they are about.
const memo = <K extends object, V>(compute: (key: K) => V) => {
  const cache = new WeakMap<K, V>();
  return (key: K): V => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = compute(key)));
    return v;
  };
};

export const tokenSourcesOf = memo((w: Workload): TokenSource[] => {
  const out: TokenSource[] = [];
  for (const v of w.volumes) {
    const sources = v.projected?.sources;
    if (!Array.isArray(sources)) continue;
    sources.forEach((s: any, i: number) => {
      const t = s?.serviceAccountToken;
      if (t === null || typeof t !== 'object') return;
      // Wrong shapes (a name or path that is not a string) stay visible in messages without throwing.
      const volume = typeof v.name === 'string' ? v.name : JSON.stringify(v.name) ?? '';
      const file = typeof t.path === 'string' ? t.path : t.path === undefined ? '' : JSON.stringify(t.path) ?? '';
      out.push({ key: `${volume}#${i}`, volume, path: file, audience: t.audience, expirationSeconds: t.expirationSeconds });
    });
  }
  return out;
});

// A container belongs to one workload, so its files are kept by container.
const containerFiles = new WeakMap<Container, ReadonlyMap<string, TokenSource>>();

/** The token files a container of `w` sees, by normalized path. */
export function tokenFilesOf(w: Workload, c: Container): ReadonlyMap<string, TokenSource> {
  const cached = containerFiles.get(c);
  if (cached) return cached;
  const sources = tokenSourcesOf(w);
  const out = new Map<string, TokenSource>();
  for (const m of c.mounts) {
    for (const s of sources.filter((x) => x.volume === m.name)) {
      let file: string | undefined;
      if (m.subPath === undefined) file = path.posix.join(m.mountPath, s.path);
      else if (m.subPath === s.path) file = m.mountPath;
      else if (s.path.startsWith(`${m.subPath}/`)) file = path.posix.join(m.mountPath, s.path.slice(m.subPath.length + 1));
      if (file !== undefined) out.set(normalize(file), s);
    }
  }
  containerFiles.set(c, out);
  return out;
}

const SERVICE_SUFFIXES = ['_AUTH_TYPE', '_IAM_PROFILE_NAME', '_IAM_PROFILE_ID', '_CR_TOKEN_FILENAME'];

export const ibmConfigOf = memo((c: Container): IbmConfig => {
  const reads: TokenFileRead[] = [];
  const profileNames: { variable: string; value: string }[] = [];
  let used = false;
  let readsSdkDefault = false;
  const crToken = c.env.get('IBMCLOUD_CR_TOKEN');
  if (c.env.has('IBMCLOUD_CR_TOKEN') || c.env.has('IBMCLOUD_CR_PROFILE')) used = true;
  // The CLI takes the token itself or `@<file>`; a token in the manifest is a different mistake.
  if (crToken?.startsWith('@')) reads.push({ file: normalize(crToken.slice(1)), variable: 'IBMCLOUD_CR_TOKEN' });
  const profile = c.env.get('IBMCLOUD_CR_PROFILE');
  if (profile) profileNames.push({ variable: 'IBMCLOUD_CR_PROFILE', value: profile });

  for (const [name, value] of c.env) {
    const suffix = SERVICE_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
    if (!suffix) continue;
    const prefix = name.slice(0, -suffix.length);
    if (suffix === '_AUTH_TYPE') {
      if (value?.toLowerCase() !== 'container') continue;
      used = true;
      if (!c.env.has(`${prefix}_CR_TOKEN_FILENAME`)) readsSdkDefault = true;
    } else {
      used = true;
      if (suffix === '_CR_TOKEN_FILENAME' && value) reads.push({ file: normalize(value), variable: name });
      if (suffix === '_IAM_PROFILE_NAME' && value) profileNames.push({ variable: name, value });
    }
  }
  // A command that exchanges the token itself (curl to IAM, ibmcloud login) uses IAM too.
  if (c.argv.some((a) => /cr_token|grant-type:cr-token|--cr-token/.test(a))) used = true;
  const defaultFiles = readsSdkDefault || (used && reads.length === 0) ? SDK_DEFAULT_TOKEN_FILES : [];
  return { used, reads, readsSdkDefault, defaultFiles, profileNames };
});

/**
 * The token sources IAM is meant to receive: those IBM configuration reads in some container,
 * and any minted for audience `iam`.
 */
export const iamTokenSourcesOf = memo((w: Workload): TokenSource[] => {
  const sources = tokenSourcesOf(w);
  const picked = new Set(sources.filter((s) => s.audience === IAM_AUDIENCE).map((s) => s.key));
  for (const c of w.containers) {
    const files = tokenFilesOf(w, c);
    const config = ibmConfigOf(c);
    for (const r of config.reads) {
      const s = files.get(r.file);
      if (s) picked.add(s.key);
    }
    if (config.defaultFiles.length > 0) {
      const first = config.defaultFiles.find((f) => files.has(f));
      if (first) picked.add(files.get(first)!.key);
    }
  }
  return sources.filter((s) => picked.has(s.key));
});

export function normalize(file: string): string {
  const n = path.posix.normalize(file);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}
