import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Cron, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { buildChart } from '../../examples/k8s/main';
import { IamEndpoint } from '../../src';
import { TokenFetchJob, WorkloadIdentityBinding, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import { freshOutdir, makeIdentity, podSpec, removeTmpDirs, yamlFilesIn } from './helpers';

afterEach(removeTmpDirs);

/** A chart using every construct of the Kubernetes side. */
function buildEverything(app: App): Chart {
  const chart = new Chart(app, 'everything', { namespace: 'shop' });
  const identity = makeIdentity({ sdkServices: ['secrets_manager', 'cloud-object-storage'], iamEndpoint: IamEndpoint.PRIVATE });
  new WorkloadIdentityServiceAccount(chart, 'Sa', { identity });
  const d = new WorkloadIdentityDeployment(chart, 'Web', {
    identity,
    containers: [{ name: 'app', image: 'example/app:1.0', portNumber: 8080 }],
    initContainers: [{ name: 'init', image: 'example/init:1.0' }],
  });
  d.containers[0].mount('/cache', kplus.Volume.fromEmptyDir(chart, 'Cache', 'cache'));
  const cron = new kplus.CronJob(chart, 'Nightly', { schedule: Cron.daily(), containers: [{ name: 'job', image: 'example/job:1.0' }] });
  WorkloadIdentityBinding.bind(cron, { identity });
  new TokenFetchJob(chart, 'Fetch', { identity });
  return chart;
}

describe('determinism', () => {
  test('the example app synthesizes to identical YAML in two separate apps', () => {
    // GIVEN the example chart built in two separate apps
    const first = new App({ outdir: freshOutdir() });
    const second = new App({ outdir: freshOutdir() });
    buildChart(first);
    buildChart(second);
    // WHEN both are synthesized to YAML
    // THEN the YAML is byte-identical
    expect(second.synthYaml()).toBe(first.synthYaml());
  });

  test('a chart using every construct synthesizes to identical YAML in two separate apps', () => {
    // GIVEN the same chart built in two separate apps
    const first = buildEverything(new App({ outdir: freshOutdir() }));
    const second = buildEverything(new App({ outdir: freshOutdir() }));
    // WHEN both are synthesized
    // THEN the YAML is byte-identical
    expect(Yaml.stringify(...Testing.synth(second))).toBe(Yaml.stringify(...Testing.synth(first)));
  });

  test('app.synth() writes byte-identical files in two separate apps', () => {
    // GIVEN the same chart built in two apps writing to two directories
    const dirs = [freshOutdir(), freshOutdir()];
    for (const outdir of dirs) {
      const app = new App({ outdir });
      buildEverything(app);
      // WHEN each app is synthesized
      app.synth();
    }
    // THEN both directories hold the same files with the same bytes
    const [a, b] = dirs.map((d) => yamlFilesIn(d).map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')]));
    expect(a.map(([f]) => f)).toEqual(['everything.k8s.yaml']);
    expect(b).toEqual(a);
  });

  test('synthesizing the same chart twice adds the identity once', () => {
    // GIVEN a chart with a bound workload
    const chart = buildEverything(new App({ outdir: freshOutdir() }));
    // WHEN it is synthesized twice
    const once = Testing.synth(chart);
    const twice = Testing.synth(chart);
    // THEN the results are equal and the Deployment has a single token volume
    expect(twice).toEqual(once);
    const deployment = twice.find((m: any) => m.kind === 'Deployment');
    expect(podSpec(deployment).volumes.filter((v: any) => v.name === 'sa-token')).toHaveLength(1);
  });
});
