// Plain JSON inputs for the rule tests, written the way a platform team writes manifests and
// Terraform by hand: no library involved, so the rules are shown to judge outputs, not conventions.
import { Documents, Finding, Rule, runRules } from '../../src/rules';

export const TOKEN_DIR = '/var/run/secrets/tokens';
export const TOKEN_FILE = `${TOKEN_DIR}/sa-token`;
export const CLUSTER_ID = 'cq5l0v8d0h4b7f3kq2pg';
export const CLUSTER_CRN = `crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:${CLUSTER_ID}::`;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

/** A container that reads the token the way IBM's SDK and CLI are configured to. */
export function ibmContainer(name = 'app', extra: Record<string, unknown> = {}): any {
  return {
    name,
    image: 'icr.io/payments/payments-api:1.4.2',
    env: [
      { name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' },
      { name: 'SECRETS_MANAGER_IAM_PROFILE_NAME', value: 'payments-api' },
      { name: 'SECRETS_MANAGER_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'payments-api' },
    ],
    volumeMounts: [{ name: 'sa-token', mountPath: TOKEN_DIR, readOnly: true }],
    securityContext: { ...RESTRICTED_CONTAINER },
    ...extra,
  };
}

/** The projected volume IBM documents: audience iam, one hour, file sa-token. */
export function tokenVolume(source: Record<string, unknown> = {}): any {
  return {
    name: 'sa-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds: 3600, path: 'sa-token', ...source } }] },
  };
}

export function podSpec(overrides: Record<string, unknown> = {}): any {
  return {
    serviceAccountName: 'payments-api',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [ibmContainer()],
    volumes: [tokenVolume()],
    ...overrides,
  };
}

/** A compliant Deployment `payments/payments-api`; the pod spec can be overridden. */
export function deployment(spec: Record<string, unknown> = {}, annotations?: Record<string, string>): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'payments-api', namespace: 'payments', ...(annotations ? { annotations } : {}) },
    spec: {
      selector: { matchLabels: { app: 'payments-api' } },
      template: { metadata: { labels: { app: 'payments-api' } }, spec: podSpec(spec) },
    },
  };
}

/** A Job `payments/token-fetch` whose one container runs `command`. */
export function job(command: string[], annotations?: Record<string, string>): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'token-fetch', namespace: 'payments', ...(annotations ? { annotations } : {}) },
    spec: { template: { spec: podSpec({ restartPolicy: 'Never', containers: [ibmContainer('fetch', { image: 'curlimages/curl:8.11.1', command })] }) } },
  };
}

export function serviceAccount(name = 'payments-api', namespace: string | undefined = 'payments'): any {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...(namespace ? { namespace } : {}) } };
}

/** A Terraform JSON configuration holding `resources` as `{ type: { logicalId: body } }`. */
export function stack(resource: Record<string, Record<string, any>>): any {
  return { resource };
}

export const PROFILE = { ibm_iam_trusted_profile: { 'payments-api': { name: 'payments-api' } } };

export function policy(body: Record<string, unknown>, acknowledge?: Record<string, string>): any {
  return {
    iam_id: '${ibm_iam_trusted_profile.payments-api.iam_id}',
    ...body,
    ...(acknowledge ? { '//': { 'iks-workload-identity': { acknowledge } } } : {}),
  };
}

export function link(namespace = 'payments', name = 'payments-api'): any {
  return { profile_id: '${ibm_iam_trusted_profile.payments-api.id}', cr_type: 'IKS_SA', link: { crn: CLUSTER_CRN, namespace, name } };
}

export function claimRule(conditions: { claim: string; operator: string; value: string }[]): any {
  return { profile_id: '${ibm_iam_trusted_profile.payments-api.id}', type: 'Profile-CR', cr_type: 'IKS_SA', conditions };
}

/** A claim-rule condition: the value JSON-encoded, as IAM reads it. */
export const cond = (claim: string, value: string | string[], operator = Array.isArray(value) ? 'IN' : 'EQUALS') =>
  ({ claim, operator, value: JSON.stringify(value) });

/** The findings of `rule` alone on Kubernetes manifests (`kubernetes.yaml`). */
export function k8sFindings(rule: Rule, ...manifests: any[]): readonly Finding[] {
  return runRules({ kubernetes: manifests.map((manifest) => ({ file: 'kubernetes.yaml', manifest })) }, [rule]).findings;
}

/** The findings of `rule` alone on one Terraform stack (`cdk.tf.json`). */
export function tfFindings(rule: Rule, config: any): readonly Finding[] {
  return runRules({ terraform: [{ file: 'cdk.tf.json', config }] }, [rule]).findings;
}

/** The findings of `rule` alone with both sides read. */
export function bothFindings(rule: Rule, manifests: any[], config: any): readonly Finding[] {
  const documents: Documents = {
    kubernetes: manifests.map((manifest) => ({ file: 'kubernetes.yaml', manifest })),
    terraform: [{ file: 'cdk.tf.json', config }],
  };
  return runRules(documents, [rule]).findings;
}
