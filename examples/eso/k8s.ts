// The Kubernetes side: ESO's vendored manifest, bound to the identity in one call, a
// ClusterSecretStore that authenticates as the trusted profile, and an ExternalSecret that syncs
// one Secrets Manager secret into a Kubernetes Secret of namespace "payments".
//   node build/examples/eso/k8s.js [outdir]   (default dist/eso)
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Include } from 'cdk8s';
import { ExternalSecretsOperator, IbmSecretsManagerStore } from 'iks-workload-identity/k8s';
import { externalSecrets, SECRETS_MANAGER } from './identity';

/** The vendored manifest: beside the compiled file, or in the source tree. */
export function vendoredManifest(): string {
  const candidates = [path.join(__dirname, 'vendor', 'external-secrets.yaml'), path.resolve(__dirname, '..', '..', '..', 'examples', 'eso', 'vendor', 'external-secrets.yaml')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`examples/eso: vendor/external-secrets.yaml not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function buildCharts(app: App): Chart[] {
  const operator = new Chart(app, 'external-secrets');
  const eso = new Include(operator, 'ExternalSecrets', { url: vendoredManifest() });
  // The controller runs as the trusted service account; the webhook only gets the token file,
  // which it opens when it validates a store.
  ExternalSecretsOperator.bind(eso, { identity: externalSecrets });
  const store = new IbmSecretsManagerStore(operator, 'Store', {
    identity: externalSecrets,
    secretsManager: SECRETS_MANAGER,
    clusterWide: true,
  });

  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  new ApiObject(payments, 'DatabaseCredentials', {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'payments-db' },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: store.apiObject.name },
      target: { name: 'payments-db', creationPolicy: 'Owner' },
      data: [
        // <type>/<secret ID>: a username_password secret of the group the profile may read.
        { secretKey: 'username', remoteRef: { key: 'username_password/0b5571f7-21e6-42b7-91c5-3f5ac9793a46', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'username_password/0b5571f7-21e6-42b7-91c5-3f5ac9793a46', property: 'password' } },
      ],
    },
  });
  return [operator, payments];
}

if (require.main === module) {
  const app = new App({ outdir: process.argv[2] ?? 'dist/eso' });
  buildCharts(app);
  app.synth();
}
