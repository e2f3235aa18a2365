import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { WorkloadIdentityProfile } from '../../src/terraform';
import { paymentsApi } from '../../examples/identity';

type Block = Record<string, any>;

const EXAMPLE_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';

describe('the embedded example', () => {
  test('synthesizes a profile, one IKS link and one Secrets Manager policy', () => {
    // GIVEN the example identity in a stack
    const stack = new TerraformStack(Testing.app(), 'payments-api');
    new WorkloadIdentityProfile(stack, 'payments-api', { identity: paymentsApi });

    // WHEN it is synthesized
    const json = JSON.parse(Testing.synth(stack));
    const one = (type: string): Block => {
      const blocks = Object.values(json.resource[type] ?? {}) as Block[];
      expect(blocks).toHaveLength(1);
      return blocks[0];
    };

    // THEN it has exactly the profile, its link to the example cluster and its policy
    expect(Object.keys(json.resource).sort()).toEqual(['ibm_iam_trusted_profile', 'ibm_iam_trusted_profile_link', 'ibm_iam_trusted_profile_policy']);
    expect(one('ibm_iam_trusted_profile').name).toBe('payments-api');
    expect(one('ibm_iam_trusted_profile_link')).toMatchObject({
      cr_type: 'IKS_SA',
      link: { crn: EXAMPLE_CRN, namespace: 'payments', name: 'payments-api' },
    });
    expect(one('ibm_iam_trusted_profile_policy')).toMatchObject({
      roles: ['SecretsReader'],
      resources: { service: 'secrets-manager', resource_instance_id: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' },
    });
    expect(Object.keys(json.output).sort()).toEqual(['payments_api_profile_crn', 'payments_api_profile_iam_id', 'payments_api_profile_id']);
  });

  test('app writes the payments-api stack with the IBM provider pinned and configured for us-south', () => {
    // GIVEN an empty output directory for the example app
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-cdktf-'));
    const previous = process.env.CDKTF_OUTDIR;
    process.env.CDKTF_OUTDIR = outdir;
    try {
      // WHEN the stack of examples/terraform/main.ts synthesizes into a cdktf App, as `cdktf synth` and `npm run synth` do
      jest.isolateModules(() => {
        const { App } = require('cdktf');
        const app = new App();
        require('../../examples/terraform/main').buildStack(app);
        app.synth();
      });

      // THEN the stack file has the provider, its version pin and the profile's resources
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'payments-api', 'cdk.tf.json'), 'utf8'));
      expect(json.provider).toEqual({ ibm: [{ region: 'us-south' }] });
      expect(json.terraform.required_providers.ibm).toEqual({ source: 'IBM-Cloud/ibm', version: '2.5.0' });
      expect(Object.keys(json.resource).sort()).toEqual(['ibm_iam_trusted_profile', 'ibm_iam_trusted_profile_link', 'ibm_iam_trusted_profile_policy']);
    } finally {
      if (previous === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = previous;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
