const engine = process.argv[2];
const core = require(require.resolve(engine, { paths: [process.cwd()] }));
const tf = require(`${process.cwd()}/lib/${engine === 'cdktn' ? 'cdktn' : 'terraform'}`);
const { WorkloadIdentity } = require(`${process.cwd()}/lib`);
const app = new core.App({ outdir: process.argv[3] });
const id = new WorkloadIdentity({ name: 'payments-api', serviceAccount: { namespace: 'payments' }, clusters: [{ kind: 'IKS', lookup: { nameOrId: 'prod' } }], policies: [{ name: 'read-secrets', roles: ['SecretsReader'], resources: { service: 'secrets-manager', resourceInstanceId: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' } }] });
new tf.WorkloadIdentityModule(app, 'workload-identities', { identities: [id] });
app.synth();
