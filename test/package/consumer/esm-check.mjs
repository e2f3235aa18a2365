// Node's ESM loader reads the CommonJS entry points' named exports statically: an ESM consumer
// (`"type": "module"`) imports them by name. Prints what it imported.
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';
import { TokenFetchJob, WorkloadIdentityBinding, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from 'iks-workload-identity/k8s';
import { ibm, WorkloadIdentityProfile } from 'iks-workload-identity/terraform';

const imported = { ClusterKind, WorkloadIdentity, TokenFetchJob, WorkloadIdentityBinding, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount, ibm, WorkloadIdentityProfile, IbmProvider: ibm?.provider?.IbmProvider };
process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(imported).map(([k, v]) => [k, typeof v]))));
