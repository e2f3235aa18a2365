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
