// The Kubernetes rules inside `app.synth()`: a bound workload that breaks one fails synthesis
// before any file is written, unless the identity acknowledges the rule.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterKind, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import { WorkloadIdentityBinding, WorkloadIdentityDeployment } from '../../src/k8s';
import { ACKNOWLEDGE_ANNOTATION_PREFIX, runRules } from '../../src/rules';
import { leaveKubernetesRulesToCaller } from '../../src/rules/synth';
import { freshOutdir, removeTmpDirs, synthToFreshDir } from '../k8s/helpers';
import { CLUSTER_CRN, TOKEN_FILE } from './fixtures';

afterEach(removeTmpDirs);

const BAD_COMMAND = ['/bin/sh', '-c', `curl -X POST https://iam.cloud.ibm.com/identity/token -d cr_token=$(cat ${TOKEN_FILE}) -d profile_name=orders`];
const K4_REASON = 'throwaway smoke test on a single-tenant dev cluster';

function identity(overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentity {
  return new WorkloadIdentity({ name: 'orders', serviceAccount: { namespace: 'shop' }, clusters: [{ kind: ClusterKind.IKS, crn: CLUSTER_CRN }], ...overrides });
}

/** A hand-built cdk8s-plus Job running `command`, bound to `id`. */
function addJob(chart: Chart, id: WorkloadIdentity, command = BAD_COMMAND): kplus.Job {
  const job = new kplus.Job(chart, 'fetch', { metadata: { name: 'fetch' } });
  job.addContainer({ name: 'curl', image: 'curlimages/curl:8.11.1', command, securityContext: { user: 100, group: 101 } });
  WorkloadIdentityBinding.bind(job, { identity: id });
  return job;
}

describe('the Kubernetes rules at synthesis', () => {
  test('fail app.synth() on a Job putting the token on its command line, and write nothing', () => {
    // GIVEN a bound cdk8s-plus Job running IBM's curl -d cr_token=$(cat <token file>)
    // WHEN the app is synthesized
    const { error, files } = synthToFreshDir((app) => addJob(new Chart(app, 'c', { namespace: 'shop' }), identity()));
    // THEN synthesis fails naming the rule, the Job and the way out, and no manifest is written
    expect(error?.message).toContain('IWI-K4 Job shop/fetch: container "curl" reads the token file into a command line');
    expect(error?.message).toContain("add { ruleId: 'IWI-K4', reason: '<why>' } to the identity's acknowledgements");
    expect(files).toEqual([]);
  });

  test('pass when the identity acknowledges the rule, and record the reason as an annotation', () => {
    // GIVEN the same Job, with an identity acknowledging IWI-K4
    const app = new App({ outdir: freshOutdir() });
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    addJob(chart, identity({ acknowledgements: [{ ruleId: 'IWI-K4', reason: K4_REASON }] }));
    // WHEN the chart is synthesized
    const job = Testing.synth(chart).find((m: any) => m.kind === 'Job');
    // THEN it succeeds and the Job carries the reason under the rule's annotation
    expect(job.metadata.annotations).toEqual({ [`${ACKNOWLEDGE_ANNOTATION_PREFIX}IWI-K4`]: K4_REASON });
  });

  test('record no annotation for rules that judge Terraform resources', () => {
    // GIVEN an identity acknowledging only IWI-P1, a policy rule, and a clean Job
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    addJob(chart, identity({ acknowledgements: [{ ruleId: 'IWI-P1', reason: 'break-glass identity for the KMS team' }] }), ['/bin/true']);
    // WHEN the chart is synthesized
    const job = Testing.synth(chart).find((m: any) => m.kind === 'Job');
    // THEN the Job has no annotation
    expect(job.metadata.annotations).toBeUndefined();
  });

  test('render each bound workload once per synthesis, however many charts the app has', () => {
    // GIVEN an app of three charts, one with a bound Job, with rendering counted
    const render = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const app = new App({ outdir: freshOutdir() });
      const job = addJob(new Chart(app, 'c', { namespace: 'shop' }), identity(), ['/bin/true']);
      new Chart(app, 'd');
      new Chart(app, 'e');
      // WHEN the app is synthesized (cdk8s validates the whole app again for every chart it writes)
      app.synth();
      // THEN cdk8s-plus rendered the Job once: every validation and the write shared that render
      expect(render.mock.contexts.filter((c) => c === ApiObject.of(job))).toHaveLength(1);
    } finally {
      render.mockRestore();
    }
  });

  test('render again when the workload changes between a validation and the write', () => {
    // GIVEN a bound Job in one chart, validated by synthesizing another chart of the same app
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    const job = addJob(chart, identity(), ['/bin/true']);
    Testing.synth(new Chart(app, 'other'));
    // WHEN a container is added in the same tick and the Job's chart is synthesized
    job.addContainer({ name: 'late', image: 'example/late:1.0' });
    const manifest = Testing.synth(chart).find((m: any) => m.kind === 'Job');
    // THEN the manifest has the new container
    expect(manifest.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['curl', 'late']);
  });

  test('never reuse a render after the synthesis that made it', async () => {
    // GIVEN a bound Job in one chart, validated by synthesizing another chart of the same app
    const app = Testing.app();
    const job = addJob(new Chart(app, 'c', { namespace: 'shop' }), identity(), ['/bin/true']);
    Testing.synth(new Chart(app, 'other'));
    await Promise.resolve();
    // WHEN a container is added and the Job is rendered again
    job.addContainer({ name: 'late', image: 'example/late:1.0' });
    const manifest = ApiObject.of(job).toJson();
    // THEN the render has the new container
    expect(manifest.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['curl', 'late']);
  });
});

describe('a synthesis retried after a fix in the same turn', () => {
  test('passes once the conflict is gone', () => {
    // GIVEN a Deployment whose container names another profile, which fails synthesis
    const chart = new Chart(new App({ outdir: freshOutdir() }), 'c', { namespace: 'shop' });
    const d = new WorkloadIdentityDeployment(chart, 'D', {
      identity: identity(),
      containers: [{ name: 'app', image: 'example/app:1.0', envVariables: { IBMCLOUD_CR_PROFILE: kplus.EnvValue.fromValue('other') } }],
    });
    expect(() => Testing.synth(chart)).toThrow(/IBMCLOUD_CR_PROFILE/);
    // WHEN the variable is fixed and the chart synthesized again in the same synchronous turn
    d.containers[0].env.addVariable('IBMCLOUD_CR_PROFILE', kplus.EnvValue.fromValue('orders'));
    // THEN the synthesis passes: the earlier failing verdict was not kept
    expect(Testing.synth(chart).map((m: { kind: string }) => m.kind)).toContain('Deployment');
  });
});

describe('an app whose caller runs the rules over the whole output (the synth command)', () => {
  test('leaves the rules to the caller: the workload renders, for the caller to judge', () => {
    // GIVEN the Job that puts the token on its command line, in an app marked as the synth command marks its apps
    const app = new App({ outdir: freshOutdir() });
    leaveKubernetesRulesToCaller(app);
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    addJob(chart, identity());
    // WHEN the chart is synthesized
    const manifests = Testing.synth(chart);
    // THEN it renders, and the caller's pass over the output reports the leak
    const report = runRules({ kubernetes: manifests.map((manifest: any) => ({ file: 'shop.k8s.yaml', manifest })) });
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toContain('IWI-K4');
  });

  test('still refuses a conflict with the identity, which no rule reports', () => {
    // GIVEN a marked app with a Deployment whose container names another profile
    const app = new App({ outdir: freshOutdir() });
    leaveKubernetesRulesToCaller(app);
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new WorkloadIdentityDeployment(chart, 'D', {
      identity: identity(),
      containers: [{ name: 'app', image: 'example/app:1.0', envVariables: { IBMCLOUD_CR_PROFILE: kplus.EnvValue.fromValue('other') } }],
    });
    // WHEN the chart is synthesized
    // THEN synthesis fails on the conflict
    expect(() => Testing.synth(chart)).toThrow(/IBMCLOUD_CR_PROFILE/);
  });

  test('is a mark no public entry point offers, so a program cannot turn its guard off', () => {
    // GIVEN every entry point of the package
    const entryPoints = [require('../../src'), require('../../src/k8s'), require('../../src/terraform')];
    // WHEN their exports are listed
    const names = entryPoints.flatMap((m) => Object.keys(m));
    // THEN none offers the mark
    expect(names.filter((n) => /leave|caller/i.test(n))).toEqual([]);
  });
});
