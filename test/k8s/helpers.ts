// Shared fixtures for the Kubernetes-side tests: identities, charts and readers of
// synthesized manifests. Everything here reads rendered JSON, never cdk8s-plus internals.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ClusterKind, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import { podSpecOf } from '../../src/k8s';

export const IKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
export const ROKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';

export const TOKEN_DIR = '/var/run/secrets/tokens';
export const TOKEN_FILE = '/var/run/secrets/tokens/sa-token';

/** An identity `orders` in namespace `shop` on one IKS cluster; fields can be overridden. */
export function makeIdentity(overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentity {
  return new WorkloadIdentity({
    name: 'orders',
    serviceAccount: { namespace: 'shop' },
    clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }],
    ...overrides,
  });
}

/**
 * Where apps built by `makeChart` would write; tests that use them only render in memory
 * (`Testing.synth`), so unlike `Testing.app()` no directory is created per test.
 */
const IN_MEMORY_OUTDIR = path.join(os.tmpdir(), 'iks-wi-k8s-in-memory');

/** A chart in a throwaway app; `namespace` is the chart's default namespace. */
export function makeChart(namespace?: string, app: App = new App({ outdir: IN_MEMORY_OUTDIR })): Chart {
  return new Chart(app, 'test', namespace === undefined ? {} : { namespace });
}

/** The one manifest of `kind` (and `name`, when given) in the synthesized chart. */
export function manifestOf(chart: Chart, kind: string, name?: string): any {
  const found = Testing.synth(chart).filter((m: any) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` "${name}"` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** The pod spec of a rendered workload (any kind `podSpecOf` knows). */
export function podSpec(manifest: any): any {
  const spec = podSpecOf(manifest);
  if (!spec) throw new Error(`a ${manifest?.kind} has no pod spec`);
  return spec;
}

/** Containers and init containers of a pod spec. */
export function allContainers(spec: any): any[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
}

export function containerNamed(spec: any, name: string): any {
  const c = allContainers(spec).find((x) => x.name === name);
  if (!c) throw new Error(`no container "${name}" in ${JSON.stringify(allContainers(spec).map((x) => x.name))}`);
  return c;
}

/** A container's env as name -> value (valueFrom entries map to undefined). */
export function envOf(container: any): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const e of container.env ?? []) out[e.name] = e.value;
  return out;
}

export function envNames(container: any): string[] {
  return (container.env ?? []).map((e: any) => e.name);
}

export function volumeNamed(spec: any, name: string): any | undefined {
  return (spec.volumes ?? []).find((v: any) => v.name === name);
}

export function mountAt(container: any, mountPath: string): any | undefined {
  return (container.volumeMounts ?? []).find((m: any) => m.mountPath === mountPath);
}

/** A fresh, empty output directory, removed by `removeTmpDirs`. */
const tmpDirs: string[] = [];
export function freshOutdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-k8s-'));
  tmpDirs.push(dir);
  return dir;
}

export function removeTmpDirs(): void {
  while (tmpDirs.length > 0) fs.rmSync(tmpDirs.pop()!, { recursive: true, force: true });
}

/** Every YAML file under `dir`, recursively, relative to it. */
export function yamlFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/**
 * Runs `app.synth()` on an app writing to a fresh directory and returns what it threw (or
 * undefined) and the YAML files it left behind.
 */
export function synthToFreshDir(build: (app: App) => void): { error: Error | undefined; files: string[] } {
  const outdir = freshOutdir();
  const app = new App({ outdir });
  build(app);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  return { error, files: yamlFilesIn(outdir) };
}
