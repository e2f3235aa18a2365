import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClusterKind } from '../../src';
import { TokenFetchJob, WorkloadIdentityBinding, WorkloadIdentityDeployment } from '../../src/k8s';
import { allContainers, containerNamed, IKS_CRN, makeChart, makeIdentity, manifestOf, podSpec, ROKS_CRN } from './helpers';

const APP: kplus.ContainerProps = { name: 'app', image: 'example/app:1.0', portNumber: 8080 };
const INIT: kplus.ContainerProps = { name: 'init', image: 'example/init:1.0' };

/**
 * These tests look at pods that are not "restricted" on purpose; rule IWI-S1 would fail their
 * synthesis, so they acknowledge it, as a user with such a workload would.
 */
const NOT_RESTRICTED_ON_PURPOSE = { acknowledgements: [{ ruleId: 'IWI-S1', reason: 'the test inspects a pod that is not restricted on purpose' }] };

function boundDeploymentSpec(props: Partial<kplus.DeploymentProps>, hardenPodSecurity?: boolean, tweak?: (d: kplus.Deployment) => void, acknowledgeS1 = false): any {
  const chart = makeChart('shop');
  const d = new kplus.Deployment(chart, 'W', { containers: [APP], initContainers: [INIT], ...props });
  WorkloadIdentityBinding.bind(d, { identity: makeIdentity(acknowledgeS1 ? NOT_RESTRICTED_ON_PURPOSE : {}), hardenPodSecurity });
  tweak?.(d);
  return podSpec(manifestOf(chart, 'Deployment'));
}

describe('Pod Security hardening by the binding', () => {
  test('adds the RuntimeDefault seccomp profile to the pod when unset', () => {
    // GIVEN a plain Deployment, which cdk8s-plus-27 gives no seccomp profile
    // WHEN it is bound with default options
    const spec = boundDeploymentSpec({});
    // THEN the pod security context has seccompProfile RuntimeDefault
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('keeps the rest of the pod security context cdk8s-plus rendered', () => {
    // GIVEN a plain Deployment with a pod fsGroup
    // WHEN it is bound with default options
    const spec = boundDeploymentSpec({ securityContext: { fsGroup: 2000 } });
    // THEN fsGroup and runAsNonRoot are still there beside the seccomp profile
    expect(spec.securityContext).toEqual(expect.objectContaining({ fsGroup: 2000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
  });

  test('drops ALL capabilities in every container and init container when unset', () => {
    // GIVEN a plain Deployment with a container and an init container, neither dropping capabilities
    // WHEN it is bound with default options
    const spec = boundDeploymentSpec({});
    // THEN both drop ALL
    for (const c of allContainers(spec)) {
      expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    }
  });

  test('drops ALL capabilities in a container added after bind', () => {
    // GIVEN a bound Deployment
    // WHEN a container is added afterwards
    const spec = boundDeploymentSpec({}, undefined, (d) => d.addContainer({ name: 'late', image: 'example/late:1.0' }));
    // THEN it drops ALL as well
    expect(containerNamed(spec, 'late').securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('keeps capabilities a container drops explicitly', () => {
    // GIVEN a container that drops NET_RAW only
    // WHEN the Deployment is bound
    const spec = boundDeploymentSpec({
      containers: [{ ...APP, securityContext: { capabilities: { drop: [kplus.Capability.NET_RAW] } } }],
    }, undefined, undefined, true);
    // THEN its drop list is left as the user wrote it
    expect(containerNamed(spec, 'app').securityContext.capabilities).toEqual({ drop: ['CAP_NET_RAW'] });
  });

  test('keeps capabilities a container adds and drops ALL beside them', () => {
    // GIVEN a container that adds NET_BIND_SERVICE and drops nothing
    // WHEN the Deployment is bound
    const spec = boundDeploymentSpec({
      containers: [{ ...APP, securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } }],
    }, undefined, undefined, true);
    // THEN add is kept and drop is ALL
    expect(containerNamed(spec, 'app').securityContext.capabilities).toEqual({ add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL'] });
  });

  test('keeps a seccomp profile the workload sets explicitly', () => {
    // GIVEN a Deployment whose pod seccomp profile is set to a Localhost profile by JSON patch
    // WHEN it is bound
    const spec = boundDeploymentSpec({}, undefined, (d) => ApiObject.of(d).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'Localhost', localhostProfile: 'profiles/orders.json' })));
    // THEN the Localhost profile is kept
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/orders.json' });
  });

  test('adds no seccomp profile when hardenPodSecurity is false', () => {
    // GIVEN a plain Deployment
    // WHEN it is bound with hardenPodSecurity false
    const spec = boundDeploymentSpec({}, false, undefined, true);
    // THEN the pod has no seccomp profile
    expect(spec.securityContext?.seccompProfile).toBeUndefined();
  });

  test('drops no capabilities when hardenPodSecurity is false', () => {
    // GIVEN a plain Deployment
    // WHEN it is bound with hardenPodSecurity false
    const spec = boundDeploymentSpec({}, false, undefined, true);
    // THEN no container has capabilities
    for (const c of allContainers(spec)) {
      expect(c.securityContext?.capabilities).toBeUndefined();
    }
  });

  test('WorkloadIdentityDeployment passes hardenPodSecurity false on', () => {
    // GIVEN a WorkloadIdentityDeployment with hardenPodSecurity false
    const chart = makeChart();
    new WorkloadIdentityDeployment(chart, 'D', { identity: makeIdentity(NOT_RESTRICTED_ON_PURPOSE), hardenPodSecurity: false, containers: [APP] });
    // WHEN the chart is synthesized
    const spec = podSpec(manifestOf(chart, 'Deployment'));
    // THEN neither seccomp profile nor capabilities are added
    expect(spec.securityContext?.seccompProfile).toBeUndefined();
    expect(spec.containers[0].securityContext?.capabilities).toBeUndefined();
  });
});

/** The library's own workloads, rendered with default options. */
const OWN_WORKLOADS: ReadonlyArray<[string, (chart: Chart) => string]> = [
  ['WorkloadIdentityDeployment', (c) => {
    new WorkloadIdentityDeployment(c, 'D', { identity: makeIdentity(), containers: [APP], initContainers: [INIT] });
    return 'Deployment';
  }],
  ['TokenFetchJob on IKS', (c) => {
    new TokenFetchJob(c, 'J', { identity: makeIdentity() });
    return 'Job';
  }],
  ['TokenFetchJob on ROKS', (c) => {
    new TokenFetchJob(c, 'J', { identity: makeIdentity({ clusters: [{ kind: ClusterKind.ROKS, crn: ROKS_CRN }] }) });
    return 'Job';
  }],
  ['TokenFetchJob with clusterKind IKS for a mixed identity', (c) => {
    const identity = makeIdentity({ clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: ROKS_CRN }] });
    new TokenFetchJob(c, 'J', { identity, clusterKind: ClusterKind.IKS });
    return 'Job';
  }],
];

/** Volume types Pod Security "restricted" allows. */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

describe.each(OWN_WORKLOADS)('Pod Security "restricted" for the %s', (_, declare) => {
  function renderedPod(): any {
    const chart = makeChart();
    const kind = declare(chart);
    return podSpec(manifestOf(chart, kind));
  }

  test('runs as non-root at pod level and in every container', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its pod is inspected THEN runAsNonRoot is true for the pod and no container turns it off
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    for (const c of allContainers(spec)) expect(c.securityContext?.runAsNonRoot).not.toBe(false);
  });

  test('never runs as UID 0', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its pod is inspected THEN neither the pod nor any container sets runAsUser 0
    expect(spec.securityContext.runAsUser).not.toBe(0);
    for (const c of allContainers(spec)) expect(c.securityContext?.runAsUser).not.toBe(0);
  });

  test('forbids privilege escalation in every container', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its pod is inspected THEN allowPrivilegeEscalation is explicitly false everywhere
    for (const c of allContainers(spec)) expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
  });

  test('drops ALL capabilities and adds none but NET_BIND_SERVICE in every container', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its pod is inspected THEN every container drops ALL
    for (const c of allContainers(spec)) {
      expect(c.securityContext.capabilities.drop).toContain('ALL');
      for (const cap of c.securityContext.capabilities.add ?? []) expect(cap).toBe('NET_BIND_SERVICE');
    }
  });

  test('uses the RuntimeDefault seccomp profile, not overridden by any container', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its pod is inspected THEN the pod seccomp profile is RuntimeDefault and no container says Unconfined
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const c of allContainers(spec)) expect(c.securityContext?.seccompProfile?.type).not.toBe('Unconfined');
  });

  test('uses only volume types the restricted profile allows (here projected and emptyDir)', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN its volumes are inspected THEN each is projected or emptyDir
    for (const v of spec.volumes) {
      const types = Object.keys(v).filter((k) => k !== 'name');
      expect(types).toHaveLength(1);
      expect(['projected', 'emptyDir']).toContain(types[0]);
      expect(RESTRICTED_VOLUME_TYPES).toContain(types[0]);
    }
  });

  test('does not share the host network, PID or IPC namespace', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN the pod is inspected THEN hostNetwork, hostPID and hostIPC are not true
    expect(spec.hostNetwork).not.toBe(true);
    expect(spec.hostPID).not.toBe(true);
    expect(spec.hostIPC).not.toBe(true);
  });

  test('runs no privileged container and opens no host ports', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN the containers are inspected THEN none is privileged or binds a host port
    for (const c of allContainers(spec)) {
      expect(c.securityContext?.privileged).not.toBe(true);
      for (const p of c.ports ?? []) expect(p.hostPort).toBeUndefined();
    }
  });

  test('mounts the API-server token nowhere', () => {
    // GIVEN the library's workload with default options
    const spec = renderedPod();
    // WHEN the pod is inspected THEN automountServiceAccountToken is false
    expect(spec.automountServiceAccountToken).toBe(false);
  });
});
