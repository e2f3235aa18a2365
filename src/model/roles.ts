/**
 * IAM platform roles: what a subject may do to a resource through IBM Cloud's platform
 * (view, provision, assign access), as opposed to inside the service.
 */
export enum PlatformRole {
  VIEWER = 'Viewer',
  OPERATOR = 'Operator',
  EDITOR = 'Editor',
  ADMINISTRATOR = 'Administrator',
}

/**
 * IAM service roles common to IAM-enabled services: what a subject may do inside the
 * service. Many services add their own roles (e.g. Secrets Manager's `SecretsReader`);
 * pass those as strings.
 */
export enum ServiceRole {
  READER = 'Reader',
  WRITER = 'Writer',
  MANAGER = 'Manager',
}

/** A role name: a platform role, a common service role, or a service-specific role string. */
export type IamRole = PlatformRole | ServiceRole | string;

/** Roles that hand over control of a resource, including granting access to it. */
export const CONTROL_ROLES: readonly string[] = [PlatformRole.ADMINISTRATOR, ServiceRole.MANAGER];

/**
 * Roles IAM knows under every service: the platform roles and the common service roles. Without
 * a `service` in the scope, the IBM provider (v2.5.0, `ibm/flex/structures.go`,
 * `GenerateV2PolicyOptions`) looks roles up among "all IAM service roles" only, so a
 * service-specific role such as `SecretsReader` is found only when the scope names its service.
 */
export const GENERIC_ROLES: readonly string[] = [...Object.values(PlatformRole), ...Object.values(ServiceRole)];

/**
 * Role display names as IAM spells them, for catching a wrong case before IAM does: the provider
 * matches display names exactly (`FindRoleByName` in `ibm/flex/structures.go`, v2.5.0), so
 * `administrator` fails at apply. Service-specific names come from IBM's docs for each service.
 */
export const KNOWN_ROLE_NAMES: readonly string[] = [
  ...GENERIC_ROLES,
  // Secrets Manager
  'SecretsReader', 'SecretTaskUpdater', 'Service Configuration Reader',
  // Cloud Object Storage
  'Content Reader', 'Object Reader', 'Object Writer',
  // Key Protect
  'ReaderPlus', 'KeyPurge',
];

/** The right spelling of `role` when it differs from a known role only by case or spacing. */
export function misspelledRole(role: string): string | undefined {
  const folded = role.replace(/\s+/g, '').toLowerCase();
  const known = KNOWN_ROLE_NAMES.find((k) => k.replace(/\s+/g, '').toLowerCase() === folded);
  return known !== undefined && known !== role ? known : undefined;
}
