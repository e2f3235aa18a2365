import { Construct } from 'constructs';
import { WorkloadIdentity } from '../model/workload-identity';
import { TerraformBackend, TerraformProvider, TerraformStack } from './engine';
import { IbmProvider } from './generated/providers/ibm/provider';
import { WorkloadIdentityProfile } from './workload-identity-profile';

/** The construct ID of the module's provider requirement, a child of the module. */
const MODULE_PROVIDER_REQUIREMENT_ID = 'ibm-required-provider';

/**
 * The IBM provider as a requirement only: `terraform.required_providers.ibm` exactly as a
 * configured provider writes it (source and version from the generated bindings), without the
 * `provider "ibm"` block that a module leaves to its caller. Being a provider construct, it also
 * satisfies the engines' check that every resource's provider is present in the stack.
 */
class IbmProviderRequirement extends IbmProvider {
  public toTerraform(): any {
    return { terraform: super.toTerraform().terraform };
  }

  public toHclTerraform(): any {
    return { terraform: super.toHclTerraform().terraform };
  }
}

/** Properties of a `WorkloadIdentityModule`. */
export interface WorkloadIdentityModuleProps {
  /**
   * Identities to render now, each as a `WorkloadIdentityProfile` (with its outputs) whose
   * construct ID is the identity's name. More can be added later with
   * `new WorkloadIdentityProfile(module, id, { identity })`.
   * @default none
   */
  readonly identities?: readonly WorkloadIdentity[];
}

/**
 * A stack that synthesizes as a Terraform module for a plain HCL root (or IBM Schematics) to
 * call: `module "workload_identities" { source = "./generated/<stack>" }`. Unlike a
 * `TerraformStack`, it writes no `provider` block and no `backend`: the calling root configures
 * the IBM provider (a child module inherits the root's default `provider "ibm"`) and keeps the
 * state. It keeps `terraform.required_providers.ibm`, so `terraform init` installs the provider
 * version the resources were written for, and every identity's outputs
 * (`<name>_profile_id`, `<name>_profile_iam_id`, `<name>_profile_crn`), which the root reads as
 * `module.workload_identities.<output>`.
 *
 * Adding a provider or a backend to it fails synthesis, with the reason. Another stack cannot
 * refer to its values: a module has no state of its own for `terraform_remote_state` to read.
 */
export class WorkloadIdentityModule extends TerraformStack {
  private preparing = false;

  constructor(scope: Construct, id: string, props: WorkloadIdentityModuleProps = {}) {
    super(scope, id);
    const requirement = new IbmProviderRequirement(this, MODULE_PROVIDER_REQUIREMENT_ID);
    const seen = new Set<string>();
    (props.identities ?? []).forEach((identity, index) => {
      // A plain object gets an ID of its position, so WorkloadIdentityProfile can refuse it with the fix.
      const id = identity instanceof WorkloadIdentity ? identity.name : `identities[${index}]`;
      if (seen.has(id)) {
        throw new Error(`WorkloadIdentityModule ${this.node.path}: props.identities holds two identities named "${id}" (at ${index} and before); identity and trusted profile names are unique in an account, so list each identity once`);
      }
      seen.add(id);
      new WorkloadIdentityProfile(this, id, { identity });
    });
    this.node.addValidation({ validate: () => this.moduleProblems(requirement) });
  }

  /** Marks the engine's own call to `ensureBackendExists`, which happens while preparing. */
  public prepareStack(): void {
    this.preparing = true;
    try {
      super.prepareStack();
    } finally {
      this.preparing = false;
    }
  }

  /**
   * Both engines give a stack without a backend a local one when they prepare it; a module
   * must have none, since its state lives in the caller's. Preparing ignores the result, so
   * none is created. Any other caller wants the module's state for a cross-stack reference.
   */
  public ensureBackendExists(): TerraformBackend {
    const declared = this.node.findAll().find((c) => TerraformBackend.isBackend(c));
    // A declared backend is refused by the validation below, with the reason.
    if (declared) return declared as TerraformBackend;
    if (this.preparing) return undefined as unknown as TerraformBackend;
    throw new Error(`WorkloadIdentityModule ${this.node.path}: another stack refers to a value of this module, which cdktf/cdktn would read from the module's state (terraform_remote_state); a module has no state of its own, so pass the value through the HCL root that calls the module (module.<name>.<output>) instead`);
  }

  private moduleProblems(requirement: IbmProviderRequirement): string[] {
    const problems: string[] = [];
    for (const c of this.node.findAll()) {
      if (TerraformProvider.isTerraformProvider(c) && c !== requirement) {
        problems.push(`WorkloadIdentityModule ${this.node.path}: ${c.node.path} configures a provider; a module leaves provider configuration to its caller (Terraform then cannot remove the module's resources once the module is gone), so delete it and configure provider "ibm" in the HCL root that calls the module`);
      }
      if (TerraformBackend.isBackend(c)) {
        problems.push(`WorkloadIdentityModule ${this.node.path}: ${c.node.path} is a backend; a module's state lives in the backend of the root that calls it, so delete it and configure the backend there`);
      }
    }
    return problems;
  }
}
