// The Terraform side (cdktf). Import it as `iks-workload-identity/terraform`; it is the only
// entry point that loads cdktf.
export * from './workload-identity-profile';
// The IBM provider bindings, generated offline from the vendored schema subset, so a stack can
// configure the provider (`new ibm.provider.IbmProvider(stack, 'ibm', { region })`) without
// running `cdktf get`.
export * as ibm from './generated/providers/ibm';
export * from './stack-shared';
