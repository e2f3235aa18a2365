// The compiled package on both engines: test/terraform/engines/synth-app.js runs the same app
// through lib/terraform on cdktf and through lib/cdktn on CDK Terrain, each in its own process as
// a user's program runs (`app.synth()`), and the stack files must be the same bytes. The
// differences allowed: the engine's version in the `//` comment block, which Terraform ignores,
// and the spacing of an empty object (cdktf 0.21 writes `{` and `}` on two lines, cdktn `{}`).
// Needs the build that `npm test` does first. Runs in the cdktf project only (jest.config.js).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.join(__dirname, 'engines', 'synth-app.js');
const ROOT = path.resolve(__dirname, '..', '..');
const ENGINES = ['cdktf', 'cdktn'] as const;
type Engine = typeof ENGINES[number];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-engines-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function engineVersion(engine: Engine): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${engine}/package.json`), 'utf8')).version;
}

const outputs = new Map<Engine, string>();
function synth(engine: Engine): string {
  if (!outputs.has(engine)) {
    const outdir = path.join(work, engine);
    const run = spawnSync(process.execPath, [SCRIPT, engine, outdir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`synth-app.js ${engine} exited ${run.status}: ${run.stderr}`);
    outputs.set(engine, outdir);
  }
  return outputs.get(engine)!;
}

/** The stack file with its one engine-specific line (the version in `//`) masked, after checking it. */
function stackFile(engine: Engine, stack: string): string {
  const text = fs.readFileSync(path.join(synth(engine), 'stacks', stack, 'cdk.tf.json'), 'utf8');
  const line = `      "version": "${engineVersion(engine)}"`;
  const comment = JSON.parse(text)['//'].metadata;
  expect(comment.version).toBe(engineVersion(engine));
  expect(text.split('\n').filter((l) => l === line)).toHaveLength(1);
  return text.replace(line, '      "version": "<engine version>"').replace(/\{\n\s*\}/g, '{}');
}

describe('the compiled Terraform side on cdktf and on CDK Terrain', () => {
  test('the two builds differ in the engine module only', () => {
    // GIVEN lib/terraform and lib/cdktn from the build
    const files = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    const cdktf = path.join(ROOT, 'lib', 'terraform');
    const cdktn = path.join(ROOT, 'lib', 'cdktn');

    // WHEN their files are compared
    const differing = files(cdktf).filter((f) => !fs.readFileSync(path.join(cdktf, f)).equals(fs.readFileSync(path.join(cdktn, f))));

    // THEN they hold the same files, and only the engine module, which loads cdktn, differs
    expect(files(cdktn)).toEqual(files(cdktf));
    expect(differing).toEqual(['engine.d.ts', 'engine.js']);
    expect(fs.readFileSync(path.join(cdktn, 'engine.js'), 'utf8')).toContain('require("cdktn")');
  });

  test.each(['platform', 'module', 'bare'])('write the %s stack as the same bytes', (stack) => {
    // GIVEN the same app (the platform example's identities plus lookups, claim rules, time
    // conditions and an existing profile; as a provider-configured stack and as a module)
    // WHEN each engine synthesizes it in its own process
    const onCdktf = stackFile('cdktf', stack);
    const onCdktn = stackFile('cdktn', stack);

    // THEN the files are byte-identical: same addresses, so the same state serves both engines
    expect(onCdktn).toBe(onCdktf);
    expect(JSON.parse(onCdktf).resource).toBeDefined();
  });
});
