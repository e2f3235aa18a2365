// External Secrets Operator reading IBM Secrets Manager as the identity's trusted profile.
export * from './declaration';
export * from './operator';
export * from './secrets-manager-store';
