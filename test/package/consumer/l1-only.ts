// A cdk8s app without any cdk8s-plus: L1 objects (what `cdk8s import` generates are ApiObjects)
// and a vendored YAML file brought in with Include, given the identity by `bind` and `bindAll`.
// test/package/consumer.test.ts installs the tarball with cdk8s and constructs only, compiles
// this file under strict and runs it; the second argument is the vendored file.
import { ApiObject, App, Chart, Include } from 'cdk8s';
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';
import { checkPodSecurityRestricted, WorkloadIdentityBinding } from 'iks-workload-identity/k8s';

const [outdir, vendored] = process.argv.slice(2);
if (!outdir || !vendored) throw new Error('usage: node l1-only.js <outdir> <vendored.yaml>');

const identity = new WorkloadIdentity({
  name: 'orders',
  serviceAccount: { namespace: 'orders' },
  clusters: [{ kind: ClusterKind.IKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:c0ffee00cluster01::' }],
  sdkServices: ['secrets_manager'],
});

const app = new App({ outdir });
const chart = new Chart(app, 'orders', { namespace: 'orders' });
new ApiObject(chart, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders' }, automountServiceAccountToken: false });
const api = new ApiObject(chart, 'Api', {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        containers: [{ name: 'api', image: 'icr.io/orders/api:1.0.0' }],
        initContainers: [{ name: 'proxy', image: 'icr.io/orders/proxy:1.0.0', restartPolicy: 'Always' }],
      },
    },
  },
});
WorkloadIdentityBinding.bind(api, { identity });
const vendor = new Include(chart, 'Vendor', { url: vendored });
export const bound: WorkloadIdentityBinding[] = WorkloadIdentityBinding.bindAll(vendor, { identity, select: { kind: 'CronJob', name: 'report' } });

const violations = checkPodSecurityRestricted(chart.toJson());
if (violations.length > 0) throw new Error(`Pod Security: ${JSON.stringify(violations)}`);
app.synth();
