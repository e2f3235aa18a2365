// Terraform modules merged as Terraform merges them (hashicorp/terraform v1.x
// internal/configs/parser_config_dir.go: primary files, then override files;
// internal/configs/module_merge.go: an override replaces each argument and each nested block
// type it sets), not as @cdktf/hcl2json's convertFiles() deep-merges them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ReadError } from '../../src/decode/files';
import { decodeTerraformFile, mergeModule, readTerraformDir } from '../../src/decode/terraform';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-tf-'));
  dirs.push(dir);
  for (const [f, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), c);
  }
  return dir;
}
const read = (dir: string) => readTerraformDir(dir, { maxFileSize: 1 << 20 });

describe('mergeModule', () => {
  test('an override replaces a nested block type wholly, it does not deep-merge it', () => {
    // GIVEN a policy with resources { service, resource_instance_id } and an override setting resources { service }
    const module = mergeModule('m', [
      { file: 'm/main.tf.json', config: { resource: { p: { a: { roles: ['Reader'], resources: { service: 'kms', resource_instance_id: 'i-1' } } } } } },
      { file: 'm/a_override.tf.json', config: { resource: { p: { a: { resources: { service: 'kms' } } } } } },
    ]);
    // WHEN merged
    // THEN the instance is gone (Terraform's rule), and the roles stay
    expect(module.config.resource.p.a).toEqual({ roles: ['Reader'], resources: { service: 'kms' } });
  });

  test('override files apply after every primary file, whatever their names', () => {
    // GIVEN an override file whose name sorts before the primary one
    const module = mergeModule('m', [
      { file: 'm/a_override.tf.json', config: { resource: { p: { a: { roles: ['Administrator'] } } } } },
      { file: 'm/z.tf.json', config: { resource: { p: { a: { roles: ['Reader'] } } } } },
    ]);
    // WHEN merged
    // THEN the override wins
    expect(module.config.resource.p.a.roles).toEqual(['Administrator']);
  });

  test('later override files win over earlier ones', () => {
    // GIVEN two overrides of the same argument
    const module = mergeModule('m', [
      { file: 'm/main.tf', config: { resource: { p: { a: [{ roles: ['Reader'] }] } } } },
      { file: 'm/a_override.tf', config: { resource: { p: { a: [{ roles: ['Writer'] }] } } } },
      { file: 'm/b_override.tf', config: { resource: { p: { a: [{ roles: ['Manager'] }] } } } },
    ]);
    // WHEN merged
    // THEN the last in name order wins
    expect(module.config.resource.p.a.roles).toEqual(['Manager']);
  });

  test('locals merge by name; an override replaces one, a duplicate is an error', () => {
    // GIVEN locals in two primary files and an override
    const module = mergeModule('m', [
      { file: 'm/a.tf', config: { locals: [{ x: 1 }] } },
      { file: 'm/b.tf.json', config: { locals: { y: 2 } } },
      { file: 'm/override.tf', config: { locals: [{ x: 3 }] } },
    ]);
    // WHEN merged
    // THEN both, with x overridden
    expect(module.config.locals).toEqual({ x: 3, y: 2 });
    expect(() => mergeModule('m', [{ file: 'm/a.tf', config: { locals: [{ x: 1 }] } }, { file: 'm/b.tf', config: { locals: [{ x: 2 }] } }]))
      .toThrow('local value "x" is also defined in m/a.tf');
  });

  test('a data source defined twice is an error; a resource and a data source may share a name', () => {
    // GIVEN a resource and a data source both named p.a, then a second data source p.a
    const ok = mergeModule('m', [{ file: 'm/a.tf.json', config: { resource: { p: { a: {} } }, data: { p: { a: {} } } } }]);
    // WHEN merged
    // THEN the first is fine, the second refused
    expect(ok.sources?.get('data.p.a')).toBe('m/a.tf.json');
    expect(() => mergeModule('m', [{ file: 'm/a.tf.json', config: { data: { p: { a: {} } } } }, { file: 'm/b.tf.json', config: { data: { p: { a: {} } } } }]))
      .toThrow('data source "p" "a" is also defined in m/a.tf.json');
  });

  test('records which file defines each resource', () => {
    // GIVEN two files
    const module = mergeModule('m', [
      { file: 'm/a.tf.json', config: { resource: { p: { a: {} } } } },
      { file: 'm/b.tf', config: { resource: { p: { b: [{}] } } } },
    ]);
    // WHEN merged
    // THEN each address maps to its file
    expect([...(module.sources ?? [])]).toEqual([['p.a', 'm/a.tf.json'], ['p.b', 'm/b.tf']]);
  });
});

describe('readTerraformDir', () => {
  test('ignores editor and hidden files, as Terraform does', async () => {
    // GIVEN a real file and three Terraform ignores, each of which would be a duplicate
    const res = 'resource "ibm_iam_trusted_profile" "p" {\n  name = "x"\n}\n';
    const dir = folder({ 'main.tf': res, '.hidden.tf': res, '#main.tf#': res, 'main.tf~': res });
    // WHEN read
    const modules = await read(dir);
    // THEN one module with one resource
    expect(Object.keys(modules[0].config.resource.ibm_iam_trusted_profile)).toEqual(['p']);
  });

  test('does not enter .terraform, where modules are downloaded', async () => {
    // GIVEN a downloaded module under .terraform
    const dir = folder({ 'main.tf.json': '{}', '.terraform/modules/x/main.tf': 'resource "a" "b" {}\n' });
    // WHEN read
    // THEN one module only
    expect(await read(dir)).toHaveLength(1);
  });

  test('reads HCL blocks into the JSON shape', async () => {
    // GIVEN an HCL policy with a nested block
    const config = await decodeTerraformFile('main.tf', Buffer.from('resource "t" "n" {\n  roles = ["Reader"]\n  resources {\n    service = "kms"\n  }\n}\n'));
    // WHEN decoded
    // THEN nested blocks are lists, as hcl2json writes them, and values literal
    expect(config).toEqual({ resource: { t: { n: [{ roles: ['Reader'], resources: [{ service: 'kms' }] }] } } });
  });

  test('refuses a .tf.json that is not an object', async () => {
    for (const text of ['null', '[]', '1', '"x"']) {
      // GIVEN the value
      // WHEN decoded
      // THEN a ReadError
      await expect(decodeTerraformFile('cdk.tf.json', Buffer.from(text))).rejects.toBeInstanceOf(ReadError);
    }
  });
});
