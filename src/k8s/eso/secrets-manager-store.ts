// ESO's SecretStore / ClusterSecretStore for IBM Secrets Manager, authenticating with the
// identity's trusted profile (`containerAuth`). What ESO v2.9.0 requires, from
// external-secrets/external-secrets@v2.9.0 `providers/v1/ibm/provider.go` (ValidateStore,
// NewClient) and `apis/externalsecrets/v1/secretstore_ibm_types.go`:
// - `serviceUrl` is required; it is the instance's base URL, without `/api`;
// - `auth` holds exactly one of `containerAuth` and `secretRef`; `containerAuth.profile` must
//   not be empty;
// - `tokenLocation` defaults to /var/run/secrets/tokens/vault-token, not this library's token
//   file, so it is always set; `iamEndpoint` defaults to the public endpoint, so it is always
//   set too, and both come from the identity, as the pods' own settings do.
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemCollector, WorkloadIdentity } from '../../index';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REGION = /^[a-z]{2}-[a-z]{2,8}$/;

/** Where a Secrets Manager instance is reached. */
export interface SecretsManagerLocation {
  /** The instance's GUID (not its CRN). */
  readonly instanceId: string;
  /** The instance's region, e.g. `us-south`. */
  readonly region: string;
  /**
   * Use the instance's private endpoint (`<id>.private.<region>...`), reachable from IBM's
   * private network only.
   * @default false
   */
  readonly privateEndpoint?: boolean;
}

/**
 * The base URL ESO's `serviceUrl` takes: `https://<id>.<region>.secrets-manager.appdomain.cloud`,
 * or `https://<id>.private.<region>.secrets-manager.appdomain.cloud`; no `/api`.
 */
export function secretsManagerServiceUrl(location: SecretsManagerLocation): string {
  const problems = new ProblemCollector('secretsManagerServiceUrl');
  checkLocation(problems, '', location);
  problems.throwIfAny();
  return serviceUrlOf(location);
}

function serviceUrlOf(location: SecretsManagerLocation): string {
  const privatePart = location.privateEndpoint ? 'private.' : '';
  return `https://${location.instanceId}.${privatePart}${location.region}.secrets-manager.appdomain.cloud`;
}

function checkLocation(problems: ProblemCollector, prefix: string, location: SecretsManagerLocation | undefined): void {
  if (typeof location?.instanceId !== 'string' || !GUID.test(location.instanceId)) {
    problems.add(`${prefix}instanceId`, location?.instanceId, 'the instance ID is the GUID of the Secrets Manager instance (lower-case, 8-4-4-4-12 hex digits), not its CRN or name; find it with "ibmcloud resource service-instance <name> --id"');
  }
  if (typeof location?.region !== 'string' || !REGION.test(location.region)) {
    problems.add(`${prefix}region`, location?.region, 'the region is the instance\'s IBM Cloud region, e.g. "us-south" or "eu-de"');
  }
}

/** Properties of an `IbmSecretsManagerStore`. */
export interface IbmSecretsManagerStoreProps {
  /** The identity ESO's controller runs as: the store names its profile, token file and IAM endpoint. */
  readonly identity: WorkloadIdentity;
  /**
   * The instance to read, by ID and region; the URL is derived from it. Give this or `serviceUrl`.
   * @default - from `serviceUrl`
   */
  readonly secretsManager?: SecretsManagerLocation;
  /**
   * The instance's base URL, as its "Endpoints" page shows it, without `/api`. Give this or
   * `secretsManager`.
   * @default - derived from `secretsManager`
   */
  readonly serviceUrl?: string;
  /**
   * A `ClusterSecretStore` (usable from every namespace) instead of a namespaced `SecretStore`.
   * @default false
   */
  readonly clusterWide?: boolean;
  /**
   * The store's name.
   * @default - the identity's name
   */
  readonly name?: string;
  /**
   * The `SecretStore`'s namespace (a `ClusterSecretStore` has none).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * An External Secrets Operator store for IBM Secrets Manager (`external-secrets.io/v1`) that
 * authenticates as the identity's trusted profile: `provider.ibm.auth.containerAuth` names the
 * profile, the token file the binding mounts and the identity's IAM endpoint. Bind the same
 * identity to ESO's pods with `ExternalSecretsOperator.bind`.
 */
export class IbmSecretsManagerStore extends Construct {
  /** The `SecretStore` or `ClusterSecretStore`. */
  public readonly apiObject: ApiObject;
  /** The `serviceUrl` the store uses. */
  public readonly serviceUrl: string;

  constructor(scope: Construct, id: string, props: IbmSecretsManagerStoreProps) {
    super(scope, id);
    const identity = props?.identity;
    if (!(identity instanceof WorkloadIdentity)) {
      throw new Error(`IbmSecretsManagerStore "${id}": props.identity must be a WorkloadIdentity`);
    }
    const problems = new ProblemCollector(identity.name);
    if ((props.secretsManager === undefined) === (props.serviceUrl === undefined)) {
      problems.add('IbmSecretsManagerStore.secretsManager', props.secretsManager, `give exactly one of secretsManager ({ instanceId, region }) and serviceUrl (got ${props.serviceUrl === undefined ? 'neither' : 'both'}); ESO's webhook refuses a store without serviceUrl`);
    } else if (props.secretsManager !== undefined) {
      checkLocation(problems, 'IbmSecretsManagerStore.secretsManager.', props.secretsManager);
    } else {
      const why = serviceUrlProblem(props.serviceUrl!);
      if (why) problems.add('IbmSecretsManagerStore.serviceUrl', props.serviceUrl, why);
    }
    if (props.clusterWide && props.namespace !== undefined) {
      problems.add('IbmSecretsManagerStore.namespace', props.namespace, 'a ClusterSecretStore is cluster-scoped and has no namespace; leave namespace out, or drop clusterWide for a SecretStore');
    }
    problems.throwIfAny();

    this.serviceUrl = props.serviceUrl ?? serviceUrlOf({
      ...props.secretsManager!,
      // A store for an identity on a private IAM endpoint reaches the instance privately too.
      privateEndpoint: props.secretsManager!.privateEndpoint ?? !identity.iamEndpoint.isPublic,
    });
    const kind = props.clusterWide ? 'ClusterSecretStore' : 'SecretStore';
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind,
      metadata: {
        name: props.name ?? identity.name,
        ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
      },
      spec: {
        provider: {
          ibm: {
            serviceUrl: this.serviceUrl,
            auth: {
              containerAuth: {
                profile: identity.profileName,
                tokenLocation: identity.token.filePath,
                iamEndpoint: identity.iamEndpoint.url,
              },
            },
          },
        },
      },
    });
    // cdk8s gives every object the chart's namespace; a cluster-scoped one must not have it.
    if (props.clusterWide && this.apiObject.metadata.namespace !== undefined) {
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.node.defaultChild = this.apiObject;
  }
}

function serviceUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a URL; give https://<instance ID>.<region>.secrets-manager.appdomain.cloud';
  }
  if (parsed.protocol !== 'https:') return 'the Secrets Manager API is served over https:// only';
  if (parsed.pathname.replace(/\/+$/, '') === '/api') return 'give the base URL without "/api": the Secrets Manager SDK inside ESO adds /api/v2 itself';
  if (parsed.pathname !== '/' || url.endsWith('/') || parsed.search || parsed.hash) return 'give the base URL only, without a path, query or trailing "/"';
  return undefined;
}
