// checkPodSecurityRestricted, the Pod Security "restricted" checker the library exports: first
// on hand-written manifests that break each rule, then on every pod template the library renders.
import { App } from 'cdk8s';
import { ClusterKind, IamEndpoint } from '../../src';
import { checkPodSecurityRestricted, formatPodSecurityViolation, PodSecurityViolation } from '../../src/k8s';
import { buildChart } from '../../examples/k8s/main';
import { paymentsIdentity, ROKS_CRN, synthEveryWorkload } from '../support/synth';

/** A Pod that meets "restricted" with the least it takes. */
function compliantPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: 'example/app:1.0',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
      volumes: [{ name: 'token', projected: { sources: [] } }, { name: 'tmp', emptyDir: {} }],
    },
  };
}

const checks = (violations: PodSecurityViolation[]) => violations.map((v) => `${v.check} ${v.path}`);

describe('checkPodSecurityRestricted on hand-written manifests', () => {
  test('finds nothing wrong with a compliant pod', () => {
    // GIVEN a pod with runAsNonRoot, RuntimeDefault seccomp, no escalation, all capabilities dropped
    // WHEN it is checked
    // THEN there are no violations
    expect(checkPodSecurityRestricted(compliantPod())).toEqual([]);
  });

  test('reports the object, container, check and field path of a violation', () => {
    // GIVEN a pod whose container may escalate privileges
    const pod = compliantPod();
    delete pod.spec.containers[0].securityContext.allowPrivilegeEscalation;

    // WHEN it is checked
    const violations = checkPodSecurityRestricted(pod);

    // THEN the one violation says where it is and what to do
    expect(violations).toEqual([{
      kind: 'Pod',
      name: 'web',
      namespace: 'shop',
      container: 'app',
      check: 'allowPrivilegeEscalation',
      path: 'spec.containers[0].securityContext.allowPrivilegeEscalation',
      message: 'allowPrivilegeEscalation must be false',
    }]);
    expect(formatPodSecurityViolation(violations[0])).toBe(
      'Pod shop/web, container "app": spec.containers[0].securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation must be false [allowPrivilegeEscalation]',
    );
  });

  const breaks: Array<[string, (pod: any) => void, string[]]> = [
    ['hostNetwork', (p) => (p.spec.hostNetwork = true), ['hostNamespaces spec.hostNetwork']],
    ['hostPID and hostIPC', (p) => Object.assign(p.spec, { hostPID: true, hostIPC: true }), ['hostNamespaces spec.hostPID', 'hostNamespaces spec.hostIPC']],
    ['a privileged container', (p) => (p.spec.containers[0].securityContext.privileged = true), ['privileged spec.containers[0].securityContext.privileged']],
    ['a hostPath volume', (p) => p.spec.volumes.push({ name: 'host', hostPath: { path: '/' } }), ['hostPathVolumes spec.volumes[2].hostPath']],
    ['an nfs volume', (p) => p.spec.volumes.push({ name: 'share', nfs: { server: 'x', path: '/' } }), ['restrictedVolumes spec.volumes[2].nfs']],
    ['runAsUser 0 on the pod', (p) => (p.spec.securityContext.runAsUser = 0), ['runAsUser spec.securityContext.runAsUser']],
    ['runAsUser 0 on a container', (p) => (p.spec.containers[0].securityContext.runAsUser = 0), ['runAsUser spec.containers[0].securityContext.runAsUser']],
    ['no runAsNonRoot anywhere', (p) => delete p.spec.securityContext.runAsNonRoot, ['runAsNonRoot spec.containers[0].securityContext.runAsNonRoot']],
    ['runAsNonRoot false on a container of a non-root pod', (p) => (p.spec.containers[0].securityContext.runAsNonRoot = false), ['runAsNonRoot spec.containers[0].securityContext.runAsNonRoot']],
    ['no seccomp profile anywhere', (p) => delete p.spec.securityContext.seccompProfile, ['seccompProfile spec.containers[0].securityContext.seccompProfile.type']],
    ['an Unconfined seccomp profile on a container', (p) => (p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }), ['seccompProfile spec.containers[0].securityContext.seccompProfile.type']],
    ['an Unconfined seccomp profile on the pod', (p) => (p.spec.securityContext.seccompProfile = { type: 'Unconfined' }), ['seccompProfile spec.securityContext.seccompProfile.type', 'seccompProfile spec.containers[0].securityContext.seccompProfile.type']],
    ['capabilities not dropped', (p) => delete p.spec.containers[0].securityContext.capabilities, ['capabilities spec.containers[0].securityContext.capabilities.drop']],
    ['an added capability other than NET_BIND_SERVICE', (p) => (p.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE', 'SYS_ADMIN']), ['capabilities spec.containers[0].securityContext.capabilities.add']],
    ['NET_BIND_SERVICE spelled with CAP_, which Kubernetes compares exactly', (p) => (p.spec.containers[0].securityContext.capabilities.add = ['CAP_NET_BIND_SERVICE']), ['capabilities spec.containers[0].securityContext.capabilities.add']],
    ['a lower-case drop of all capabilities', (p) => (p.spec.containers[0].securityContext.capabilities.drop = ['all']), ['capabilities spec.containers[0].securityContext.capabilities.drop']],
    ['a probe or lifecycle hook that targets another host', (p) => Object.assign(p.spec.containers[0], {
      readinessProbe: { httpGet: { host: '10.0.0.1', port: 80 } },
      lifecycle: { preStop: { tcpSocket: { host: 'node', port: 22 } } },
    }), ['hostProbesAndHostLifecycle spec.containers[0].readinessProbe.httpGet.host', 'hostProbesAndHostLifecycle spec.containers[0].lifecycle.preStop.tcpSocket.host']],
    ['a host port', (p) => (p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]), ['hostPorts spec.containers[0].ports[0].hostPort']],
    ['an unmasked /proc', (p) => (p.spec.containers[0].securityContext.procMount = 'Unmasked'), ['procMount spec.containers[0].securityContext.procMount']],
    ['an unsafe sysctl', (p) => (p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]), ['sysctls spec.securityContext.sysctls[0].name']],
    ['a custom SELinux type and user', (p) => (p.spec.securityContext.seLinuxOptions = { type: 'spc_t', user: 'root' }), ['seLinuxOptions spec.securityContext.seLinuxOptions.type', 'seLinuxOptions spec.securityContext.seLinuxOptions.user']],
    ['an Unconfined AppArmor profile', (p) => (p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }), ['appArmorProfile spec.containers[0].securityContext.appArmorProfile.type']],
    ['an unconfined AppArmor annotation', (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }), ['appArmorProfile metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]']],
    ['a Windows host process', (p) => (p.spec.securityContext.windowsOptions = { hostProcess: true }), ['windowsHostProcess spec.securityContext.windowsOptions.hostProcess']],
    ['an init container that may escalate', (p) => (p.spec.initContainers = [{ name: 'init', image: 'x', securityContext: { capabilities: { drop: ['ALL'] } } }]), ['allowPrivilegeEscalation spec.initContainers[0].securityContext.allowPrivilegeEscalation']],
    ['an ephemeral container without a security context', (p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'x' }]), [
      'allowPrivilegeEscalation spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation',
      'capabilities spec.ephemeralContainers[0].securityContext.capabilities.drop',
    ]],
  ];

  test.each(breaks)('reports %s', (_, breakIt, expected) => {
    // GIVEN a compliant pod broken in one way
    const pod = compliantPod();
    breakIt(pod);

    // WHEN it is checked
    // THEN exactly that rule is reported, at that field
    expect(checks(checkPodSecurityRestricted(pod))).toEqual(expected);
  });

  test('accepts seccomp set on every container instead of the pod, and NET_BIND_SERVICE added', () => {
    // GIVEN a pod without a pod-level seccomp profile, whose only container sets Localhost and adds NET_BIND_SERVICE
    const pod = compliantPod();
    delete pod.spec.securityContext.seccompProfile;
    Object.assign(pod.spec.containers[0].securityContext, { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
    pod.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE'];

    // WHEN it is checked
    // THEN it is compliant
    expect(checkPodSecurityRestricted(pod)).toEqual([]);
  });

  test('finds the pod template of a CronJob', () => {
    // GIVEN a CronJob whose pod shares the host network
    const pod = compliantPod();
    pod.spec.hostNetwork = true;
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { metadata: pod.metadata, spec: pod.spec } } } } };

    // WHEN it is checked
    // THEN the path leads into the job template
    expect(checks(checkPodSecurityRestricted(cronJob))).toEqual(['hostNamespaces spec.jobTemplate.spec.template.spec.hostNetwork']);
  });

  test('checks every manifest of a list and passes objects without pods', () => {
    // GIVEN a ServiceAccount, a compliant Pod and a Deployment whose container runs as root
    const bad = compliantPod();
    bad.spec.containers[0].securityContext.runAsUser = 0;
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { spec: bad.spec } } };
    const manifests = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' } }, compliantPod(), deployment];

    // WHEN they are checked together
    const violations = checkPodSecurityRestricted(manifests);

    // THEN only the Deployment is reported
    expect(violations.map((v) => `${v.kind} ${v.name} ${v.path}`)).toEqual(['Deployment api spec.template.spec.containers[0].securityContext.runAsUser']);
  });
});

describe('the library\'s pod templates', () => {
  test('meet "restricted" in the embedded example chart', () => {
    // GIVEN the example's chart
    const manifests = buildChart(new App()).toJson();

    // WHEN its pod templates are checked
    // THEN none breaks a rule
    expect(checkPodSecurityRestricted(manifests).map(formatPodSecurityViolation)).toEqual([]);
  });

  test.each([
    ['IKS', paymentsIdentity()],
    ['ROKS, where no UID is set', paymentsIdentity({ clusters: [{ kind: ClusterKind.ROKS, crn: ROKS_CRN }], iamEndpoint: IamEndpoint.PRIVATE })],
  ])('meet "restricted" on every workload kind and in the token-fetch Job, on %s', (_, identity) => {
    // GIVEN the identity bound to every workload kind, and its token-fetch Job
    const manifests = synthEveryWorkload(identity);

    // WHEN the pod templates are checked
    // THEN none breaks a rule
    expect(manifests.filter((m) => m.kind !== 'ServiceAccount' && m.kind !== 'Service')).toHaveLength(7);
    expect(checkPodSecurityRestricted(manifests).map(formatPodSecurityViolation)).toEqual([]);
  });

  test('break only the two rules the binding hardens when hardening is turned off', () => {
    // GIVEN workloads bound with hardenPodSecurity: false (cdk8s-plus-27 sets no seccomp profile
    // and drops nothing), by an identity that acknowledges IWI-S1 so that synthesis goes through
    const identity = paymentsIdentity({ acknowledgements: [{ ruleId: 'IWI-S1', reason: 'this test inspects unhardened pods' }] });
    const manifests = synthEveryWorkload(identity, { hardenPodSecurity: false });

    // WHEN they are checked
    const violations = checkPodSecurityRestricted(manifests).filter((v) => v.name !== 'payments-api-token-fetch');

    // THEN what is missing is exactly the seccomp profile and the dropped capabilities
    expect(new Set(violations.map((v) => v.check))).toEqual(new Set(['seccompProfile', 'capabilities']));
  });
});
