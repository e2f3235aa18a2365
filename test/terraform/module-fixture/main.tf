# A plain HCL root, as a team that keeps its Terraform in HCL (or in IBM Schematics) writes it:
# it configures the IBM provider and the state, and calls the module that
# WorkloadIdentityModule synthesizes. test/terraform/module.test.ts writes the module's
# cdk.tf.json into generated/workload-identities/ beside a copy of this file.
terraform {
  required_providers {
    ibm = {
      source  = "IBM-Cloud/ibm"
      version = "2.5.0"
    }
  }
}

provider "ibm" {
  region = "us-south"
}

module "workload_identities" {
  source = "./generated/workload-identities"
}

output "payments_api_profile_id" {
  value = module.workload_identities.payments_api_profile_id
}

output "payments_api_profile_crn" {
  value = module.workload_identities.payments_api_profile_crn
}
