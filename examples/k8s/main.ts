// The cdk8s app for the embedded example: `npx cdk8s synth` writes dist/payments-api.k8s.yaml.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from 'iks-workload-identity/k8s';
import { paymentsApi } from '../identity';

export function buildChart(app: App): Chart {
  const chart = new Chart(app, paymentsApi.name, { namespace: paymentsApi.serviceAccount.namespace });
  new WorkloadIdentityServiceAccount(chart, 'ServiceAccount', { identity: paymentsApi });
  new WorkloadIdentityDeployment(chart, 'Deployment', {
    identity: paymentsApi,
    replicas: 2,
    containers: [
      {
        name: 'app',
        image: 'icr.io/payments/payments-api:1.4.2',
        portNumber: 8080,
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
      },
    ],
  });
  new TokenFetchJob(chart, 'TokenFetch', { identity: paymentsApi });
  return chart;
}

if (require.main === module) {
  const app = new App();
  buildChart(app);
  app.synth();
}
