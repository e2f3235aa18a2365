// The Kubernetes side (cdk8s): the identity binding for any object with a pod template (from
// any cdk8s-plus line, L1 classes, Include or Helm), External Secrets Operator's IBM store, and
// the cdk8s-plus-27 constructs (service account, Deployment, token-fetch Job).
import type * as deploymentModule from './workload-identity-deployment';
import type * as serviceAccountModule from './workload-identity-service-account';
import type * as tokenFetchModule from './token-fetch-job';

export * from './workload-identity-binding';
export * from './eso';
// Plain JSON checks, shared with the rules: usable on any chart's output.
export { checkPodSecurityRestricted, formatPodSecurityViolation } from '../rules/pod-security';
export type { PodSecurityViolation } from '../rules/pod-security';
export { podSpecOf } from './pod-spec';

// cdk8s-plus-27 is an optional peer: an app of L1 objects, included YAML or another cdk8s-plus
// line need not install it. The constructs built on it load on first use, so this entry point
// loads without it; using one without cdk8s-plus-27 fails with an error that says so.
export type { WorkloadIdentityDeploymentProps } from './workload-identity-deployment';
export type { WorkloadIdentityServiceAccountProps } from './workload-identity-service-account';
export type { TokenFetchJobProps, TokenFetchRetrySettings } from './token-fetch-job';

/** A cdk8s-plus-27 Deployment whose pods take on an identity (needs cdk8s-plus-27). */
export declare const WorkloadIdentityDeployment: typeof deploymentModule.WorkloadIdentityDeployment;
export type WorkloadIdentityDeployment = deploymentModule.WorkloadIdentityDeployment;
/** The Kubernetes service account the trusted profile trusts (needs cdk8s-plus-27). */
export declare const WorkloadIdentityServiceAccount: typeof serviceAccountModule.WorkloadIdentityServiceAccount;
export type WorkloadIdentityServiceAccount = serviceAccountModule.WorkloadIdentityServiceAccount;
/** A Job that proves the token exchange (needs cdk8s-plus-27). */
export declare const TokenFetchJob: typeof tokenFetchModule.TokenFetchJob;
export type TokenFetchJob = tokenFetchModule.TokenFetchJob;
/** The token-fetch Job's default image (needs cdk8s-plus-27). */
export declare const DEFAULT_TOKEN_FETCH_IMAGE: typeof tokenFetchModule.DEFAULT_TOKEN_FETCH_IMAGE;
/** The UID of `curl_user` in the default image (needs cdk8s-plus-27). */
export declare const CURL_IMAGE_UID: typeof tokenFetchModule.CURL_IMAGE_UID;
/** The GID of `curl_user` in the default image (needs cdk8s-plus-27). */
export declare const CURL_IMAGE_GID: typeof tokenFetchModule.CURL_IMAGE_GID;

/** The token-fetch Job's script (needs cdk8s-plus-27). */
export function tokenFetchScript(): string {
  return load<typeof tokenFetchModule>('./token-fetch-job', 'TokenFetchJob').tokenFetchScript();
}

/** The longest a token-fetch Job can run with these settings (needs cdk8s-plus-27). */
export function worstCaseSeconds(s: tokenFetchModule.TokenFetchRetrySettings): number {
  return load<typeof tokenFetchModule>('./token-fetch-job', 'TokenFetchJob').worstCaseSeconds(s);
}

const PEER = 'cdk8s-plus-27';

function load<T>(module: string, what: string): T {
  try {
    return require(module) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`'${PEER}'`)) {
      throw new MissingPeerError(`iks-workload-identity/k8s: ${what} is built on ${PEER}, which is not installed; run "npm install ${PEER}", or give your own objects (L1, Include, Helm, another cdk8s-plus line) their identity with WorkloadIdentityBinding.bind or bindAll`);
    }
    throw e;
  }
}

class MissingPeerError extends Error {}

/**
 * Classes stay importable by name without the peer (Node's ES module loader reads every named
 * export when it imports this file): constructing one then fails with the reason.
 */
function lazyClass(module: string, name: string): () => unknown {
  return () => {
    try {
      return load<Record<string, unknown>>(module, name)[name];
    } catch (e) {
      if (!(e instanceof MissingPeerError)) throw e;
      const message = e.message;
      return class {
        constructor() {
          throw new Error(message);
        }
      };
    }
  };
}

const LAZY: Record<string, () => unknown> = {
  WorkloadIdentityDeployment: lazyClass('./workload-identity-deployment', 'WorkloadIdentityDeployment'),
  WorkloadIdentityServiceAccount: lazyClass('./workload-identity-service-account', 'WorkloadIdentityServiceAccount'),
  TokenFetchJob: lazyClass('./token-fetch-job', 'TokenFetchJob'),
  DEFAULT_TOKEN_FETCH_IMAGE: () => load<typeof tokenFetchModule>('./token-fetch-job', 'TokenFetchJob').DEFAULT_TOKEN_FETCH_IMAGE,
  CURL_IMAGE_UID: () => load<typeof tokenFetchModule>('./token-fetch-job', 'TokenFetchJob').CURL_IMAGE_UID,
  CURL_IMAGE_GID: () => load<typeof tokenFetchModule>('./token-fetch-job', 'TokenFetchJob').CURL_IMAGE_GID,
};
for (const [name, get] of Object.entries(LAZY)) {
  Object.defineProperty(exports, name, { enumerable: true, configurable: true, get });
}

// Never runs: names the classes in the form Node's CommonJS export detection (cjs-module-lexer)
// reads, so `import { TokenFetchJob } from 'iks-workload-identity/k8s'` works in an ES module.
// The constants are left out: reading them needs cdk8s-plus-27.
if ((0 as number) > 1) {
  exports.WorkloadIdentityDeployment = undefined;
  exports.WorkloadIdentityServiceAccount = undefined;
  exports.TokenFetchJob = undefined;
}
