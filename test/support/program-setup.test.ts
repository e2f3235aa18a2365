// How `npm test` decides to get busybox and curl (program-setup.ts), with apt-get and dpkg-deb
// replaced by recording stand-ins on a PATH of the test's making. The real path (Debian's
// package, downloaded and unpacked) runs in every `npm test` on a machine without busybox.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensurePrograms, SetupEnvironment } from './program-setup';

let dir: string;
let stubs: string;
let calls: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-program-setup-'));
  stubs = path.join(dir, 'bin');
  calls = path.join(dir, 'calls.log');
  fs.mkdirSync(stubs);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in program on the stub PATH: logs its arguments, then runs `body`. */
function stub(name: string, body = ''): void {
  fs.writeFileSync(path.join(stubs, name), `#!/bin/sh\nPATH=/usr/bin:/bin\nprintf '%s\\n' "${name} $*" >> '${calls}'\n${body}\n`, { mode: 0o755 });
}

function aptAndDpkg(): void {
  // apt-get download leaves a .deb in its working folder; dpkg-deb -x unpacks a bin/busybox.
  stub('apt-get', 'if [ "$1" = download ]; then : > busybox_1.35_amd64.deb; fi');
  stub('dpkg-deb', 'mkdir -p "$3/bin" && printf "#!/bin/sh\\n" > "$3/bin/busybox" && chmod +x "$3/bin/busybox"');
}

function env(overrides: Partial<SetupEnvironment> = {}): SetupEnvironment & { lines: string[] } {
  const lines: string[] = [];
  return { path: stubs, cacheDir: path.join(dir, 'cache', 'busybox'), isRoot: false, aptListsPresent: true, log: (l) => lines.push(l), lines, ...overrides };
}

const recorded = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : []);

describe('getting busybox and curl for the runtime tests', () => {
  test('uses busybox and curl from PATH and runs nothing', () => {
    // GIVEN both programs on PATH
    aptAndDpkg();
    stub('busybox');
    stub('curl');
    // WHEN the setup runs
    const outcome = ensurePrograms(env());
    // THEN it found both and called neither apt-get nor dpkg-deb
    expect(outcome).toEqual({ busybox: path.join(stubs, 'busybox'), curl: path.join(stubs, 'curl'), problems: [] });
    expect(recorded()).toEqual([]);
  });

  test('without root downloads Debian\'s busybox package and unpacks it into the cache, saying so', () => {
    // GIVEN no busybox, apt lists present, not root
    aptAndDpkg();
    stub('curl');
    const e = env();
    // WHEN the setup runs
    const outcome = ensurePrograms(e);
    // THEN it ran apt-get download (no update, no install) and dpkg-deb -x, and uses the unpacked binary
    expect(recorded().map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['apt-get download', 'dpkg-deb -x']);
    expect(outcome.busybox).toBe(path.join(e.cacheDir, 'bin', 'busybox'));
    expect(outcome.problems).toEqual([]);
    expect(e.lines).toEqual([expect.stringContaining('busybox is not installed; fetching Debian\'s busybox package into')]);
    expect(fs.readdirSync(path.dirname(e.cacheDir))).toEqual(['busybox']);
  });

  test('uses the busybox a previous run unpacked, without downloading again', () => {
    // GIVEN a busybox in the cache from an earlier run
    aptAndDpkg();
    stub('curl');
    ensurePrograms(env());
    fs.rmSync(calls);
    // WHEN the setup runs again
    const outcome = ensurePrograms(env());
    // THEN nothing was run
    expect(outcome.busybox).toBe(path.join(dir, 'cache', 'busybox', 'bin', 'busybox'));
    expect(recorded()).toEqual([]);
  });

  test('as root on an image without apt lists runs apt-get update first', () => {
    // GIVEN no busybox, no apt lists, root
    aptAndDpkg();
    stub('curl');
    // WHEN the setup runs
    const outcome = ensurePrograms(env({ isRoot: true, aptListsPresent: false }));
    // THEN it updated the lists once, then downloaded and unpacked
    expect(recorded().map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['apt-get update', 'apt-get download', 'dpkg-deb -x']);
    expect(outcome.problems).toEqual([]);
  });

  test('without root and without apt lists fails with the exact install command, running nothing', () => {
    // GIVEN no busybox, no apt lists, not root
    aptAndDpkg();
    stub('curl');
    // WHEN the setup runs
    const outcome = ensurePrograms(env({ aptListsPresent: false }));
    // THEN it says why and what to run, and called nothing
    expect(outcome.busybox).toBeUndefined();
    expect(outcome.problems).toEqual(['busybox is not installed and fetching it failed (apt has no package lists and only root can run `apt-get update`): install it with `apt-get update && apt-get install -y --no-install-recommends busybox curl`']);
    expect(recorded()).toEqual([]);
  });

  test('on a machine without apt-get names the install command', () => {
    // GIVEN no busybox and no apt-get
    stub('curl');
    // WHEN the setup runs
    const outcome = ensurePrograms(env({ isRoot: true }));
    // THEN the problem says there is no apt-get, and gives the command for Debian
    expect(outcome.problems).toEqual(['busybox is not installed and this machine has no apt-get to fetch it: install busybox (on Debian: `apt-get update && apt-get install -y --no-install-recommends busybox curl`)']);
  });

  test('reports a failed download with apt-get\'s own last line', () => {
    // GIVEN an apt-get whose download fails as it does offline
    stub('apt-get', 'echo "E: Failed to fetch http://deb.debian.org/debian/pool/main/b/busybox.deb  Could not resolve host" >&2; exit 100');
    stub('dpkg-deb');
    stub('curl');
    // WHEN the setup runs
    const outcome = ensurePrograms(env());
    // THEN the problem quotes the error and the install command
    expect(outcome.problems).toEqual([expect.stringMatching(/^busybox is not installed and fetching it failed \(E: Failed to fetch .*Could not resolve host\): install it with `apt-get update && apt-get install/)]);
  });

  test('installs a missing curl with apt-get as root, and only asks for it otherwise', () => {
    // GIVEN busybox on PATH and no curl
    aptAndDpkg();
    stub('busybox');
    // WHEN the setup runs as root, then as another user
    const asRoot = ensurePrograms(env({ isRoot: true }));
    const installs = recorded();
    fs.rmSync(calls);
    const asUser = ensurePrograms(env());
    // THEN root ran apt-get install for curl (its stand-in installs nothing, so it is still missing),
    // and the other user ran nothing and got the command
    expect(installs).toEqual(['apt-get install -y --no-install-recommends curl']);
    expect(asRoot.curl).toBeUndefined();
    expect(recorded()).toEqual([]);
    expect(asUser.problems).toEqual(['curl is not installed and only root can install it: install it with `apt-get update && apt-get install -y --no-install-recommends busybox curl`']);
  });
});
