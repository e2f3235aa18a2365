// Baseline (b): the same Kubernetes objects as examples/platform/k8s.ts, written by hand with
// plain cdk8s-plus-27, as a platform team without the library would: a ServiceAccount, a
// Deployment and a token-fetch Job per workload, one chart per namespace, each synthesized by an
// App of its own and written as <namespace>.k8s.yaml, as the example does. cdk8s-plus-27 cannot
// express the projected token volume, a seccomp profile or `drop: [ALL]`, so those are added
// the way plain cdk8s users do it, with ApiObject.addJsonPatch.
'use strict';
const fs = require('fs');
const path = require('path');
const { ApiObject, App, Chart, Duration, JsonPatch, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-27');

const SCRIPT = fs.readFileSync(path.join(__dirname, '..', 'lib', 'k8s', 'token-fetch.sh'), 'utf8');
const TOKEN_DIR = '/var/run/secrets/tokens';
const TOKEN_FILE = `${TOKEN_DIR}/sa-token`;
const IAM = { public: 'https://iam.cloud.ibm.com', private: 'https://private.iam.cloud.ibm.com' };

function tokenVolume(expirationSeconds) {
  return { name: 'sa-token', projected: { sources: [{ serviceAccountToken: { audience: 'iam', expirationSeconds, path: 'sa-token' } }] } };
}

/** The variables IBM's SDKs and CLI read, in the library's order. */
function sdkEnv(entry, profileName, authUrl, services) {
  const env = {};
  for (const service of services) {
    const prefix = service.toUpperCase().replace(/-/g, '_');
    env[`${prefix}_AUTH_TYPE`] = kplus.EnvValue.fromValue('container');
    env[`${prefix}_IAM_PROFILE_NAME`] = kplus.EnvValue.fromValue(profileName);
    env[`${prefix}_CR_TOKEN_FILENAME`] = kplus.EnvValue.fromValue(TOKEN_FILE);
    if (authUrl !== IAM.public) env[`${prefix}_AUTH_URL`] = kplus.EnvValue.fromValue(authUrl);
  }
  env.IBMCLOUD_CR_TOKEN = kplus.EnvValue.fromValue(`@${TOKEN_FILE}`);
  env.IBMCLOUD_CR_PROFILE = kplus.EnvValue.fromValue(profileName);
  return env;
}

/** Synthesizes the parsed declarations `{ identities: [...] }` into `<namespace>.k8s.yaml` files in `outdir`. */
function synthPlain(data, outdir) {
  const groups = new Map();
  for (const entry of data.identities) {
    const group = groups.get(entry.serviceAccount.namespace);
    if (group) group.push(entry);
    else groups.set(entry.serviceAccount.namespace, [entry]);
  }
  const files = new Map();
  for (const [namespace, entries] of groups) {
    const app = new App();
    buildPlainChart(app, namespace, entries);
    files.set(path.join(outdir, `${namespace}${app.outputFileExtension}`), app.synthYaml());
  }
  fs.mkdirSync(outdir, { recursive: true });
  for (const [file, yaml] of files) fs.writeFileSync(file, yaml);
}

/** Adds the chart of `namespace` to `app`, with the objects of `entries`. */
function buildPlainChart(app, namespace, entries) {
  const chart = new Chart(app, namespace, { namespace });
  for (const entry of entries) {
    const saName = entry.serviceAccount.name ?? entry.name;
    const profileName = entry.profileName ?? entry.name;
    const authUrl = IAM[entry.iamEndpoint ?? 'public'] ?? entry.iamEndpoint;
    const expirationSeconds = entry.token?.expirationSeconds ?? 3600;
    const w = entry.workload;

    new kplus.ServiceAccount(chart, `${entry.name}-sa`, {
      automountToken: false,
      metadata: {
        name: saName,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'iks-workload-identity' },
        annotations: { 'iks-workload-identity/profile-name': profileName },
      },
    });

    const deployment = new kplus.Deployment(chart, entry.name, {
      metadata: { name: entry.name, namespace },
      replicas: w.replicas ?? 1,
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, `${entry.name}ServiceAccount`, saName, { namespaceName: namespace }),
      automountServiceAccountToken: false,
      containers: [{ name: 'app', image: w.image, portNumber: w.port, envVariables: sdkEnv(entry, profileName, authUrl, entry.sdkServices ?? []) }],
    });
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/volumes', [tokenVolume(expirationSeconds)]),
      JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [{ mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }]),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    );

    const jobId = `${entry.name}-token-fetch`;
    const onIks = (w.clusterKind ?? entry.clusters[0].kind) === 'IKS';
    const ids = onIks ? { user: 100, group: 101 } : {};
    const job = new kplus.Job(chart, jobId, {
      metadata: {
        name: jobId,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'iks-workload-identity', 'app.kubernetes.io/component': 'token-fetch' },
      },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, `${jobId}ServiceAccount`, saName, { namespaceName: namespace }),
      automountServiceAccountToken: false,
      activeDeadline: Duration.seconds(300),
      backoffLimit: 1,
      ttlAfterFinished: Duration.seconds(3600),
      securityContext: { ensureNonRoot: true, ...ids },
    });
    const tmp = kplus.Volume.fromEmptyDir(job, 'Tmp', 'tmp', { medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1) });
    job.addContainer({
      name: 'token-fetch',
      image: 'curlimages/curl:8.11.1',
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/sh', '-c', SCRIPT],
      envVariables: {
        TOKEN_FETCH_URL: kplus.EnvValue.fromValue(`${authUrl}/identity/token`),
        TOKEN_FETCH_MAX_ATTEMPTS: kplus.EnvValue.fromValue('5'),
        TOKEN_FETCH_TIMEOUT: kplus.EnvValue.fromValue('10'),
        TOKEN_FETCH_BACKOFF: kplus.EnvValue.fromValue('2'),
        TOKEN_FETCH_BACKOFF_MAX: kplus.EnvValue.fromValue('30'),
        TMPDIR: kplus.EnvValue.fromValue('/tmp'),
        ...sdkEnv(entry, profileName, authUrl, []),
      },
      volumeMounts: [{ path: '/tmp', volume: tmp }],
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
      },
      securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, ...ids },
    });
    ApiObject.of(job).addJsonPatch(
      JsonPatch.add('/spec/template/spec/volumes/-', tokenVolume(expirationSeconds)),
      JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { mountPath: TOKEN_DIR, name: 'sa-token', readOnly: true }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    );
  }
  return chart;
}

module.exports = { synthPlain, buildPlainChart };
