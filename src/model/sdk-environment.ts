/** One environment variable, in the order it is set on containers. */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

/**
 * The prefix IBM's SDK cores read for a service's configuration: its name upper-cased, with
 * `-` turned into `_` (`secrets-manager` reads `SECRETS_MANAGER_*`).
 */
export function sdkEnvPrefix(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

/** Service names as IBM's SDKs take them: a letter, then letters, digits, `_` and `-`. */
export const SDK_SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
