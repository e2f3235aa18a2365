import { IamEndpoint, sdkEnvPrefix, WorkloadIdentity, WorkloadIdentityError } from '../../src';
import { expectOneProblem, propsWith } from './fixtures';

const TOKEN_FILE = '/var/run/secrets/tokens/sa-token';

describe('environment()', () => {
  test('configures each SDK service in order, then the IBM Cloud CLI, on the public endpoint', () => {
    // GIVEN SDK services secrets_manager and cloud-object-storage on the public endpoint
    const identity = new WorkloadIdentity(propsWith({ sdkServices: ['secrets_manager', 'cloud-object-storage'] }));
    // WHEN its environment is read
    const env = identity.environment();
    // THEN each service gets its prefix, and the CLI variables come last
    expect(env).toEqual([
      { name: 'SECRETS_MANAGER_AUTH_TYPE', value: 'container' },
      { name: 'SECRETS_MANAGER_IAM_PROFILE_NAME', value: 'payments-api' },
      { name: 'SECRETS_MANAGER_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'CLOUD_OBJECT_STORAGE_AUTH_TYPE', value: 'container' },
      { name: 'CLOUD_OBJECT_STORAGE_IAM_PROFILE_NAME', value: 'payments-api' },
      { name: 'CLOUD_OBJECT_STORAGE_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'payments-api' },
    ]);
  });

  test('adds <SERVICE>_AUTH_URL after each service\'s token file on the private endpoint', () => {
    // GIVEN the same services on the private endpoint
    const identity = new WorkloadIdentity(propsWith({
      sdkServices: ['secrets_manager', 'cloud-object-storage'],
      iamEndpoint: IamEndpoint.PRIVATE,
    }));
    // WHEN its environment is read
    const env = identity.environment();
    // THEN each service also points at the private URL
    expect(env.map((e) => e.name)).toEqual([
      'SECRETS_MANAGER_AUTH_TYPE',
      'SECRETS_MANAGER_IAM_PROFILE_NAME',
      'SECRETS_MANAGER_CR_TOKEN_FILENAME',
      'SECRETS_MANAGER_AUTH_URL',
      'CLOUD_OBJECT_STORAGE_AUTH_TYPE',
      'CLOUD_OBJECT_STORAGE_IAM_PROFILE_NAME',
      'CLOUD_OBJECT_STORAGE_CR_TOKEN_FILENAME',
      'CLOUD_OBJECT_STORAGE_AUTH_URL',
      'IBMCLOUD_CR_TOKEN',
      'IBMCLOUD_CR_PROFILE',
    ]);
    expect(env.filter((e) => e.name.endsWith('_AUTH_URL')).map((e) => e.value))
      .toEqual(['https://private.iam.cloud.ibm.com', 'https://private.iam.cloud.ibm.com']);
  });

  test('has no AUTH_URL on the public endpoint', () => {
    // GIVEN an identity on the public endpoint
    const identity = new WorkloadIdentity(propsWith({ iamEndpoint: IamEndpoint.PUBLIC }));
    // WHEN its environment is read
    const env = identity.environment();
    // THEN no variable sets the auth URL
    expect(env.some((e) => e.name.endsWith('_AUTH_URL'))).toBe(false);
  });

  test('sets only the IBM Cloud CLI variables when there are no SDK services', () => {
    // GIVEN an identity without sdkServices
    const identity = new WorkloadIdentity(propsWith({ sdkServices: undefined }));
    // WHEN its environment is read
    const env = identity.environment();
    // THEN only IBMCLOUD_CR_TOKEN and IBMCLOUD_CR_PROFILE are set
    expect(env).toEqual([
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'payments-api' },
    ]);
  });

  test('uses the profile name and the token file path of the identity', () => {
    // GIVEN a custom profile name and token location
    const identity = new WorkloadIdentity(propsWith({
      profileName: 'payments-prod',
      token: { mountPath: '/var/run/secrets/iam', fileName: 'token' },
    }));
    // WHEN its environment is read
    const env = Object.fromEntries(identity.environment().map((e) => [e.name, e.value]));
    // THEN the SDK and CLI variables follow them
    expect(env.SECRETS_MANAGER_IAM_PROFILE_NAME).toBe('payments-prod');
    expect(env.SECRETS_MANAGER_CR_TOKEN_FILENAME).toBe('/var/run/secrets/iam/token');
    expect(env.IBMCLOUD_CR_TOKEN).toBe('@/var/run/secrets/iam/token');
    expect(env.IBMCLOUD_CR_PROFILE).toBe('payments-prod');
  });

  test('configures the given services instead of the identity\'s when called with a list', () => {
    // GIVEN an identity whose sdkServices is secrets_manager
    const identity = new WorkloadIdentity(propsWith({ iamEndpoint: IamEndpoint.PRIVATE }));
    // WHEN its environment is read for service "x"
    const env = identity.environment(['x']);
    // THEN only X_* and the CLI variables are set
    expect(env).toEqual([
      { name: 'X_AUTH_TYPE', value: 'container' },
      { name: 'X_IAM_PROFILE_NAME', value: 'payments-api' },
      { name: 'X_CR_TOKEN_FILENAME', value: TOKEN_FILE },
      { name: 'X_AUTH_URL', value: 'https://private.iam.cloud.ibm.com' },
      { name: 'IBMCLOUD_CR_TOKEN', value: `@${TOKEN_FILE}` },
      { name: 'IBMCLOUD_CR_PROFILE', value: 'payments-api' },
    ]);
  });

  test('configures no SDK service when called with an empty list', () => {
    // GIVEN an identity whose sdkServices is secrets_manager
    const identity = new WorkloadIdentity(propsWith({}));
    // WHEN its environment is read for no services
    const env = identity.environment([]);
    // THEN only the CLI variables are set
    expect(env.map((e) => e.name)).toEqual(['IBMCLOUD_CR_TOKEN', 'IBMCLOUD_CR_PROFILE']);
  });

  test('rejects an invalid service name given as an override', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(propsWith({}));
    // WHEN its environment is read for "secrets manager" (with a space)
    const read = () => identity.environment(['secrets manager']);
    // THEN it throws a WorkloadIdentityError naming the identity and the entry
    expect(read).toThrow(WorkloadIdentityError);
    expect(read).toThrow('WorkloadIdentity "payments-api": sdkServices[0] is "secrets manager";');
  });

  test('rejects override names that read the same variables', () => {
    // GIVEN a built identity
    const identity = new WorkloadIdentity(propsWith({}));
    // WHEN its environment is read for secrets-manager and secrets_manager
    const read = () => identity.environment(['secrets-manager', 'secrets_manager']);
    // THEN it throws, naming the shared prefix
    expect(read).toThrow('it reads the same SECRETS_MANAGER_* variables as sdkServices[0]');
  });
});

describe('sdkServices', () => {
  test('rejects a name that does not start with a letter', () => {
    // GIVEN sdkServices ["1password"]
    // WHEN the identity is built
    // THEN the error states the rule with an example
    expectOneProblem(propsWith({ sdkServices: ['1password'] }), {
      field: 'sdkServices[0]',
      shown: '"1password"',
      says: ['an SDK service name starts with a letter and has letters, digits, "_" and "-" only', 'e.g. "secrets_manager"'],
    });
  });

  test('rejects a name with a space', () => {
    // GIVEN sdkServices ["secrets manager"]
    // WHEN the identity is built
    // THEN the entry is reported
    expectOneProblem(propsWith({ sdkServices: ['secrets manager'] }), {
      field: 'sdkServices[0]',
      shown: '"secrets manager"',
      says: ['an SDK service name starts with a letter'],
    });
  });

  test('rejects two names that map to the same variable prefix', () => {
    // GIVEN "secrets-manager" and "SECRETS_MANAGER", which both read SECRETS_MANAGER_*
    // WHEN the identity is built
    // THEN the second is reported, naming the prefix and the first
    expectOneProblem(propsWith({ sdkServices: ['secrets-manager', 'SECRETS_MANAGER'] }), {
      field: 'sdkServices[1]',
      shown: '"SECRETS_MANAGER"',
      says: ['it reads the same SECRETS_MANAGER_* variables as sdkServices[0]', 'list each service once'],
    });
  });

  test('rejects a value that is not a list', () => {
    // GIVEN sdkServices "secrets_manager"
    // WHEN the identity is built
    // THEN the error says it is a list
    expectOneProblem(propsWith({ sdkServices: 'secrets_manager' }), {
      field: 'sdkServices',
      shown: '"secrets_manager"',
      says: ['sdkServices is a list of IBM SDK service names', '["secrets_manager"]'],
    });
  });
});

describe('sdkEnvPrefix', () => {
  test('upper-cases the service name and turns "-" into "_"', () => {
    // GIVEN service names as SDKs take them
    // WHEN their prefixes are computed
    // THEN they are the variable prefixes the SDK cores read
    expect(sdkEnvPrefix('secrets_manager')).toBe('SECRETS_MANAGER');
    expect(sdkEnvPrefix('cloud-object-storage')).toBe('CLOUD_OBJECT_STORAGE');
    expect(sdkEnvPrefix('iam_identity')).toBe('IAM_IDENTITY');
  });
});
