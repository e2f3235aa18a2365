// The platform repo's cdk8s side: every identity in the declarations file gets its
// ServiceAccount, a Deployment of its workload and a token-fetch Job, in its namespace's chart;
// each namespace is one file, platform.out/k8s/<namespace>.k8s.yaml.
//
//   node build/examples/platform/k8s.js [declarations file] [output dir]
//
// Each namespace's chart is synthesized by an App of its own. cdk8s validates the whole app
// again for every chart it writes, so one App holding every chart costs objects x charts: the
// square of the number of identities with a chart each, and still more than linear with a chart
// per namespace. An App per namespace keeps synthesis linear. Every namespace renders in memory
// first; then the folder is replaced as a whole (writeOutputFolders, docs/outputs.md), so a
// problem anywhere, or a kill, leaves the old folder, and a removed namespace's file goes away.
import { App, Chart } from 'cdk8s';
import { writeOutputFolders } from 'iks-workload-identity';
import { TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from 'iks-workload-identity/k8s';
import { defaultDeclarationsFile, loadDeclarations, PlatformIdentity } from './declarations';

/** The declarations by namespace, in file order. */
export function byNamespace(declarations: readonly PlatformIdentity[]): Map<string, PlatformIdentity[]> {
  const groups = new Map<string, PlatformIdentity[]>();
  for (const d of declarations) {
    const namespace = d.identity.serviceAccount.namespace;
    const group = groups.get(namespace);
    if (group) group.push(d);
    else groups.set(namespace, [d]);
  }
  return groups;
}

/** Adds the chart of `namespace` to `app`: each identity's ServiceAccount, Deployment and token-fetch Job. */
export function buildChart(app: App, namespace: string, declarations: readonly PlatformIdentity[]): Chart {
  const chart = new Chart(app, namespace, { namespace });
  for (const { identity, workload } of declarations) {
    new WorkloadIdentityServiceAccount(chart, `${identity.name}-sa`, { identity });
    new WorkloadIdentityDeployment(chart, identity.name, {
      identity,
      replicas: workload.replicas ?? 1,
      containers: [{ name: 'app', image: workload.image, portNumber: workload.port }],
    });
    new TokenFetchJob(chart, `${identity.name}-token-fetch`, { identity, clusterKind: workload.clusterKind });
  }
  return chart;
}

/** The default output folder of the Kubernetes side: $CDK8S_OUTDIR or platform.out/k8s. */
export function defaultKubernetesOutdir(): string {
  return process.env.CDK8S_OUTDIR ?? 'platform.out/k8s';
}

/** Synthesizes every namespace (an App each) in memory: `<namespace>.k8s.yaml` to its YAML. */
export function renderKubernetes(declarations: readonly PlatformIdentity[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const [namespace, group] of byNamespace(declarations)) {
    const app = new App();
    buildChart(app, namespace, group);
    files.set(`${namespace}${app.outputFileExtension}`, app.synthYaml());
  }
  return files;
}

/**
 * Synthesizes every namespace and then replaces `outdir` (default: `defaultKubernetesOutdir()`)
 * with exactly their `<namespace>.k8s.yaml` files, atomically. Returns the file names.
 */
export function synthKubernetes(declarations: readonly PlatformIdentity[], outdir = defaultKubernetesOutdir()): string[] {
  const files = renderKubernetes(declarations);
  writeOutputFolders(new Map([[outdir, files]]));
  return [...files.keys()];
}

if (require.main === module) {
  try {
    synthKubernetes(loadDeclarations(process.argv[2] ?? process.env.PLATFORM_IDENTITIES ?? defaultDeclarationsFile()), process.argv[3]);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
