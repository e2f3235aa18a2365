// `check` judges the manifests kubectl would apply: the holes the issue found in how it read
// them (YAML 1.2 instead of 1.1, merge keys off, JSON, UTF-16, OpenShift and nested Lists
// skipped), each with the input that exposed it.
import * as path from 'path';
import { check, expectNoStackTrace, pod, scratch } from './check-support';

jest.setTimeout(60_000);

const k8s = (dir: string, ...extra: string[]) => check(['check', '--k8s', dir, '--no-terraform', ...extra]);

describe('check reads YAML as kubectl does (YAML 1.1)', () => {
  test.each([
    ['hostNetwork: yes', '  hostNetwork: yes\n'],
    ['hostNetwork: on', '  hostNetwork: on\n'],
    ['hostPID: Y', '  hostPID: Y\n'],
  ])('flags %s, which kubectl reads as true', (_label, line) => {
    // GIVEN an otherwise compliant Pod with the YAML 1.1 boolean
    const dir = scratch({ 'pod.yaml': pod('app', line) });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN Pod Security "restricted" is broken: exit 1 with IWI-S1
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/app');
    expect(r.status).toBe(1);
  });

  test('flags privileged: on inside a container', () => {
    // GIVEN a container whose securityContext says privileged: on
    const dir = scratch({ 'pod.yaml': pod('app').replace('allowPrivilegeEscalation: false,', 'allowPrivilegeEscalation: false, privileged: on,') });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN it is the Pod Security error
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/app');
  });

  test('judges a container command brought in by a << merge key', () => {
    // GIVEN a Job whose container takes its command from an anchored map through `<<:`
    const job = `apiVersion: batch/v1
kind: Job
metadata: { name: leak, namespace: payments }
x-base: &leaky
  command: ["/bin/sh", "-c", "curl -d cr_token=$(cat /var/run/secrets/tokens/sa-token) https://iam.cloud.ibm.com/identity/token"]
spec:
  template:
    spec:
      restartPolicy: Never
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - <<: *leaky
          name: fetch
          image: curlimages/curl:8.11.1
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
          volumeMounts: [{ name: sa-token, mountPath: /var/run/secrets/tokens }]
      volumes:
        - name: sa-token
          projected: { sources: [{ serviceAccountToken: { path: sa-token, audience: iam, expirationSeconds: 3600 } }] }
`;
    const dir = scratch({ 'job.yaml': job });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN the merged command is judged: the token on the command line is IWI-K4
    expect(r.stdout).toContain('ERROR IWI-K4 Job payments/leak');
    expect(r.status).toBe(1);
  });

  test('refuses a %YAML 1.2 directive\'s way out: yes stays a boolean', () => {
    // GIVEN the same Pod declaring YAML 1.2, under which `yes` would be a string
    const dir = scratch({ 'pod.yaml': `%YAML 1.2\n---\n${pod('app', '  hostNetwork: yes\n')}` });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN kubectl's reading (true) is judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/app');
    expect(r.status).toBe(1);
  });
});

describe('check reads every file and object kubectl would apply', () => {
  test('reads .json manifests', () => {
    // GIVEN a JSON Pod with hostNetwork true
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j', namespace: 'payments' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } };
    const dir = scratch({ 'pod.json': JSON.stringify(manifest) });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN it is judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/j');
    expect(r.status).toBe(1);
  });

  test.each([
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod('u16', '  hostNetwork: true\n'), 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(pod('u16', '  hostNetwork: true\n'), 'utf16le').swap16()])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pod('u16', '  hostNetwork: true\n'))])],
  ])('reads a %s file', (_label, bytes) => {
    // GIVEN a Pod with hostNetwork true in that encoding
    const dir = scratch({ 'pod.yaml': bytes });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN it is decoded and judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/u16');
  });

  test('judges an OpenShift DeploymentConfig', () => {
    // GIVEN a DeploymentConfig (apps.openshift.io/v1) running host-network pods
    const dc = `apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: { name: legacy, namespace: payments }
spec:
  replicas: 1
  template:
    metadata: { labels: { app: legacy } }
    spec:
      hostNetwork: true
      containers: [{ name: app, image: example/app:1.0 }]
`;
    const dir = scratch({ 'dc.yaml': dc });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN its pod template is judged
    expect(r.stdout).toContain('ERROR IWI-S1 DeploymentConfig payments/legacy');
  });

  test('does not take a Deployment of another API group for a workload', () => {
    // GIVEN a custom resource named Deployment in example.com, whose spec looks like a pod template
    const cr = 'apiVersion: example.com/v1\nkind: Deployment\nmetadata: { name: crd, namespace: payments }\nspec: { template: { spec: { hostNetwork: true, containers: [{ name: c, image: x }] } } }\n';
    const dir = scratch({ 'cr.yaml': cr });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN it runs no pods of its own: nothing is flagged
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('IWI-S1');
  });

  test('reads PodList and nested Lists at any depth', () => {
    // GIVEN a List holding a PodList holding a host-network Pod
    const inner = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'deep', namespace: 'payments' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } });
    const dir = scratch({ 'list.yaml': `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: PodList\n    items: [${inner}]\n` });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN the Pod inside is judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/deep');
  });
});

describe('check on malformed manifests: exit 2 naming the file and the path, never a stack trace', () => {
  test.each([
    ['containers as an object', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec: { template: { spec: { containers: { name: c } } } }\n', 'spec.template.spec.containers: must be a list, not an object'],
    ['ports as a string', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, ports: "80" }] }\n', 'spec.containers[0].ports: must be a list, not string "80"'],
    ['command as a string', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, command: "cat /x" }] }\n', 'spec.containers[0].command: must be a list'],
    ['env as a map', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, env: { A: b } }] }\n', 'spec.containers[0].env: must be a list'],
    ['an annotation that is a boolean', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, annotations: { a: yes } }\nspec: { containers: [] }\n', 'metadata.annotations.a: must be a string, not boolean'],
    ['a duplicate key', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  hostNetwork: false\n  hostNetwork: true\n', 'not valid YAML'],
    ['a document that is a list', '- a\n- b\n', 'must be a Kubernetes object or a List, not a list'],
    ['a List whose items are not a list', 'apiVersion: v1\nkind: List\nitems: { a: 1 }\n', 'items: a "List"\'s items must be a list'],
  ])('%s', (_label, text, expected) => {
    // GIVEN the malformed manifest
    const dir = scratch({ 'bad.yaml': text });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN exit 2, naming the file and what is wrong where
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(path.join(dir, 'bad.yaml'));
    expect(r.stderr).toContain(expected);
    expectNoStackTrace(r);
  });

  test('names the document and the List item holding the problem', () => {
    // GIVEN a second document, a List whose second item has ports as a string
    const ok = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const bad = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: 'x' }] } });
    const dir = scratch({ 'bad.yaml': `kind: ConfigMap\napiVersion: v1\nmetadata: { name: first }\n---\napiVersion: v1\nkind: List\nitems: [${ok}, ${bad}]\n` });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN the message leads to the exact place
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'bad.yaml')} at document 2, items[1].spec.containers[0].ports: must be a list`);
  });

  test('quotes at most a short excerpt of the input', () => {
    // GIVEN ports given as a 10,000-character string
    const dir = scratch({ 'bad.yaml': `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, ports: "${'8'.repeat(10_000)}" }] }\n` });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN the message stays short
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeLessThan(600);
  });
});
