// writeOutputsAtomically / writeOutputFolders: every output folder replaced whole, or none.
// The kill test (kill.test.ts) covers crashes; these cover the outcomes of runs that end.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasInterruptedSwap, isTerraformWorkingFile, openOutputFolders, OutputError, recoverOutputs, writeOutputFolders, writeOutputsAtomically, writeStagedFile } from '../../src';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-output-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file under `dir`, relative path to contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('writeOutputFolders', () => {
  test('writes every folder with exactly the files given, and leaves nothing beside them', () => {
    // GIVEN two folders that do not exist yet
    const k8s = path.join(root, 'dist');
    const tf = path.join(root, 'cdktf.out');
    // WHEN both are written
    writeOutputFolders(new Map([[k8s, files({ 'a.k8s.yaml': 'a' })], [tf, files({ 'stacks/s/cdk.tf.json': '{}' })]]));
    // THEN each holds its files, and the parent holds only the two folders
    expect(tree(k8s)).toEqual({ 'a.k8s.yaml': 'a' });
    expect(tree(tf)).toEqual({ 'stacks/s/cdk.tf.json': '{}' });
    expect(fs.readdirSync(root).sort()).toEqual(['cdktf.out', 'dist']);
  });

  test('removes the files a synthesis no longer produces', () => {
    // GIVEN a folder with the manifests of two namespaces, and a stray file
    const dir = path.join(root, 'dist');
    writeOutputFolders(new Map([[dir, files({ 'orders.k8s.yaml': 'o', 'payments.k8s.yaml': 'p1' })]]));
    fs.writeFileSync(path.join(dir, 'stray.txt'), 'x');
    // WHEN a synthesis without the orders namespace writes it
    writeOutputFolders(new Map([[dir, files({ 'payments.k8s.yaml': 'p2' })]]));
    // THEN only the new file remains
    expect(tree(dir)).toEqual({ 'payments.k8s.yaml': 'p2' });
  });

  test('refuses a file name that leaves its folder, before anything is written', () => {
    // GIVEN an existing output folder
    const dir = path.join(root, 'dist');
    writeOutputFolders(new Map([[dir, files({ 'a.yaml': 'old' })]]));
    // WHEN a file named "../escape" is given
    // THEN the call fails naming it, and the folder and its parent are unchanged
    expect(() => writeOutputFolders(new Map([[dir, files({ 'a.yaml': 'new', '../escape': 'x' })]]))).toThrow(/"\.\.\/escape" of folder .* is not a relative path inside the folder/);
    expect(tree(dir)).toEqual({ 'a.yaml': 'old' });
    expect(fs.readdirSync(root)).toEqual(['dist']);
  });
});

describe('writeOutputsAtomically', () => {
  test('leaves every folder as it was when rendering throws after writing some files', () => {
    // GIVEN two folders with old contents
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    writeOutputFolders(new Map([[a, files({ 'x': 'old-a' })], [b, files({ 'y': 'old-b' })]]));
    // WHEN a render writes the first folder's files and then fails on the second side
    const attempt = () => writeOutputsAtomically([a, b], (staging) => {
      fs.writeFileSync(path.join(staging[0], 'x'), 'new-a');
      throw new Error('the Kubernetes side refuses the declaration');
    });
    // THEN the error is the render's, both folders are old, and no staging folder remains
    expect(attempt).toThrow('the Kubernetes side refuses the declaration');
    expect([tree(a), tree(b)]).toEqual([{ x: 'old-a' }, { y: 'old-b' }]);
    expect(fs.readdirSync(root).sort()).toEqual(['a', 'b']);
  });

  test('gives the render one empty staging folder per target, beside it', () => {
    // GIVEN a target with old contents
    const a = path.join(root, 'out', 'a');
    writeOutputFolders(new Map([[a, files({ old: '1' })]]));
    let seen: string[] = [];
    // WHEN a render looks at its staging folder
    writeOutputsAtomically([a], (staging) => {
      seen = [path.dirname(staging[0]), ...fs.readdirSync(staging[0])];
      fs.writeFileSync(path.join(staging[0], 'new'), '2');
    });
    // THEN it was empty and in the target's parent (same file system, so rename works)
    expect(seen).toEqual([path.join(root, 'out')]);
    expect(tree(a)).toEqual({ new: '2' });
  });

  test('refuses output folders inside one another, naming both', () => {
    // GIVEN dist and dist/platform as the folders of one synthesis
    // WHEN it runs
    // THEN it fails before rendering, because swapping dist would drop dist/platform
    const render = jest.fn();
    expect(() => writeOutputsAtomically([path.join(root, 'dist'), path.join(root, 'dist', 'platform')], render)).toThrow(OutputError);
    expect(() => writeOutputsAtomically([path.join(root, 'dist'), path.join(root, 'dist', 'platform')], render)).toThrow(/platform is inside output folder .*dist; .* do not nest/);
    expect(render).not.toHaveBeenCalled();
  });

  test('refuses a target that is a file', () => {
    // GIVEN a file where the output folder should be
    const target = path.join(root, 'dist');
    fs.writeFileSync(target, 'not a folder');
    // WHEN a synthesis runs
    // THEN it fails naming the path, and the file is kept
    expect(() => writeOutputFolders(new Map([[target, files({ a: 'a' })]]))).toThrow(/output path .*dist exists and is not a folder/);
    expect(fs.readFileSync(target, 'utf8')).toBe('not a folder');
  });

  test('refuses to run while a live process holds the folders\' lock', () => {
    // GIVEN a lock held by this (live) test process's parent
    const target = path.join(root, 'dist');
    fs.writeFileSync(path.join(root, '.dist.iwi-lock'), `${process.ppid}\n`);
    // WHEN a synthesis runs
    // THEN it fails naming the process, and writes nothing
    expect(() => writeOutputFolders(new Map([[target, files({ a: 'a' })]]))).toThrow(`is being written by process ${process.ppid}`);
    expect(fs.existsSync(target)).toBe(false);
  });

  test('takes over the lock of a process that no longer runs, and removes its staging leftovers', () => {
    // GIVEN the lock and a half-written staging folder of a process that has exited
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const target = path.join(root, 'dist');
    fs.writeFileSync(path.join(root, '.dist.iwi-lock'), `${dead}\n`);
    fs.mkdirSync(path.join(root, `.dist.iwi-staging-${dead}-0badc0de`));
    fs.writeFileSync(path.join(root, `.dist.iwi-staging-${dead}-0badc0de`, 'half'), '');
    // WHEN a synthesis runs
    writeOutputFolders(new Map([[target, files({ a: 'a' })]]));
    // THEN it wrote its folder, and the lock and the leftovers are gone
    expect(tree(target)).toEqual({ a: 'a' });
    expect(fs.readdirSync(root)).toEqual(['dist']);
  });
});

describe('openOutputFolders: files written as they are rendered, committed or abandoned', () => {
  test('keeps every target as it was until commit, however long the writing takes, then replaces each whole', async () => {
    // GIVEN two folders with old contents, opened for writing
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    writeOutputFolders(new Map([[a, files({ gone: 'old-a' })], [b, files({ y: 'old-b' })]]));
    const folders = openOutputFolders([a, b]);
    // WHEN files are written one by one, with other work in between
    writeStagedFile(folders.staging[0], 'one.k8s.yaml', '1');
    await new Promise((resolve) => setImmediate(resolve));
    writeStagedFile(folders.staging[0], 'two.k8s.yaml', '2');
    writeStagedFile(folders.staging[1], 'stacks/s/cdk.tf.json', '{}');
    // THEN the targets are still old meanwhile
    expect([tree(a), tree(b)]).toEqual([{ gone: 'old-a' }, { y: 'old-b' }]);
    // AND after commit each holds exactly the new files, with nothing left beside them
    folders.commit();
    expect([tree(a), tree(b)]).toEqual([{ 'one.k8s.yaml': '1', 'two.k8s.yaml': '2' }, { 'stacks/s/cdk.tf.json': '{}' }]);
    expect(fs.readdirSync(root).sort()).toEqual(['a', 'b']);
  });

  test('abandon leaves every target as it was and removes the staging folders and the lock', () => {
    // GIVEN an opened folder with some new files written
    const a = path.join(root, 'a');
    writeOutputFolders(new Map([[a, files({ x: 'old' })]]));
    const folders = openOutputFolders([a]);
    writeStagedFile(folders.staging[0], 'x', 'new');
    // WHEN the write is abandoned (twice: the second does nothing)
    folders.abandon();
    folders.abandon();
    // THEN the target is old and nothing else remains
    expect(tree(a)).toEqual({ x: 'old' });
    expect(fs.readdirSync(root)).toEqual(['a']);
  });

  test('refuses a commit after an abandon, naming the folders', () => {
    const folders = openOutputFolders([path.join(root, 'a')]);
    folders.abandon();
    expect(() => folders.commit()).toThrow(/output folders .*a were already committed or abandoned/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('refuses a second write of the same folders from this process while the first is open', () => {
    // GIVEN a write in progress in this process
    const a = path.join(root, 'a');
    const first = openOutputFolders([a]);
    writeStagedFile(first.staging[0], 'x', 'first');
    // WHEN another write of the same folder starts
    // THEN it is refused, and the first write's staging folder survives to be committed
    expect(() => openOutputFolders([a])).toThrow(/is being written by this process already/);
    first.commit();
    expect(tree(a)).toEqual({ x: 'first' });
    // AND once committed, the folder can be written again
    writeOutputFolders(new Map([[a, files({ x: 'second' })]]));
    expect(tree(a)).toEqual({ x: 'second' });
  });

  test('carries the kept entries of the old folder over at commit', () => {
    // GIVEN a Terraform output with a provider lock, opened for writing
    const tf = path.join(root, 'cdktf.out');
    writeOutputFolders(new Map([[tf, files({ 'stacks/s/cdk.tf.json': 'old', 'stacks/s/.terraform.lock.hcl': 'lock' })]]));
    const folders = openOutputFolders([tf], { keep: (_folder, rel) => isTerraformWorkingFile(rel) });
    // WHEN the new stack is written and committed
    writeStagedFile(folders.staging[0], 'stacks/s/cdk.tf.json', 'new');
    folders.commit();
    // THEN the lock file came along
    expect(tree(tf)).toEqual({ 'stacks/s/cdk.tf.json': 'new', 'stacks/s/.terraform.lock.hcl': 'lock' });
  });

  test('writeStagedFile refuses a path that leaves the folder and a file written twice', () => {
    const folders = openOutputFolders([path.join(root, 'a')]);
    writeStagedFile(folders.staging[0], 'x', '1');
    expect(() => writeStagedFile(folders.staging[0], '../escape', 'x')).toThrow(/is not a relative path inside the folder/);
    expect(() => writeStagedFile(folders.staging[0], 'x', '2')).toThrow(/EEXIST/);
    folders.abandon();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('a process killed while writing leaves the targets as they were, and the next write cleans up', () => {
    // GIVEN a process that opens the folder, writes a file and is killed before committing
    const a = path.join(root, 'a');
    writeOutputFolders(new Map([[a, files({ x: 'old' })]]));
    // (the built library: `npm test` builds first)
    const script = `const o = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'output', 'atomic-output.js'))});`
      + `const f = o.openOutputFolders([${JSON.stringify(a)}]); o.writeStagedFile(f.staging[0], 'x', 'half'); process.kill(process.pid, 'SIGKILL');`;
    const killed = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');
    // THEN the target is old, and its leftovers are there to be cleaned
    expect(tree(a)).toEqual({ x: 'old' });
    expect(fs.readdirSync(root).length).toBeGreaterThan(1);
    // AND the next write succeeds and leaves nothing beside the folder
    writeOutputFolders(new Map([[a, files({ x: 'new' })]]));
    expect(tree(a)).toEqual({ x: 'new' });
    expect(fs.readdirSync(root)).toEqual(['a']);
  });
});

describe('recoverOutputs', () => {
  /** The state a kill between "moved-old-0" and "placed-new-0" leaves, built by hand. */
  function interruptedSwap(): { a: string; b: string } {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    writeOutputFolders(new Map([[a, files({ x: 'old-a' })], [b, files({ y: 'old-b' })]]));
    fs.renameSync(a, path.join(root, '.a.iwi-old-1-00000000'));
    for (const [name, file, text] of [['a', 'x', 'new-a'], ['b', 'y', 'new-b']]) {
      fs.mkdirSync(path.join(root, `.${name}.iwi-staging-1-00000000`));
      fs.writeFileSync(path.join(root, `.${name}.iwi-staging-1-00000000`, file), text);
    }
    fs.writeFileSync(path.join(root, '.a.iwi-journal'), JSON.stringify({
      version: 1,
      pairs: ['a', 'b'].map((n) => ({ target: n, staging: `.${n}.iwi-staging-1-00000000`, backup: `.${n}.iwi-old-1-00000000` })),
    }));
    return { a, b };
  }

  test('reports a committed swap that a kill interrupted', () => {
    // GIVEN folder a moved aside, its new contents not yet in place, and the journal written
    const { a, b } = interruptedSwap();
    // WHEN a reader asks
    // THEN the folders are reported as between two states
    expect(hasInterruptedSwap([a, b])).toBe(true);
    expect(fs.existsSync(a)).toBe(false);
  });

  test('completes a committed swap: every folder gets its new contents, and the leftovers go', () => {
    // GIVEN the interrupted swap
    const { a, b } = interruptedSwap();
    // WHEN it is recovered
    const completed = recoverOutputs([a, b]);
    // THEN both folders are new, and nothing else remains
    expect(completed).toBe(true);
    expect([tree(a), tree(b)]).toEqual([{ x: 'new-a' }, { y: 'new-b' }]);
    expect(fs.readdirSync(root).sort()).toEqual(['a', 'b']);
    expect(hasInterruptedSwap([a, b])).toBe(false);
  });

  test('refuses a journal it cannot read, naming it, and changes nothing', () => {
    // GIVEN an interrupted swap whose journal was overwritten
    const { a, b } = interruptedSwap();
    fs.writeFileSync(path.join(root, '.a.iwi-journal'), '{"vers');
    // WHEN recovery runs
    // THEN it fails naming the journal, and the staging folders are kept for a person to decide
    expect(() => recoverOutputs([a, b])).toThrow(/the output journal .*\.a\.iwi-journal cannot be read/);
    expect(fs.existsSync(path.join(root, '.b.iwi-staging-1-00000000'))).toBe(true);
  });
});

describe('keeping Terraform\'s working files', () => {
  /** A cdktf output folder after `terraform init` and a local `apply` in stack "a" and stack "gone". */
  function initialized(): string {
    const dir = path.join(root, 'cdktf.out');
    writeOutputFolders(new Map([[dir, files({ 'manifest.json': 'm1', 'stacks/a/cdk.tf.json': 'a1', 'stacks/gone/cdk.tf.json': 'g1' })]]));
    for (const stack of ['a', 'gone']) {
      fs.mkdirSync(path.join(dir, 'stacks', stack, '.terraform', 'providers'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', stack, '.terraform', 'providers', 'plugin'), 'binary');
      fs.writeFileSync(path.join(dir, 'stacks', stack, '.terraform.lock.hcl'), 'lock');
      fs.writeFileSync(path.join(dir, 'stacks', stack, 'terraform.tfstate'), 'state');
    }
    fs.writeFileSync(path.join(dir, 'stacks', 'a', 'notes.txt'), 'mine');
    return dir;
  }
  const keep = { keep: (_folder: string, rel: string) => isTerraformWorkingFile(rel) };

  test('carries a stack\'s provider lock, plugins and local state into the new folder', () => {
    // GIVEN an initialized stack folder
    const dir = initialized();
    // WHEN a synthesis that still produces stack "a" runs, keeping Terraform's working files
    writeOutputFolders(new Map([[dir, files({ 'manifest.json': 'm2', 'stacks/a/cdk.tf.json': 'a2' })]]), keep);
    // THEN stack a has its new JSON and its working files; other files and the dropped stack are gone
    expect(tree(dir)).toEqual({
      'manifest.json': 'm2',
      'stacks/a/cdk.tf.json': 'a2',
      'stacks/a/.terraform/providers/plugin': 'binary',
      'stacks/a/.terraform.lock.hcl': 'lock',
      'stacks/a/terraform.tfstate': 'state',
    });
  });

  test('lets the synthesis\'s own file win over a kept one', () => {
    // GIVEN an initialized stack folder
    const dir = initialized();
    // WHEN the synthesis itself writes a .terraform.lock.hcl
    writeOutputFolders(new Map([[dir, files({ 'stacks/a/cdk.tf.json': 'a2', 'stacks/a/.terraform.lock.hcl': 'new lock' })]]), keep);
    // THEN its version is the one in place
    expect(tree(dir)['stacks/a/.terraform.lock.hcl']).toBe('new lock');
  });

  test('leaves the old folder whole until the swap, so a failed render keeps everything', () => {
    // GIVEN an initialized stack folder
    const dir = initialized();
    const before = tree(dir);
    // WHEN a render fails after the kept files would be linked
    expect(() => writeOutputsAtomically([dir], () => { throw new Error('refused'); }, keep)).toThrow('refused');
    // THEN the folder is as it was
    expect(tree(dir)).toEqual(before);
  });

  test.each([
    ['stacks/a/.terraform', true], ['stacks/a/.terraform.lock.hcl', true], ['stacks/a/terraform.tfstate', true],
    ['stacks/a/terraform.tfstate.backup', true], ['stacks/a/terraform.tfstate.d', true],
    ['stacks/a/cdk.tf.json', false], ['.terraform', false], ['stacks/a/b/.terraform', false], ['manifest.json', false],
  ])('isTerraformWorkingFile("%s") is %s', (rel, expected) => {
    // GIVEN a path inside a cdktf output folder
    // WHEN it is classified
    // THEN only a stack's own Terraform working files are kept
    expect(isTerraformWorkingFile(rel)).toBe(expected);
  });
});
