// Policy scopes and roles IAM accepts.
// Sources: IBM/platform-services-go-sdk `iampolicymanagementv1` ("a resource must include
// serviceType, serviceName, resourceGroupId or service_group_id"); IBM-Cloud/terraform-provider-ibm
// v2.5.0 `website/docs/r/iam_trusted_profile_policy.html.markdown` (service, service_type and
// service_group_id mutually exclusive; resource_tags "only allowed in policy with resource
// attribute serviceType, where value is equal to service"), IBM Cloud docs account
// `known-issues.md`; `ibm/flex/structures.go` v2.5.0 (FindRoleByName: display names, exact match;
// GenerateV2PolicyOptions: without a service, roles come from "alliamserviceroles").
import { AccessPolicies, AccessPolicyProps, PlatformRole, WorkloadIdentity } from '../../../src';
import { fields, policyBlock, props, refusal } from './helpers';

const SM_CRN = 'crn:v1:bluemix:public:secrets-manager:us-south:a/0123456789abcdef0123456789abcdef:5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93::';
const base: AccessPolicyProps = { name: 'p', roles: ['Reader'], resources: { service: 'kms' } };

describe('a resources scope', () => {
  test('with only an instance GUID and a region is refused with the fix', () => {
    // GIVEN an instance and a region, no service
    const error = refusal({ policies: [{ ...base, resources: { resourceInstanceId: '5a4e5e2c', region: 'us-south' } }] });
    // THEN the scope is refused, saying what IAM needs
    expect(fields(error)).toEqual(['policies[0].resources']);
    expect(error.message).toContain('service, serviceType, serviceGroupId or resourceGroupId');
  });

  test('with an instance CRN gets its service from the CRN', () => {
    // GIVEN the instance as a CRN, no service
    const block = policyBlock({ ...base, roles: ['SecretsReader'], resources: { resourceInstanceId: SM_CRN } });
    // THEN the service and the GUID are sent
    expect(block.resources).toEqual({ service: 'secrets-manager', resource_instance_id: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' });
  });

  test('with a resource group alone is accepted for the roles every service has', () => {
    // GIVEN Viewer on a resource group
    const block = policyBlock({ ...base, roles: [PlatformRole.VIEWER], resources: { resourceGroupId: 'rg-1' } });
    // THEN it is sent as given
    expect(block.resources).toEqual({ resource_group_id: 'rg-1' });
  });

  test.each([
    [{ service: 'kms', serviceType: 'service' }, 'service and serviceType'],
    [{ serviceType: 'service', serviceGroupId: 'IAM' }, 'serviceType and serviceGroupId'],
    [{ service: 'kms', serviceGroupId: 'IAM' }, 'service and serviceGroupId'],
  ])('with %j is refused: %s are mutually exclusive', (resources, named) => {
    // GIVEN two of service, serviceType, serviceGroupId
    const error = refusal({ policies: [{ ...base, resources }] });
    // THEN the scope is refused naming both
    expect(fields(error)).toEqual(['policies[0].resources']);
    expect(error.message).toContain(`${named} are mutually exclusive`);
  });

  test('with a CRN of one service and a service of another is refused', () => {
    // GIVEN a Secrets Manager CRN and service kms
    const error = refusal({ policies: [{ ...base, resources: { service: 'kms', resourceInstanceId: SM_CRN } }] });
    // THEN service is named
    expect(fields(error)).toEqual(['policies[0].resources.service']);
  });
});

describe('access tags', () => {
  test('on a service instance scope are refused: IAM takes them only for all IAM-enabled services', () => {
    // GIVEN tags on a Key Protect instance
    const error = refusal({ policies: [{ ...base, resources: { service: 'kms', resourceInstanceId: 'i' }, resourceTags: [{ name: 'env', value: 'prod' }] }] });
    // THEN the tags are refused with the scope that takes them
    expect(fields(error)).toEqual(['policies[0].resourceTags']);
    expect(error.message).toContain('resources: { serviceType: "service" }');
  });

  test('with serviceType plus another attribute are refused', () => {
    // GIVEN tags on serviceType service and a region
    const error = refusal({ policies: [{ ...base, resources: { serviceType: 'service', region: 'us-south' }, resourceTags: [{ name: 'env', value: 'prod' }] }] });
    // THEN the tags are refused
    expect(fields(error)).toEqual(['policies[0].resourceTags']);
  });

  test('on resourceAttributes or account management are refused', () => {
    // GIVEN tags on the two other shapes
    const error = refusal({
      policies: [
        { name: 'a', roles: ['Reader'], resourceAttributes: [{ name: 'serviceType', value: 'service' }], resourceTags: [{ name: 'env', value: 'prod' }] },
        { name: 'b', roles: ['Viewer'], accountManagement: true, resourceTags: [{ name: 'env', value: 'prod' }] },
      ],
    });
    // THEN both are refused
    expect(fields(error)).toEqual(['policies[0].resourceTags', 'policies[1].resourceTags']);
  });

  test('on serviceType service alone are sent, each with its operator', () => {
    // GIVEN the one scope IAM takes tags on
    const block = policyBlock({ ...base, resources: { serviceType: 'service' }, resourceTags: [{ name: 'env', value: 'prod' }] });
    // THEN resources and resource_tags are sent
    expect(block.resources).toEqual({ service_type: 'service' });
    expect(block.resource_tags).toEqual([{ name: 'env', value: 'prod', operator: 'stringEquals' }]);
  });
});

describe('roles', () => {
  test('spelled in the wrong case are refused with IAM\'s spelling', () => {
    // GIVEN "administrator" and "secretsreader"
    const error = refusal({ policies: [{ ...base, roles: ['administrator'] }, { ...base, name: 'q', roles: ['secretsreader'], resources: { service: 'secrets-manager' } }] });
    // THEN each is refused naming the right spelling
    expect(fields(error)).toEqual(['policies[0].roles[0]', 'policies[1].roles[0]']);
    expect(error.message).toContain('write "Administrator"');
    expect(error.message).toContain('write "SecretsReader"');
  });

  test('that are service-specific are refused on a scope without a service', () => {
    // GIVEN SecretsReader on a resource group: the provider looks it up among all IAM service roles
    const error = refusal({ policies: [{ ...base, roles: ['SecretsReader'], resources: { resourceGroupId: 'rg-1' } }] });
    // THEN the role is refused, saying to name the service
    expect(fields(error)).toEqual(['policies[0].roles[0]']);
    expect(error.message).toContain('add the service to the scope');
  });

  test('that IAM does not list for this library are sent as given (custom and other service roles)', () => {
    // GIVEN a service-specific role the library does not know, with its service
    const block = policyBlock({ ...base, roles: ['KeyManager'], resources: { service: 'kms' } });
    // THEN it is sent unchanged
    expect(block.roles).toEqual(['KeyManager']);
  });
});

describe('resourceAttributes', () => {
  test('without a service, service type, service group or resource group are refused', () => {
    // GIVEN only an instance attribute
    const error = refusal({ policies: [{ name: 'p', roles: ['Reader'], resourceAttributes: [{ name: 'serviceInstance', value: 'i' }] }] });
    // THEN the attributes are refused
    expect(fields(error)).toEqual(['policies[0].resourceAttributes']);
  });
});

describe('the presets', () => {
  test('each give a scope IAM accepts', () => {
    // GIVEN every preset
    const policies = [
      ...AccessPolicies.secretsManagerRead({ instance: SM_CRN, secretGroupId: 'g' }),
      ...AccessPolicies.objectStorageBucketRead({ instance: 'c0s', bucket: 'b' }),
      ...AccessPolicies.objectStorageBucketWrite({ instance: 'c0s', bucket: 'b' }),
      ...AccessPolicies.keyProtectUse({ instance: 'k', keyRingId: 'r' }),
      ...AccessPolicies.containerRegistryPull({ namespace: 'team', region: 'us-south' }),
      ...AccessPolicies.eventStreamsProduce({ instance: 'e', topic: 't' }),
      ...AccessPolicies.eventStreamsConsume({ instance: 'e', topic: 't', consumerGroup: 'g' }),
    ];
    // WHEN an identity holds them all
    const identity = new WorkloadIdentity(props({ policies }));
    // THEN the model accepts every one (scope anchors, roles, no tags)
    expect(identity.policies).toHaveLength(policies.length);
  });
});

test('the Container Registry preset scopes one namespace as IBM documents it', () => {
  // Source: ibm-cloud-docs/Registry `registry_users.md`: the service name must be
  // container-registry; for one namespace, resource type `namespace` and the namespace as resource.
  // GIVEN the preset for namespace "team" in us-south
  const [preset] = AccessPolicies.containerRegistryPull({ namespace: 'team', region: 'us-south' });
  // WHEN it is synthesized
  const block = policyBlock(preset);
  // THEN the scope is service, region, resource type and namespace, and the role Reader
  expect(block.resources).toEqual({ service: 'container-registry', region: 'us-south', resource_type: 'namespace', resource: 'team' });
  expect(block.roles).toEqual(['Reader']);
});
