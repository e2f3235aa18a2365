// Runs the token-fetch Job's script, taken from the synthesized Job manifest (not a copy), the
// way the Job runs it: `/bin/sh -c <script>` with busybox as sh and the busybox applets on PATH
// (the curl image is Alpine), the real curl, and the container's environment from the manifest.
// Only what the cluster would provide differently is replaced: the IAM URL (a local endpoint),
// the token's location (a temp dir standing in for the mount), TMPDIR, and the backoff, scaled
// down to keep the tests fast.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalIamEndpoint, standInProfile } from './iam-endpoint';
import { mintProjectedToken } from './jwt';
import { alpineLikeBin, requirePrograms, RunResult, runProgram } from './programs';
import { envList, paymentsIdentity, tokenFetchJobManifest } from './synth';

export const KEY = 'token-fetch-test-key';

export interface RunOptions {
  /** The token-fetch container of another synthesized Job. @default the Job of `identity` */
  readonly container?: any;
  readonly env?: Record<string, string>;
  readonly binDir?: string;
  readonly whileRunning?: (pid: number) => void;
}

/** The Job, a scratch pod file system, a local IAM; fresh for every test (registers the hooks). */
export class ScriptHarness {
  public readonly identity = paymentsIdentity();
  public readonly job = tokenFetchJobManifest(this.identity);
  public readonly pod = this.job.spec.template.spec;
  public readonly container = this.pod.containers.find((c: any) => c.name === 'token-fetch');
  public readonly manifestEnv: Record<string, string> = Object.fromEntries(envList(this.container));
  /** Where the pod sees the projected token: the mount path and the projected file name. */
  public readonly tokenPath: string;
  public work!: string;
  public bin!: string;
  public iam!: LocalIamEndpoint;
  public projectedToken!: string;
  private readonly tokenMountPath: string;

  constructor() {
    const mount = this.container.volumeMounts.find((m: any) => m.name === 'sa-token');
    const source = this.pod.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken;
    this.tokenMountPath = mount.mountPath;
    this.tokenPath = `${mount.mountPath}/${source.path}`;
    // Fails every test, with the install command, when busybox or curl is missing.
    beforeAll(() => { requirePrograms(); });
    beforeEach(async () => {
      this.iam = undefined as unknown as LocalIamEndpoint;
      this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-token-fetch-'));
      this.bin = alpineLikeBin(path.join(this.work, 'bin'));
      fs.mkdirSync(path.join(this.work, 'tmp'));
      fs.mkdirSync(path.join(this.work, 'home'));
      // The kubelet writes the projected token without a trailing newline.
      this.projectedToken = mintProjectedToken({ namespace: 'payments', serviceAccount: 'payments-api', key: KEY });
      fs.mkdirSync(path.join(this.work, 'root', this.tokenMountPath), { recursive: true });
      fs.writeFileSync(this.tokenFile, this.projectedToken, { mode: 0o600 });
      this.iam = await LocalIamEndpoint.start([standInProfile(this.identity.profileName, [{ namespace: 'payments', serviceAccount: 'payments-api' }])], KEY);
    });
    afterEach(async () => {
      if (this.work) fs.rmSync(this.work, { recursive: true, force: true });
      await this.iam?.close();
    });
  }

  /** The token file on this machine. */
  public get tokenFile(): string {
    return path.join(this.work, 'root', this.tokenPath);
  }

  /** Runs the Job's script with the manifest's env, changed only as the header says. */
  public run(opts: RunOptions = {}): Promise<RunResult> {
    return runProgram(...this.command(opts), opts.whileRunning);
  }

  /** The argv, env and working folder `run` uses. */
  public command(opts: RunOptions = {}): [string[], Record<string, string>, string] {
    const c = opts.container ?? this.container;
    const [shell, flag, script] = c.command;
    if (shell !== '/bin/sh' || flag !== '-c') throw new Error(`the Job runs ${shell} ${flag}, not /bin/sh -c`);
    const env: Record<string, string> = {
      ...Object.fromEntries(envList(c)),
      TOKEN_FETCH_URL: this.iam.tokenUrl,
      IBMCLOUD_CR_TOKEN: `@${this.tokenFile}`,
      TMPDIR: path.join(this.work, 'tmp'),
      TOKEN_FETCH_BACKOFF: '1',
      // What the container runtime sets: PATH (the image's, here busybox applets and curl) and HOME.
      PATH: opts.binDir ?? this.bin,
      HOME: path.join(this.work, 'home'),
      ...opts.env,
    };
    return [[path.join(opts.binDir ?? this.bin, 'sh'), flag, script], env, this.work];
  }
}

export type { RunResult };
