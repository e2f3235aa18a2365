import { IWI_S1 } from '../../src/rules';
import { deployment, ibmContainer, k8sFindings } from './fixtures';

describe('IWI-S1 Pod Security "restricted"', () => {
  test('passes a custom resource of another API group that reuses the kind Deployment', () => {
    // GIVEN a privileged pod template under a CRD kind "Deployment" of group example.com, which runs no pods
    const crd = { ...deployment({ hostNetwork: true }), apiVersion: 'example.com/v1' };
    // WHEN IWI-S1 runs
    // THEN it judges nothing, as the binder and the other rules do
    expect(k8sFindings(IWI_S1, crd)).toEqual([]);
    expect(k8sFindings(IWI_S1, deployment({ hostNetwork: true })).length).toBeGreaterThan(0);
  });

  test('accepts a pod that meets "restricted"', () => {
    // GIVEN a non-root pod with RuntimeDefault seccomp and containers dropping ALL without escalation
    // WHEN IWI-S1 runs
    // THEN it finds nothing
    expect(k8sFindings(IWI_S1, deployment())).toEqual([]);
  });

  test('flags a container that may escalate privileges, naming the container and field', () => {
    // GIVEN a container with allowPrivilegeEscalation true
    const app = ibmContainer();
    app.securityContext.allowPrivilegeEscalation = true;
    // WHEN IWI-S1 runs
    const findings = k8sFindings(IWI_S1, deployment({ containers: [app] }));
    // THEN it reports one error with the container and the field path
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'IWI-S1', severity: 'error', object: 'Deployment payments/payments-api' })]);
    expect(findings[0].message).toBe('container "app": spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation must be false [allowPrivilegeEscalation]');
  });

  test('flags a pod without a seccomp profile in every container', () => {
    // GIVEN a pod whose security context sets no seccomp profile, with two containers
    const manifest = deployment({ securityContext: { runAsNonRoot: true }, containers: [ibmContainer('a'), ibmContainer('b')] });
    // WHEN IWI-S1 runs
    // THEN each container is reported once
    expect(k8sFindings(IWI_S1, manifest).map((f) => f.message.split(':')[0])).toEqual(['container "a"', 'container "b"']);
  });
});
