// The Terraform side. Import it as `iks-workload-identity/terraform` on CDK for Terraform (cdktf)
// or as `iks-workload-identity/cdktn` on CDK Terrain: the same compiled files, with only
// ./engine swapped (scripts/engine-variant.js). These are the only entry points that load a core.
export * from './workload-identity-profile';
// The IBM provider bindings, generated offline from the vendored schema subset, so a stack can
// configure the provider (`new ibm.provider.IbmProvider(stack, 'ibm', { region })`) without
// running `cdktf get`.
export * as ibm from './generated/providers/ibm';
export * from './stack-shared';
export * from './workload-identity-module';
