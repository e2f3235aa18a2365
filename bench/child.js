// One measurement in a fresh process: `node bench/child.js <case> <n> <outdir>`. Prints one JSON
// line: the synthesis time (building the constructs from parsed declarations and writing the
// output, as `app.synth()` does for a user), the time to load the modules, and peak RSS.
'use strict';
const path = require('path');

const [, , which, nArg, outdir] = process.argv;
const n = Number(nArg);
const ROOT = path.resolve(__dirname, '..');
const PLATFORM = path.join(ROOT, 'build', 'examples', 'platform');

const now = () => Number(process.hrtime.bigint()) / 1e6;

function measure(load, run) {
  const t0 = now();
  const modules = load();
  const data = require('./data').generateDeclarations(n);
  const t1 = now();
  const cpu = process.cpuUsage();
  run(modules, data);
  const t2 = now();
  const used = process.cpuUsage(cpu);
  return { ms: t2 - t1, cpuMs: (used.user + used.system) / 1000, loadMs: t1 - t0 };
}

const CASES = {
  // (a) the library, as examples/platform/k8s.ts uses it: validate the declarations, a chart
  // per namespace, each synthesized by its own App, written as <namespace>.k8s.yaml.
  'k8s-library': () => measure(
    () => ({ k8s: require(path.join(PLATFORM, 'k8s')), decl: require(path.join(PLATFORM, 'declarations')) }),
    ({ k8s, decl }, data) => {
      k8s.synthKubernetes(decl.platformIdentitiesFromData(data, 'bench'), outdir);
    }),
  // (b) plain cdk8s-plus-27, the same objects and layout.
  'k8s-plain': () => measure(
    () => ({ plain: require('./plain-k8s') }),
    ({ plain }, data) => {
      plain.synthPlain(data, outdir);
    }),
  // (c) the library, as examples/platform/terraform.ts uses it: one stack.
  'terraform-library': () => measure(
    () => ({ App: require('cdktf').App, tf: require(path.join(PLATFORM, 'terraform')), decl: require(path.join(PLATFORM, 'declarations')) }),
    ({ App, tf, decl }, data) => {
      const app = new App({ outdir });
      tf.buildStack(app, decl.platformIdentitiesFromData(data, 'bench'));
      app.synth();
    }),
  // (d) the generated provider classes used directly.
  'terraform-plain': () => measure(
    () => ({ App: require('cdktf').App, plain: require('./plain-terraform') }),
    ({ App, plain }, data) => {
      const app = new App({ outdir });
      plain.buildPlainStack(app, data);
      app.synth();
    }),
  // The root entry point, by package name, as a user imports it.
  'root-import': () => {
    const t0 = now();
    require('iks-workload-identity');
    const ms = now() - t0;
    const frameworks = Object.keys(require.cache).filter((f) => /[\\/]node_modules[\\/](cdk8s|cdk8s-plus-27|cdktf|constructs)[\\/]/.test(f));
    return { ms, loadsFrameworks: frameworks.length > 0, frameworks: [...new Set(frameworks.map((f) => f.split(/[\\/]node_modules[\\/]/).pop().split(/[\\/]/)[0]))] };
  },
};

if (!CASES[which]) {
  process.stderr.write(`unknown case ${which}; one of ${Object.keys(CASES).join(', ')}\n`);
  process.exit(2);
}
const result = CASES[which]();
result.peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
