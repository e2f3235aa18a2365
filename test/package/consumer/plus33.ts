// A cdk8s app on the newest cdk8s-plus line (33), without cdk8s-plus-27: its workloads take the
// identity with the same call. test/package/consumer.test.ts compiles and runs it.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';
import { WorkloadIdentityBinding } from 'iks-workload-identity/k8s';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node plus33.js <outdir>');

const identity = new WorkloadIdentity({
  name: 'orders',
  serviceAccount: { namespace: 'orders' },
  clusters: [{ kind: ClusterKind.ROKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:c0ffee00cluster02::' }],
});

const app = new App({ outdir });
const chart = new Chart(app, 'orders', { namespace: 'orders' });
new kplus.ServiceAccount(chart, 'ServiceAccount', { metadata: { name: 'orders' }, automountToken: false });
const api = new kplus.Deployment(chart, 'Api', {
  metadata: { name: 'api' },
  containers: [{ name: 'api', image: 'icr.io/orders/api:1.0.0', portNumber: 8080 }],
  initContainers: [{ name: 'proxy', image: 'icr.io/orders/proxy:1.0.0', restartPolicy: kplus.ContainerRestartPolicy.ALWAYS }],
});
WorkloadIdentityBinding.bind(api, { identity });
app.synth();
