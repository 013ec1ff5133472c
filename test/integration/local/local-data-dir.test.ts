import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDataDir, type PeerSnapshots } from '@ecr-image-updater/local/local-data-dir';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'local-data-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const newPath = () => join(root, `dir-${++count}`);

const peers: PeerSnapshots = {
  ecr: { repositories: [] },
  argocd: { revision: 3, applications: [] },
  sqs: { queues: [{ name: 'dlq', visibilityTimeoutSeconds: 30, messages: [] }] },
};

describe('LocalDataDir', () => {
  it('makes a missing folder, and finds what the last run saved when opened again', async () => {
    const path = newPath();
    const first = await LocalDataDir.open(path);
    expect(first).toMatchObject({ path, resumed: false });
    expect(await first.readPeers()).toBeUndefined();
    await first.writePeers(peers);
    await first.release();
    const second = await LocalDataDir.open(path);
    expect(second.resumed).toBe(true);
    expect(await second.readPeers()).toEqual(peers);
    expect(existsSync(join(path, 'peers.json.new'))).toBe(false);
    await second.release();
  });

  it('is used by one process at a time, and takes over the lock of a process that is gone', async () => {
    const path = newPath();
    const open = await LocalDataDir.open(path);
    await expect(LocalDataDir.open(path)).rejects.toThrow(
      `--data-dir: '${path}' is in use by another local up (process ${process.pid})`,
    );
    await open.release();
    // No process has this id (Linux's limit is 2^22).
    writeFileSync(join(path, 'local-up.lock'), '999999999\n');
    const after = await LocalDataDir.open(path);
    expect(readFileSync(join(path, 'local-up.lock'), 'utf8')).toBe(`${process.pid}\n`);
    await after.release();
    expect(existsSync(join(path, 'local-up.lock'))).toBe(false);
  });

  it('refuses a folder of other files, a file, and a state file it cannot read, naming each', async () => {
    writeFileSync(join(root, 'a-file'), 'x');
    await expect(LocalDataDir.open(join(root, 'a-file'))).rejects.toThrow(
      `--data-dir: cannot make the folder '${join(root, 'a-file')}' (EEXIST)`,
    );
    await expect(LocalDataDir.open(root)).rejects.toThrow(
      `--data-dir: '${root}' holds files that local up did not make; give a new or empty folder`,
    );
    const path = newPath();
    const dir = await LocalDataDir.open(path);
    writeFileSync(join(path, 'peers.json'), '{"version":0}');
    await expect(dir.readPeers()).rejects.toThrow(
      `--data-dir: '${join(path, 'peers.json')}' is not a state file this local up can read (version 1); move it away`,
    );
    await dir.release();
  });

  it('quotes at most 80 characters of a 2 MB path', async () => {
    const huge = `/${'d'.repeat(2_000_000)}`;
    await expect(LocalDataDir.open(huge)).rejects.toThrow(
      `--data-dir: cannot make the folder '/${'d'.repeat(79)}…' (2000001 characters) (ENAMETOOLONG); give a folder path`,
    );
  });
});
