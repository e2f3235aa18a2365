// Shared fixtures for the identity-model tests: one valid baseline declaration and helpers
// that build a declaration with one field changed and capture the error it raises.
import {
  ClusterKind,
  WorkloadIdentity,
  WorkloadIdentityError,
  WorkloadIdentityProps,
} from '../../src';

/** The account and cluster IDs used across the tests. */
export const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
export const IKS_CLUSTER_ID = 'cq5l0v8d0h4b7f3kq2pg';
export const ROKS_CLUSTER_ID = 'd1f2r0k5000000000abc';

/** The CRN of an IKS cluster, as `ibmcloud ks cluster get --output json` shows it. */
export const IKS_CRN = `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${ACCOUNT_ID}:${IKS_CLUSTER_ID}::`;
/** The CRN of an OpenShift (ROKS) cluster: same service name, another cluster ID. */
export const ROKS_CRN = `crn:v1:bluemix:public:containers-kubernetes:eu-de:a/${ACCOUNT_ID}:${ROKS_CLUSTER_ID}::`;
/** A well-formed CRN of another resource: a Secrets Manager instance. */
export const SECRETS_MANAGER_CRN = `crn:v1:bluemix:public:secrets-manager:us-south:a/${ACCOUNT_ID}:5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93::`;

export const SECRETS_MANAGER_INSTANCE_ID = '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93';

/**
 * A valid declaration, the same as `examples/identity.ts`: a web app in namespace `payments`
 * on one IKS cluster, reading the secrets of one Secrets Manager instance. A fresh object on
 * each call, so a test may change it freely.
 */
export function validProps(): WorkloadIdentityProps {
  return {
    name: 'payments-api',
    serviceAccount: { namespace: 'payments' },
    clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }],
    policies: [
      {
        name: 'read-payments-secrets',
        description: 'Read the secrets of the payments Secrets Manager instance',
        roles: ['SecretsReader'],
        resources: { service: 'secrets-manager', resourceInstanceId: SECRETS_MANAGER_INSTANCE_ID },
      },
    ],
    sdkServices: ['secrets_manager'],
  };
}

/**
 * The valid declaration with some top-level fields replaced. Values are `unknown` on purpose:
 * the tests feed the shapes a JavaScript or JSON user could pass, which the types forbid.
 */
export function propsWith(overrides: Record<string, unknown>): WorkloadIdentityProps {
  return { ...validProps(), ...overrides } as unknown as WorkloadIdentityProps;
}

/** Builds the identity and returns the `WorkloadIdentityError` it throws; fails if it does not throw one. */
export function captureError(props: WorkloadIdentityProps): WorkloadIdentityError {
  let thrown: unknown;
  try {
    new WorkloadIdentity(props);
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a WorkloadIdentityError, but the declaration was accepted');
  if (!(thrown instanceof WorkloadIdentityError)) {
    throw new Error(`expected a WorkloadIdentityError, got ${String(thrown)}`);
  }
  return thrown;
}

export interface ExpectedProblem {
  /** `problems[0].field`, the dotted path of the field. */
  readonly field: string;
  /** How the message renders the bad value, e.g. `"Payments"` or `7200` or `missing`. */
  readonly shown: string;
  /** Substrings of the rule and the fix that the message must contain. */
  readonly says: readonly string[];
  /** The identity the message names. @default "payments-api" */
  readonly identity?: string;
}

/**
 * Asserts that the declaration fails with exactly one problem, and that the message names the
 * identity, the field path, the bad value as given, and says the rule and the fix.
 */
export function expectOneProblem(props: WorkloadIdentityProps, expected: ExpectedProblem): WorkloadIdentityError {
  const error = captureError(props);
  const identity = expected.identity ?? 'payments-api';
  expect(error.problems.map((p) => p.field)).toEqual([expected.field]);
  expect(error.problems[0].identity).toBe(identity);
  expect(error.message).toContain(`WorkloadIdentity "${identity}"`);
  expect(error.message).toContain(`${expected.field} is ${expected.shown};`);
  for (const s of expected.says) expect(error.message).toContain(s);
  return error;
}
