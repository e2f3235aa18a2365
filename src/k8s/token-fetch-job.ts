import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ClusterKind, ProblemCollector, ServiceAccountRef, WorkloadIdentity } from '../index';
import { tokenFetchJobName } from '../model/derived-names';
import { registerObjectName } from './object-names';
import { trustedServiceAccount, WorkloadIdentityBinding } from './workload-identity-binding';

/** `curlimages/curl`, as in IBM's sample: Alpine with busybox sh, sed and base64. */
export const DEFAULT_TOKEN_FETCH_IMAGE = 'curlimages/curl:8.11.1';
/** The UID and GID of `curl_user`, the user `curlimages/curl` names but does not number. */
export const CURL_IMAGE_UID = 100;
export const CURL_IMAGE_GID = 101;

/** Properties of a `TokenFetchJob`. */
export interface TokenFetchJobProps {
  /** The identity whose token exchange the Job proves. */
  readonly identity: WorkloadIdentity;
  /**
   * Which of the identity's trusted service accounts the Job runs as, proving that one.
   * @default - the identity's `serviceAccount`
   */
  readonly serviceAccount?: ServiceAccountRef;
  /**
   * The Job's name.
   * @default "<identity name>-token-fetch"
   */
  readonly name?: string;
  /**
   * The image: it needs `curl` and busybox-compatible `sh`, `head`, `od` and `awk`.
   * @default DEFAULT_TOKEN_FETCH_IMAGE
   */
  readonly image?: string;
  /**
   * The kind of cluster the Job runs on. On IKS the pod runs as a fixed non-root UID/GID,
   * because the image names its user and `runAsNonRoot` needs a number; on ROKS
   * `restricted-v2` assigns the UID, so none is set.
   * @default - the kind of the identity's clusters; required when they mix IKS and ROKS
   */
  readonly clusterKind?: ClusterKind;
  /**
   * UID to run as on IKS (100 is curl_user in curlimages/curl). Change it with `image`.
   * @default 100
   */
  readonly runAsUser?: number;
  /**
   * GID to run as on IKS. Change it with `image`.
   * @default 101
   */
  readonly runAsGroup?: number;
  /**
   * Attempts before giving up on network errors, HTTP 429 and 5xx. Other errors fail at once.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Time limit of one attempt.
   * @default 10
   */
  readonly attemptTimeoutSeconds?: number;
  /**
   * Wait before the first retry; it doubles per retry, up to 30 s.
   * @default 2
   */
  readonly initialBackoffSeconds?: number;
  /**
   * Kubernetes stops the Job after this long. Must leave room for every attempt and wait.
   * @default 300
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Pods Kubernetes starts again after the script failed.
   * @default 1
   */
  readonly backoffLimit?: number;
  /**
   * How long the finished Job and its log stay, for `kubectl logs job/<name>`.
   * @default 3600
   */
  readonly ttlSecondsAfterFinished?: number;
}

const MAX_BACKOFF_SECONDS = 30;
let script: string | undefined;

/** The token-fetch script, as the Job runs it. */
export function tokenFetchScript(): string {
  script ??= fs.readFileSync(path.join(__dirname, 'token-fetch.sh'), 'utf8');
  return script;
}

/**
 * A Job that exchanges the identity's projected token for an IAM token with curl, to prove the
 * chain from service account to trusted profile. It prints only non-secret claims (`iam_id`,
 * `sub`, `exp`, `expires_in`) or IAM's error code, message and request ID, each cleaned first
 * (tokens and JWT-shaped text redacted, control bytes escaped, at most 300 characters; see
 * docs/token-fetch-job.md), retries only network errors, 429 and 5xx, stops at once on SIGTERM,
 * and exits non-zero on failure. Its pod meets Pod Security "restricted".
 */
export class TokenFetchJob extends kplus.Job {
  public readonly identity: WorkloadIdentity;
  public readonly binding: WorkloadIdentityBinding;

  constructor(scope: Construct, id: string, props: TokenFetchJobProps) {
    const identity = props?.identity;
    if (!(identity instanceof WorkloadIdentity)) {
      throw new Error(`TokenFetchJob "${id}": props.identity must be a WorkloadIdentity`);
    }
    const settings = resolveSettings(identity, props);
    const sa = trustedServiceAccount(identity, props.serviceAccount);
    const onIks = settings.clusterKind === ClusterKind.IKS;

    super(scope, id, {
      metadata: {
        name: settings.name,
        namespace: sa.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'iks-workload-identity', 'app.kubernetes.io/component': 'token-fetch' },
      },
      automountServiceAccountToken: false,
      activeDeadline: Duration.seconds(settings.activeDeadlineSeconds),
      backoffLimit: settings.backoffLimit,
      ttlAfterFinished: Duration.seconds(settings.ttlSecondsAfterFinished),
      securityContext: { ensureNonRoot: true, ...(onIks ? { user: settings.runAsUser, group: settings.runAsGroup } : {}) },
    });
    this.identity = identity;
    registerObjectName(this, this.apiObject);

    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1) });
    this.addContainer({
      name: 'token-fetch',
      image: settings.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/sh', '-c', tokenFetchScript()],
      envVariables: {
        TOKEN_FETCH_URL: kplus.EnvValue.fromValue(identity.iamEndpoint.tokenUrl),
        TOKEN_FETCH_MAX_ATTEMPTS: kplus.EnvValue.fromValue(String(settings.maxAttempts)),
        TOKEN_FETCH_TIMEOUT: kplus.EnvValue.fromValue(String(settings.attemptTimeoutSeconds)),
        TOKEN_FETCH_BACKOFF: kplus.EnvValue.fromValue(String(settings.initialBackoffSeconds)),
        TOKEN_FETCH_BACKOFF_MAX: kplus.EnvValue.fromValue(String(MAX_BACKOFF_SECONDS)),
        TMPDIR: kplus.EnvValue.fromValue('/tmp'),
      },
      volumeMounts: [{ path: '/tmp', volume: tmp }],
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
      },
      securityContext: {
        ensureNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        ...(onIks ? { user: settings.runAsUser, group: settings.runAsGroup } : {}),
      },
    });
    // The identity's env (IBMCLOUD_CR_TOKEN, IBMCLOUD_CR_PROFILE) is what the script reads,
    // so the Job exercises exactly what the workload's pods get. The binding also adds the
    // seccomp profile and `drop: [ALL]`, which cdk8s-plus-27's Capability enum cannot name.
    this.binding = WorkloadIdentityBinding.bind(this, { identity, sdkServices: [], hardenPodSecurity: true, serviceAccount: sa });
  }
}

interface Settings {
  name: string;
  image: string;
  clusterKind: ClusterKind;
  runAsUser: number;
  runAsGroup: number;
  maxAttempts: number;
  attemptTimeoutSeconds: number;
  initialBackoffSeconds: number;
  activeDeadlineSeconds: number;
  backoffLimit: number;
  ttlSecondsAfterFinished: number;
}

function resolveSettings(identity: WorkloadIdentity, props: TokenFetchJobProps): Settings {
  const problems = new ProblemCollector(identity.name);
  const kinds = [...new Set(identity.clusters.map((c) => c.kind))];
  const s: Settings = {
    name: props.name ?? tokenFetchJobName(identity.name),
    image: props.image ?? DEFAULT_TOKEN_FETCH_IMAGE,
    clusterKind: props.clusterKind ?? kinds[0],
    runAsUser: props.runAsUser ?? CURL_IMAGE_UID,
    runAsGroup: props.runAsGroup ?? CURL_IMAGE_GID,
    maxAttempts: props.maxAttempts ?? 5,
    attemptTimeoutSeconds: props.attemptTimeoutSeconds ?? 10,
    initialBackoffSeconds: props.initialBackoffSeconds ?? 2,
    activeDeadlineSeconds: props.activeDeadlineSeconds ?? 300,
    backoffLimit: props.backoffLimit ?? 1,
    ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 3600,
  };
  const field = (name: string) => `tokenFetchJob.${name}`;
  // A Job's name becomes the value of its pods' job-name label: at most 63 characters.
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s.name) || s.name.length > 63) {
    problems.add(field('name'), s.name, `a Job name is a DNS-1123 label of at most 63 characters (it labels the Job's pods); ${props.name === undefined ? 'the identity name is too long for the "-token-fetch" suffix, so ' : ''}set a shorter name`);
  }
  if (typeof s.image !== 'string' || s.image.trim() === '' || /\s/.test(s.image)) {
    problems.add(field('image'), s.image, 'the image is a reference such as "curlimages/curl:8.11.1"; pin it by tag or digest');
  } else if (!/[:@]/.test(s.image.split('/').pop()!) || s.image.endsWith(':latest')) {
    problems.add(field('image'), s.image, 'pin the image by tag or digest (not "latest"), so every run uses the same programs');
  }
  if (props.clusterKind === undefined && kinds.length > 1) {
    problems.add(field('clusterKind'), kinds, 'the identity runs on IKS and ROKS clusters, whose Pod Security differs (IKS needs a numeric UID, ROKS assigns one); set clusterKind for the cluster this Job is applied to');
  } else if (s.clusterKind !== ClusterKind.IKS && s.clusterKind !== ClusterKind.ROKS) {
    problems.add(field('clusterKind'), s.clusterKind, 'clusterKind is ClusterKind.IKS or ClusterKind.ROKS');
  }
  const positive: [keyof Settings, number, number][] = [
    ['runAsUser', 1, 2147483647], ['runAsGroup', 1, 2147483647], ['maxAttempts', 1, 20],
    ['attemptTimeoutSeconds', 1, 300], ['initialBackoffSeconds', 1, MAX_BACKOFF_SECONDS],
    ['activeDeadlineSeconds', 1, 86400], ['backoffLimit', 0, 10], ['ttlSecondsAfterFinished', 0, 604800],
  ];
  for (const [key, min, max] of positive) {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const why = key === 'runAsUser' || key === 'runAsGroup' ? '; UID/GID 0 is root, which Pod Security "restricted" forbids' : '';
      problems.add(field(key), v, `${key} is a whole number from ${min} to ${max}${why}`);
    }
  }
  if (problems.count === 0) {
    // The deadline covers every pod the Job starts, so each retried pod must still report.
    const worst = worstCaseSeconds(s) * (s.backoffLimit + 1);
    if (worst >= s.activeDeadlineSeconds) {
      problems.add(field('activeDeadlineSeconds'), s.activeDeadlineSeconds, `${s.backoffLimit + 1} pod(s) of ${s.maxAttempts} attempts of up to ${s.attemptTimeoutSeconds} s with their waits take up to ${worst} s, so Kubernetes would kill the Job before it reports; raise activeDeadlineSeconds above ${worst} or lower maxAttempts or backoffLimit`);
    }
  }
  if (identity.token.mountPath === '/tmp') {
    problems.add('token.mountPath', identity.token.mountPath, 'the token-fetch Job keeps its scratch files in /tmp; set token.mountPath on the identity to another directory, e.g. the default /var/run/secrets/tokens');
  }
  problems.throwIfAny();
  return s;
}

/** The retry settings of one token-fetch pod. */
export interface TokenFetchRetrySettings {
  readonly maxAttempts: number;
  readonly attemptTimeoutSeconds: number;
  readonly initialBackoffSeconds: number;
}

/** Longest one token-fetch pod can run: every attempt timing out, every wait taken. */
export function worstCaseSeconds(s: TokenFetchRetrySettings): number {
  let total = s.maxAttempts * s.attemptTimeoutSeconds;
  let delay = s.initialBackoffSeconds;
  for (let i = 1; i < s.maxAttempts; i++) {
    total += delay;
    delay = Math.min(delay * 2, MAX_BACKOFF_SECONDS);
  }
  return total;
}
