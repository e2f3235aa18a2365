// The Kubernetes side of `synth` (renderKubernetes in src/cli/synth.ts) writes each namespace's
// file as cdk8s's own Yaml.stringify writes the same objects, although it writes it by shape.
import { Yaml } from 'cdk8s';
import { renderKubernetes, RenderedNamespace } from '../../src/cli/synth';
import { workloadDeclarationsFromData } from '../../src/declarations';

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const ROKS = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';

function declarations() {
  const identities = Array.from({ length: 9 }, (_, i) => ({
    name: `app-${i}`,
    serviceAccount: { namespace: `team-${i % 3}`, ...(i === 4 ? { name: 'yes' } : {}) },
    clusters: [i % 2 ? { kind: 'IKS', crn: CRN } : { kind: 'ROKS', crn: ROKS }],
    ...(i === 5 ? { acknowledgements: [{ ruleId: 'IWI-K4', reason: 'a reason long enough to count: "quoted", #hash, yes' }] } : {}),
    workload: { image: `icr.io/team/app-${i}:1.${i}.0`, ...(i % 2 ? { replicas: i, port: 8000 + i } : {}) },
  }));
  return workloadDeclarationsFromData({ identities }, 'identities.yaml', { requireWorkload: true });
}

function render(): [string, RenderedNamespace][] {
  const out: [string, RenderedNamespace][] = [];
  renderKubernetes(declarations(), (file, namespace) => out.push([file, namespace]));
  return out;
}

describe('renderKubernetes', () => {
  test('writes every namespace as cdk8s\'s Yaml.stringify writes its objects, byte for byte', () => {
    // GIVEN nine identities in three namespaces, on both cluster kinds, with values YAML quotes
    // WHEN the Kubernetes side is rendered
    const files = render();
    // THEN each file is cdk8s's text of the objects it holds
    expect(files.map(([file]) => file)).toEqual(['team-0.k8s.yaml', 'team-1.k8s.yaml', 'team-2.k8s.yaml']);
    for (const [, { yaml, objects }] of files) {
      expect(objects).toBeDefined();
      expect(yaml).toBe(Yaml.stringify(...objects!));
    }
  });

  test('hands cdk8s\'s Yaml.stringify back unchanged afterwards', () => {
    const before = Object.getOwnPropertyDescriptor(Yaml, 'stringify');
    render();
    expect(Object.getOwnPropertyDescriptor(Yaml, 'stringify')).toEqual(before);
  });

  test('writes with cdk8s itself when cdk8s joins documents otherwise than the writer does', () => {
    // GIVEN a cdk8s whose Yaml.stringify puts a comment between documents
    const original = Yaml.stringify;
    const joinedOtherwise = (...docs: any[]) => docs.map((d) => original.call(Yaml, d)).join('---\n# next\n');
    Yaml.stringify = joinedOtherwise;
    try {
      // WHEN the Kubernetes side is rendered
      const files = render();
      // THEN every file is that cdk8s's text
      for (const [, { yaml, objects }] of files) expect(yaml).toBe(joinedOtherwise(...objects!));
      expect(files[0][1].yaml).toContain('# next');
    } finally {
      Yaml.stringify = original;
    }
  });
});
