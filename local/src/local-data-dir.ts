/**
 * The folder that keeps local mode's state across restarts (`local up --data-dir`), laid out as:
 *
 *   dynamodb/       the registry table (registrations, history): dynalite's LevelDB store, written as it changes
 *   github/         the GitOps repositories (bare git) with their pull requests, written as they change
 *   git-http/       the plain git host's repositories (bare git), written as they change
 *   peers.json      the ECR's images, Argo CD's Applications and the SQS queues (their messages, and a FIFO
 *                   queue's deduplication IDs still inside the 5-minute interval), written on close
 *   local-up.lock   the process using the folder, while it does: two at once would corrupt the store
 *
 * Secrets Manager is not kept: local mode seeds its two tokens on every start.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidInputError, quoteInput } from 'ecr-image-updater/lib/domain/errors';
import type { ApplicationStoreSnapshot } from './argocd/fake-argocd-server.ts';
import type { EcrSnapshot } from './ecr/fake-ecr-server.ts';
import type { SqsSnapshot } from './fake-sqs-server.ts';

/** What the in-memory peers hold, as peers.json keeps it. */
export interface PeerSnapshots {
  readonly ecr: EcrSnapshot;
  readonly argocd: ApplicationStoreSnapshot;
  readonly sqs: SqsSnapshot;
}

const LAYOUT = {
  dynamodb: 'dynamodb',
  github: 'github',
  gitHttp: 'git-http',
  peers: 'peers.json',
  lock: 'local-up.lock',
} as const;
const VERSION = 1;

export class LocalDataDir {
  private constructor(
    /** The folder, as an absolute path. */
    readonly path: string,
    /** Whether the folder held state from an earlier run when it was opened. */
    readonly resumed: boolean,
  ) {}

  /**
   * Opens (making it when missing) and locks a data folder. Refuses a folder that holds anything else
   * (so a mistyped path cannot fill a project folder) and one another process is using.
   */
  static async open(path: string): Promise<LocalDataDir> {
    const dir = resolve(path);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new InvalidInputError(
        '--data-dir',
        `cannot make the folder ${quoteInput(dir)} (${code(error)})`,
        'give a folder path',
        {
          cause: error,
        },
      );
    }
    const entries = await readdir(dir);
    const known = new Set<string>(Object.values(LAYOUT));
    const state = entries.filter((entry) => known.has(entry) && entry !== LAYOUT.lock);
    if (entries.length > 0 && !entries.some((entry) => known.has(entry))) {
      throw new InvalidInputError(
        '--data-dir',
        `${quoteInput(dir)} holds files that local up did not make`,
        'give a new or empty folder, or one an earlier local up --data-dir used',
      );
    }
    await lock(join(dir, LAYOUT.lock));
    return new LocalDataDir(dir, state.length > 0);
  }

  /** Where dynalite keeps the registry table. */
  get dynamodbPath(): string {
    return join(this.path, LAYOUT.dynamodb);
  }

  /** Where the fake GitHub keeps its repositories. */
  get githubPath(): string {
    return join(this.path, LAYOUT.github);
  }

  /** Where the plain git host keeps its repositories. */
  get gitHttpPath(): string {
    return join(this.path, LAYOUT.gitHttp);
  }

  /** What the in-memory peers held when the last run closed, or undefined on a first run. */
  async readPeers(): Promise<PeerSnapshots | undefined> {
    const file = join(this.path, LAYOUT.peers);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    }
    let saved: unknown;
    try {
      saved = JSON.parse(text);
    } catch {
      saved = undefined;
    }
    const { version, ...peers } = (saved ?? {}) as { version?: unknown } & Partial<PeerSnapshots>;
    if (version !== VERSION || !peers.ecr || !peers.argocd || !peers.sqs) {
      throw new InvalidInputError(
        '--data-dir',
        `${quoteInput(file)} is not a state file this local up can read (version ${VERSION})`,
        'move it away to start the ECR, Argo CD and SQS afresh',
      );
    }
    return peers as PeerSnapshots;
  }

  /** Saves what the in-memory peers hold; written beside and renamed, so a crash leaves the old file. */
  async writePeers(peers: PeerSnapshots): Promise<void> {
    const file = join(this.path, LAYOUT.peers);
    await writeFile(`${file}.new`, `${JSON.stringify({ version: VERSION, ...peers })}\n`);
    await rename(`${file}.new`, file);
  }

  /** Lets another process open the folder. */
  release(): Promise<void> {
    return rm(join(this.path, LAYOUT.lock), { force: true });
  }
}

/** Takes the lock file, or takes over one left by a process that is gone. */
async function lock(file: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if (code(error) !== 'EEXIST' || attempt > 0) throw error;
    }
    const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && isRunning(pid)) {
      throw new InvalidInputError(
        '--data-dir',
        `${quoteInput(resolve(file, '..'))} is in use by another local up (process ${pid})`,
        'stop that one (Ctrl-C) first, or give another folder',
      );
    }
    await rm(file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return code(error) === 'EPERM';
  }
}

function code(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}
