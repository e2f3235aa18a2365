// `iks-workload-identity synth`: a data file (identities.yaml) made into both sides, without
// writing TypeScript. The Terraform side (one stack) renders in a worker thread while this one
// renders the Kubernetes side (a file per namespace), each namespace's file written into a private
// staging folder as soon as it is rendered, so the YAML of thousands of namespaces is never all
// in memory. Every rule of `check` then runs over both sides, the cross-side rules included; only
// if they pass are both output folders replaced together (openOutputFolders, docs/outputs.md), so
// a bad entry, a rule error or a kill leaves both folders as they were, and a namespace that is
// gone loses its file. The frameworks are optional peers, loaded only here, at run time.
import * as path from 'path';
import { WorkloadDeclaration, workloadDeclarationsFromData } from '../declarations';
import { DEFAULT_MAX_FILE_SIZE } from '../decode/files';
import { decodeKubernetesFile } from '../decode/kubernetes';
import { mergeModule } from '../decode/terraform';
import { isTerraformWorkingFile, openOutputFolders, OutputFolders, writeStagedFile } from '../output/atomic-output';
import { filesWrittenBy } from '../output/files-written-by';
import { formatFinding, mergeReports, runRulesOnFacts } from '../rules/engine';
import { extractFacts } from '../rules/facts';
import { ALL_RULES, KUBERNETES_SIDE_RULES } from '../rules/packs';
import { leaveKubernetesRulesToCaller } from '../rules/synth';
import { KubernetesDocument, Rule, TerraformDocument } from '../rules/types';
import { parseWithPositionals, SetupError, UsageError } from './args';
import { readDeclarationsFile, shownPath } from '../declarations/read-file';
import { startTerraformWorker, TerraformJob } from './terraform-worker';
import { yamlWriter } from './yaml-by-shape';

export const SYNTH_USAGE = `usage: iks-workload-identity synth [<file>] [--k8s-out <dir>] [--terraform-out <dir>]
                                  [--stack <name>] [--engine cdktf|cdktn]
                                  [--iam-endpoint public|private|<https-url>]
                                  [--no-k8s] [--no-terraform] [--max-file-size <bytes>]

Reads the declarations file <file> (default: identities.yaml; YAML, or JSON when the name ends
in .json): a list of identities, each with its trusted profile's settings and a workload block
(the image the Kubernetes side runs). Writes the Kubernetes manifests, one <namespace>.k8s.yaml
per namespace, and the Terraform JSON of one stack (<terraform-out>/stacks/<stack>/cdk.tf.json),
ready for \`terraform -chdir=<terraform-out>/stacks/<stack> init\` and plan.

Both sides render in memory and every rule of \`iks-workload-identity check\` runs over them
before anything is written; then both folders are replaced together, and files of namespaces
no longer declared are removed. Terraform's working files (.terraform/, the lock file, local
state) in the stack folder are kept.

  <file>              the declarations file (docs/data-file.md lists every key)
  --k8s-out           folder of the Kubernetes manifests (default: dist)
  --terraform-out     folder of the Terraform output (default: cdktf.out)
  --stack             the Terraform stack's name (default: workload-identities)
  --engine            cdktf (CDK for Terraform, default) or cdktn (CDK Terrain); installed as a peer
  --iam-endpoint      the IAM endpoint of entries that set none: public (default), private, or
                      an https:// base URL
  --no-k8s            skip the Kubernetes side (entries then need no workload block)
  --no-terraform      skip the Terraform side
  --max-file-size     refuse a declarations file larger than this many bytes (default: ${DEFAULT_MAX_FILE_SIZE})
  -h, --help          print this help

Needs the peers of each side: npm install cdk8s cdk8s-plus-27 constructs (Kubernetes), and
npm install cdktf constructs (or cdktn constructs with --engine cdktn) for Terraform.

exit status: 0 written, 1 declaration or rule errors (all listed; nothing written),
             2 usage error, unreadable file, missing peer, or a folder that cannot be written`;

export type EngineName = 'cdktf' | 'cdktn';

export interface SynthOptions {
  readonly file: string;
  /** Undefined: the Kubernetes side is skipped. */
  readonly k8sOut?: string;
  /** Undefined: the Terraform side is skipped. */
  readonly terraformOut?: string;
  readonly stack: string;
  readonly engine: EngineName;
  /** The `iamEndpoint` of entries that set none; undefined leaves them to the model's default. */
  readonly iamEndpoint?: string;
  readonly maxFileSize: number;
  /**
   * Above this resident memory (MB) the Kubernetes side waits for the Terraform worker to end.
   * @default MEMORY_BUDGET_MB (not a flag: tests lower it)
   */
  readonly memoryBudgetMb?: number;
}

/** The parsed arguments of `synth`, or 'help'. */
export function parseSynthArgs(args: string[]): SynthOptions | 'help' {
  const { values: v, positionals } = parseWithPositionals(args, {
    'k8s-out': { type: 'string' }, 'terraform-out': { type: 'string' }, stack: { type: 'string' },
    engine: { type: 'string' }, 'iam-endpoint': { type: 'string' },
    'no-k8s': { type: 'boolean' }, 'no-terraform': { type: 'boolean' }, 'max-file-size': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, SYNTH_USAGE);
  if (v.help) return 'help';
  if (positionals.length > 1) throw new UsageError(`one declarations file, not ${positionals.length}`, SYNTH_USAGE);
  for (const flag of ['k8s-out', 'terraform-out', 'stack', 'engine', 'iam-endpoint'] as const) {
    if (v[flag] === '') throw new UsageError(`--${flag} needs a value`, SYNTH_USAGE);
  }
  const engine = v.engine ?? 'cdktf';
  if (engine !== 'cdktf' && engine !== 'cdktn') throw new UsageError(`--engine is cdktf or cdktn, not ${JSON.stringify(engine.slice(0, 40))}`, SYNTH_USAGE);
  const stack = v.stack ?? 'workload-identities';
  // The stack's name is a folder name and a construct ID: a plain word keeps both safe.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(stack)) {
    throw new UsageError(`--stack is letters, digits, "-" and "_" (at most 64, starting with a letter or digit), not ${JSON.stringify(stack.slice(0, 40))}`, SYNTH_USAGE);
  }
  const iamEndpoint = v['iam-endpoint'];
  if (iamEndpoint !== undefined && iamEndpoint !== 'public' && iamEndpoint !== 'private' && !iamEndpoint.startsWith('https://')) {
    throw new UsageError(`--iam-endpoint is public, private or an https:// base URL, not ${JSON.stringify(iamEndpoint.slice(0, 40))}`, SYNTH_USAGE);
  }
  const maxFileSize = v['max-file-size'] ?? String(DEFAULT_MAX_FILE_SIZE);
  if (!/^\d+$/.test(maxFileSize) || Number(maxFileSize) < 1 || !Number.isSafeInteger(Number(maxFileSize))) {
    throw new UsageError(`--max-file-size is a whole number of at least 1, not ${JSON.stringify(maxFileSize.slice(0, 40))}`, SYNTH_USAGE);
  }
  const options: SynthOptions = {
    file: positionals[0] ?? 'identities.yaml',
    k8sOut: v['no-k8s'] ? undefined : v['k8s-out'] ?? 'dist',
    terraformOut: v['no-terraform'] ? undefined : v['terraform-out'] ?? 'cdktf.out',
    stack, engine, iamEndpoint, maxFileSize: Number(maxFileSize),
  };
  if (options.k8sOut === undefined && options.terraformOut === undefined) throw new UsageError('--no-k8s and --no-terraform leave nothing to write', SYNTH_USAGE);
  if (options.k8sOut !== undefined && options.terraformOut !== undefined && path.resolve(options.k8sOut) === path.resolve(options.terraformOut)) {
    throw new UsageError('--k8s-out and --terraform-out name one folder; each side replaces its folder as a whole, so give each its own', SYNTH_USAGE);
  }
  return options;
}

/** Peers each side loads, in the order their absence is reported. */
const KUBERNETES_PEERS = ['cdk8s', 'cdk8s-plus-27', 'constructs'];

/** Fails with the npm command that installs whichever of `peers` cannot be found. */
function requirePeers(peers: readonly string[], side: string): void {
  const missing = peers.filter((p) => {
    try {
      require.resolve(p);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new SetupError(`the ${side} side needs ${missing.join(', ')}, not installed beside iks-workload-identity; run: npm install ${missing.join(' ')}${side === 'Terraform' ? ' (or pass --no-terraform)' : ' (or pass --no-k8s)'}`);
  }
}

/** What the command needs of a Terraform engine: the framework's app and stack, and our constructs bound to it. */
export interface TerraformEngine {
  readonly App: new (props: { outdir: string }) => { synth(): void };
  readonly TerraformStack: new (scope: any, id: string) => any;
  readonly LocalBackend: new (scope: any, props: { path: string }) => unknown;
  readonly IbmProvider: new (scope: any, id: string, props: Record<string, unknown>) => unknown;
  readonly WorkloadIdentityProfile: new (scope: any, id: string, props: { identity: unknown }) => unknown;
}

/**
 * The engine `name`, loaded now: cdktf through `iks-workload-identity/terraform`, CDK Terrain
 * through `iks-workload-identity/cdktn`. Both entry points export the constructs and `ibm`
 * bound to their framework, so the construct tree and the provider classes agree.
 */
export function loadTerraformEngine(name: EngineName): TerraformEngine {
  const entryPoint = checkTerraformEngine(name);
  const framework = require(name);
  const library = require(entryPoint);
  return { App: framework.App, TerraformStack: framework.TerraformStack, LocalBackend: framework.LocalBackend, IbmProvider: library.ibm.provider.IbmProvider, WorkloadIdentityProfile: library.WorkloadIdentityProfile };
}

/** A rendered namespace: its file's YAML, and the objects in it when cdk8s let us keep them. */
export interface RenderedNamespace {
  readonly yaml: string;
  readonly objects?: readonly any[];
}

/** Fails unless the engine `name` and its peers are installed; returns our entry point for it. */
export function checkTerraformEngine(name: EngineName): string {
  requirePeers([name, 'constructs'], 'Terraform');
  return name === 'cdktn' ? '../cdktn' : '../terraform';
}

/**
 * Renders the manifests of `declarations`, a file per namespace (`<namespace>.k8s.yaml`), in the
 * order namespaces first appear, and hands each to `rendered` as soon as it is made, so the
 * caller can write it and keep only what it needs. The rules are not run on them here: the
 * caller runs every rule over the result.
 */
export async function renderKubernetes(declarations: readonly WorkloadDeclaration[], rendered: (file: string, namespace: RenderedNamespace) => void | Promise<void>): Promise<void> {
  requirePeers(KUBERNETES_PEERS, 'Kubernetes');
  const { App, Chart, Yaml } = require('cdk8s') as typeof import('cdk8s');
  const k8s = require('../k8s') as typeof import('../k8s');
  const writeYaml = yamlWriter(Yaml);
  const byNamespace = new Map<string, WorkloadDeclaration[]>();
  for (const d of declarations) {
    const namespace = d.identity.serviceAccount.namespace;
    const group = byNamespace.get(namespace);
    if (group) group.push(d);
    else byNamespace.set(namespace, [d]);
  }
  for (const [namespace, group] of byNamespace) {
    // An App per namespace: cdk8s validates the whole app again for every chart it writes, so
    // one App of many charts costs objects x charts (examples/platform/k8s.ts).
    const app = new App();
    // Every rule runs over the whole output before anything is written (synth, below): the
    // same rules at each workload's validation would judge each workload twice.
    leaveKubernetesRulesToCaller(app);
    const chart = new Chart(app, namespace, { namespace });
    for (const { identity, workload } of group) {
      new k8s.WorkloadIdentityServiceAccount(chart, `${identity.name}-sa`, { identity });
      new k8s.WorkloadIdentityDeployment(chart, identity.name, {
        identity,
        replicas: workload.replicas ?? 1,
        containers: [{ name: 'app', image: workload.image, portNumber: workload.port }],
      });
      new k8s.TokenFetchJob(chart, `${identity.name}-token-fetch`, { identity, clusterKind: workload.clusterKind });
    }
    // synthYaml() renders the chart with chart.toJson() and stringifies the result; keeping that
    // result spares the rules a parse of the YAML just written, the slowest step at scale. Should
    // a cdk8s version render otherwise, nothing is kept and the YAML is parsed instead.
    let objects: any[] | undefined;
    const toJson = chart.toJson.bind(chart);
    chart.toJson = () => (objects = toJson());
    await rendered(`${namespace}${app.outputFileExtension}`, { yaml: writeYaml(() => app.synthYaml()), objects });
  }
}

/** Every file the engine writes for one stack of `declarations`, by relative path. */
export function renderTerraform(declarations: readonly WorkloadDeclaration[], stackName: string, engine: TerraformEngine): Map<string, string> {
  // The frameworks write files themselves: into a private folder, read back, then removed.
  return filesWrittenBy((outdir) => {
    const app = new engine.App({ outdir });
    const stack = new engine.TerraformStack(app, stackName);
    // Credentials and region come from the environment of `terraform plan` (IC_API_KEY,
    // IC_REGION); trusted profiles and their policies are global to the account.
    new engine.IbmProvider(stack, 'ibm', {});
    // The framework's default state path is absolute, naming the folder synth ran in: output
    // that differs between machines. In the stack's folder, state is also a working file the
    // next synth keeps.
    new engine.LocalBackend(stack, { path: 'terraform.tfstate' });
    for (const { identity } of declarations) new engine.WorkloadIdentityProfile(stack, identity.name, { identity });
    app.synth();
  });
}

/** Runs `synth`; resolves to the exit status. Problems go to `err`, progress to `progress`. */
export async function synth(options: SynthOptions, err: (line: string) => void, progress: (line: string) => void): Promise<number> {
  // Peers are checked before the file is read: a missing install is the first thing to fix.
  if (options.k8sOut !== undefined) requirePeers(KUBERNETES_PEERS, 'Kubernetes');
  if (options.terraformOut !== undefined) checkTerraformEngine(options.engine);

  // The Terraform side renders in a worker thread while this one checks the file and renders the
  // Kubernetes side; the worker starts now, so the engine loads while the file is read.
  const early = options.terraformOut !== undefined ? startTerraformWorker({ source: shownPath(options.file), stack: options.stack, engine: options.engine }) : undefined;
  let data: unknown;
  try {
    data = withDefaultIamEndpoint(readDeclarationsFile(options.file, { maxFileSize: options.maxFileSize }), options.iamEndpoint);
  } catch (e) {
    await early?.cancel();
    throw e;
  }
  const entries = (data as { identities?: unknown })?.identities;
  const terraformJob = early?.render(data, Array.isArray(entries) ? entries.length : 0);
  let folders: OutputFolders | undefined;
  try {
    const declarations = workloadDeclarationsFromData(data, shownPath(options.file), { requireWorkload: options.k8sOut !== undefined });
    progress(`read ${declarations.length} identities from ${shownPath(options.file)}`);
    // Declarations are checked before the folders are locked: a bad entry touches nothing.
    const terraformOut = options.terraformOut;
    const targets = [options.k8sOut, terraformOut].filter((d): d is string => d !== undefined);
    // The stack's provider lock, plugins and any local state stay (docs/outputs.md).
    folders = openOutputFolders(targets, { keep: (folder, rel) => folder === terraformOut && isTerraformWorkingFile(rel) });
    const { status, written } = await renderAndCheck(declarations, options, folders, terraformJob, err, progress);
    if (status !== 0) {
      folders.abandon();
      return status;
    }
    folders.commit();
    progress(`wrote ${written} files to ${targets.join(' and ')}`);
    return 0;
  } catch (e) {
    folders?.abandon();
    throw e;
  } finally {
    // A worker still running (a failure on this side) is ended; after its result this does nothing.
    await terraformJob?.cancel();
  }
}

/**
 * Renders both sides into the staging folders of `folders` (the Kubernetes side here, the
 * Terraform side from `terraformJob`), then runs every rule over them. Resolves to the exit
 * status, 0 when the staging folders hold outputs that pass every rule, and the files written.
 */
async function renderAndCheck(declarations: readonly WorkloadDeclaration[], options: SynthOptions, folders: OutputFolders, terraformJob: TerraformJob | undefined, err: (line: string) => void, progress: (line: string) => void): Promise<{ status: number; written: number }> {
  const NOTHING_WRITTEN = 'nothing was written: both output folders are as they were';
  const failed = { status: 1, written: 0 };
  const [k8sStaging, terraformStaging] = options.k8sOut !== undefined ? folders.staging : [undefined, folders.staging[0]];
  const kubernetes: KubernetesDocument[] = [];
  const terraform: TerraformDocument[] = [];
  let written = 0;
  let terraformEnded = terraformJob === undefined;
  let lastMemoryCheck = -Infinity;
  void terraformJob?.result.then(() => { terraformEnded = true; });
  if (options.k8sOut !== undefined) {
    const k8sOut = options.k8sOut;
    let files = 0;
    const done = await renderSide(err, 'Kubernetes', () => renderKubernetes(declarations, async (name, { yaml, objects }) => {
      // Both sides of a large input at once can outgrow MEMORY_BUDGET_MB: this side then waits for
      // the Terraform worker to end (its memory is returned when its thread ends) and goes on.
      // Reading the resident set costs up to a millisecond here: at most every 250 ms.
      const now = performance.now();
      const rss = !terraformEnded && now - lastMemoryCheck >= 250 ? process.memoryUsage.rss() : 0;
      if (rss > 0) lastMemoryCheck = now;
      if (rss > (options.memoryBudgetMb ?? MEMORY_BUDGET_MB) * 1024 * 1024) {
        progress(`waiting for the Terraform side to end before rendering on (${Math.round(rss / 1048576)} MB in use)`);
        await terraformJob!.result;
        await terraformJob!.cancel();
      }
      writeStagedFile(k8sStaging!, name, yaml);
      files += 1;
      written += 1;
      // The rules name each object's file as it will be once the folder is in place.
      const file = path.join(k8sOut, name);
      if (objects) kubernetes.push(...objects.map((manifest) => ({ file, manifest })));
      else kubernetes.push(...decodeKubernetesFile(file, Buffer.from(yaml, 'utf8')));
    }));
    if (!done) {
      err(NOTHING_WRITTEN);
      return failed;
    }
    progress(`rendered ${files} namespaces (${kubernetes.length} Kubernetes objects)`);
  }
  // The rules `check` runs, over what is about to be written: the outputs pass `check`. Those
  // that judge the Kubernetes side alone run now, while the Terraform worker may still render;
  // the others once both sides are in. Each rule runs once, so the merged report is the one a
  // single run gives.
  const kubernetesFacts = options.k8sOut !== undefined ? extractFacts({ kubernetes }).kubernetes : undefined;
  const reports = kubernetesFacts ? [runRulesOnFacts({ kubernetes: kubernetesFacts }, KUBERNETES_SIDE_RULES)] : [];
  if (options.terraformOut !== undefined) {
    const result = await terraformJob!.result;
    if ('error' in result) {
      err(`Terraform side: ${withoutSkipAdvice(result.error)}`);
      err(NOTHING_WRITTEN);
      return failed;
    }
    for (const [name, text] of result.files) {
      writeStagedFile(terraformStaging!, name, text);
      written += 1;
      if (!name.endsWith('.tf.json')) continue;
      const file = path.join(options.terraformOut, name);
      terraform.push(mergeModule(path.dirname(file), [{ file, config: JSON.parse(text) }]));
    }
    progress(`rendered the Terraform stack ${options.stack} (${declarations.length} identities)`);
  }

  const terraformFacts = options.terraformOut !== undefined ? extractFacts({ terraform }).terraform : undefined;
  reports.push(runRulesOnFacts({ kubernetes: kubernetesFacts, terraform: terraformFacts }, kubernetesFacts ? OTHER_RULES : ALL_RULES));
  const report = mergeReports(...reports);
  const open = report.findings.filter((f) => f.severity === 'error' && f.acknowledged === undefined);
  if (open.length > 0) {
    for (const f of open) err(formatFinding(f));
    err(`${open.length} rule error(s); ${NOTHING_WRITTEN}`);
    return failed;
  }
  progress(`checked: ${report.warnings} warning(s), ${report.acknowledged} acknowledged`);
  if (report.warnings > 0) err(`${report.warnings} rule warning(s); run iks-workload-identity check on the output to see them`);
  return { status: 0, written };
}

/** The rules that need more than the Kubernetes side. */
const OTHER_RULES: readonly Rule[] = ALL_RULES.filter((r) => !KUBERNETES_SIDE_RULES.includes(r));

/**
 * The memory (resident set, MB) above which the Kubernetes side waits for the Terraform worker
 * to end before it renders on. At 10,000 identities both sides at once reached 1.2 GB; with this
 * budget the peak was 0.72 to 0.92 GB (at 640 MB, up to 0.93 GB, a little faster). 1,000
 * identities take about 300 MB: nothing waits.
 */
export const MEMORY_BUDGET_MB = 576;

/**
 * Runs `render`; false when a construct refused a declaration (its message, which names the
 * identity and field, goes to `err`). A missing peer is not such a refusal.
 */
async function renderSide(err: (line: string) => void, side: string, render: () => Promise<void>): Promise<boolean> {
  try {
    await render();
    return true;
  } catch (e) {
    if (e instanceof SetupError) throw e;
    err(`${side} side: ${withoutSkipAdvice((e as Error)?.message ?? String(e))}`);
    return false;
  }
}

/** A framework's validation message without its advice to skip validation: an App option this command does not offer. */
function withoutSkipAdvice(message: string): string {
  return message.replace(/\n*If you wish to ignore these validations.*$/s, '');
}

/** `data` with `iamEndpoint` set on every entry that sets none; anything else is left to the loader. */
function withDefaultIamEndpoint(data: unknown, iamEndpoint: string | undefined): unknown {
  if (iamEndpoint === undefined || data === null || typeof data !== 'object' || !Array.isArray((data as { identities?: unknown }).identities)) return data;
  const identities = ((data as { identities: unknown[] }).identities).map((entry) =>
    entry !== null && typeof entry === 'object' && !Array.isArray(entry) && !Object.hasOwn(entry, 'iamEndpoint') ? { ...entry, iamEndpoint } : entry);
  return { ...data, identities };
}
