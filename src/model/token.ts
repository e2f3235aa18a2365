import { ProblemCollector } from './errors';
import { TextLanding, textProblem } from './text-policy';

/** IAM accepts only projected tokens minted for this audience. */
export const IAM_AUDIENCE = 'iam';
/** IAM refuses projected tokens that live longer than this. */
export const MAX_TOKEN_EXPIRATION_SECONDS = 3600;
/** Kubernetes refuses projected tokens that live shorter than this. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** Where IBM's SDK cores look for the token when no file name is configured. */
export const DEFAULT_TOKEN_MOUNT_PATH = '/var/run/secrets/tokens';
export const DEFAULT_TOKEN_FILE_NAME = 'sa-token';
/** The token-fetch Job's scratch directory (an in-memory emptyDir); the token may not be mounted over it. */
export const SCRATCH_DIRECTORY = '/tmp';
/** The name IBM's documented pod gives the projected volume. */
export const TOKEN_VOLUME_NAME = 'sa-token';

/** The projected service-account token the pod exchanges for an IAM token. */
export interface TokenProps {
  /**
   * Lifetime of the projected token; the kubelet refreshes it at 80%.
   * @default 3600
   */
  readonly expirationSeconds?: number;
  /**
   * Directory the token volume is mounted at, read-only, in every container.
   * @default "/var/run/secrets/tokens"
   */
  readonly mountPath?: string;
  /**
   * File name of the token inside `mountPath`.
   * @default "sa-token"
   */
  readonly fileName?: string;
}

/** Validated token settings. */
export interface TokenSettings {
  readonly audience: typeof IAM_AUDIENCE;
  readonly expirationSeconds: number;
  readonly mountPath: string;
  readonly fileName: string;
  /** `mountPath/fileName`. */
  readonly filePath: string;
  readonly volumeName: string;
}

/** @internal */
export function resolveToken(problems: ProblemCollector, input: TokenProps | undefined): TokenSettings {
  const props = input ?? {};
  const expirationSeconds = props.expirationSeconds ?? MAX_TOKEN_EXPIRATION_SECONDS;
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds)) {
    problems.add('token.expirationSeconds', expirationSeconds, 'the token lifetime is a whole number of seconds between 600 and 3600; leave it out for 3600');
  } else if (expirationSeconds > MAX_TOKEN_EXPIRATION_SECONDS) {
    problems.add('token.expirationSeconds', expirationSeconds, `IAM refuses projected tokens that live longer than ${MAX_TOKEN_EXPIRATION_SECONDS} s (Kubernetes' minimum is ${MIN_TOKEN_EXPIRATION_SECONDS}); set a value from ${MIN_TOKEN_EXPIRATION_SECONDS} to ${MAX_TOKEN_EXPIRATION_SECONDS}`);
  } else if (expirationSeconds < MIN_TOKEN_EXPIRATION_SECONDS) {
    problems.add('token.expirationSeconds', expirationSeconds, `Kubernetes refuses projected tokens that live shorter than ${MIN_TOKEN_EXPIRATION_SECONDS} s (IAM's maximum is ${MAX_TOKEN_EXPIRATION_SECONDS}); set a value from ${MIN_TOKEN_EXPIRATION_SECONDS} to ${MAX_TOKEN_EXPIRATION_SECONDS}`);
  }

  const mountPath = props.mountPath ?? DEFAULT_TOKEN_MOUNT_PATH;
  if (typeof mountPath !== 'string' || !mountPath.startsWith('/') || mountPath === '/' || mountPath.endsWith('/')
      || mountPath.split('/').some((s) => s === '..' || s === '.') || /\/\/|[\s:]/.test(mountPath)) {
    problems.add('token.mountPath', mountPath, `the mount path is an absolute directory other than "/", without "..", spaces, ":" or a trailing "/"; leave it out for ${DEFAULT_TOKEN_MOUNT_PATH}, where IBM's SDKs look`);
  } else if (textProblem(mountPath, TextLanding.KUBELET)) {
    // The path reaches IBMCLOUD_CR_TOKEN and <SERVICE>_CR_TOKEN_FILENAME in the pod's environment.
    problems.add('token.mountPath', mountPath, textProblem(mountPath, TextLanding.KUBELET)!);
  } else if (mountPath === SCRATCH_DIRECTORY) {
    // Refused here, not only by the Job, so both sides accept or refuse the same declarations.
    problems.add('token.mountPath', mountPath, `the token-fetch Job keeps its scratch files in ${SCRATCH_DIRECTORY}; set token.mountPath on the identity to another directory, e.g. the default ${DEFAULT_TOKEN_MOUNT_PATH}, where IBM's SDKs look`);
  }

  const fileName = props.fileName ?? DEFAULT_TOKEN_FILE_NAME;
  if (typeof fileName !== 'string' || !/^[A-Za-z0-9._-]+$/.test(fileName) || fileName === '.' || fileName === '..') {
    problems.add('token.fileName', fileName, `the token file name is one path segment of letters, digits, ".", "_" and "-"; leave it out for "${DEFAULT_TOKEN_FILE_NAME}", where IBM's SDKs look`);
  }

  return {
    audience: IAM_AUDIENCE,
    expirationSeconds,
    mountPath,
    fileName,
    filePath: `${mountPath}/${fileName}`,
    volumeName: TOKEN_VOLUME_NAME,
  };
}
