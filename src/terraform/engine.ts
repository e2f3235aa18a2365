// The one file of the Terraform side that names a CDK core. Everything else under
// src/terraform, the generated IBM bindings included, imports the core from here, so the same
// compiled constructs serve two engines: the build copies lib/terraform to lib/cdktn and swaps
// only this file's output for one that loads `cdktn` (CDK Terrain). The whole core is
// re-exported because the generated bindings use many of its helpers (`stringToTerraform`,
// `listMapper`, ...), as `cdktf.<name>`. See scripts/engine-variant.js.
export * from 'cdktf';
