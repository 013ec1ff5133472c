import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatBytes, readInput } from '../../../cli/read-input.ts';

const dir = mkdtempSync(join(tmpdir(), 'read-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const noStdin = async () => '';

describe('readInput', () => {
  it('reads a file up to its limit', async () => {
    expect(await readInput(file('ok.yaml', 'é'.repeat(512)), '--file', noStdin, 'fix', 1024)).toBe(
      'é'.repeat(512),
    );
  });

  it('refuses a file past the limit, naming the flag and the limit', async () => {
    const path = file('big.yaml', 'a'.repeat(1024 * 1024 + 1));
    await expect(readInput(path, '--file', noStdin, 'fix', 1024 * 1024)).rejects.toThrow(
      `--file: '${path}' is larger than the limit of 1 MiB; split it into several files`,
    );
  });

  it('asks standard input for no more than the limit, and refuses more', async () => {
    const asked: Array<number | undefined> = [];
    const stdin = async (limit?: number) => {
      asked.push(limit);
      return 'a'.repeat(2048);
    };
    await expect(readInput('-', '--file', stdin, 'fix', 1024)).rejects.toThrow(
      '--file: standard input is larger than the limit of 1024 bytes',
    );
    expect(asked).toEqual([1024]);
  });

  it('reads without a limit when none is given', async () => {
    expect((await readInput(file('any.json', 'x'.repeat(5000)), '--candidates', noStdin, 'fix')).length).toBe(
      5000,
    );
  });

  it('names the flag when the file cannot be read', async () => {
    await expect(readInput(join(dir, 'missing.yaml'), '--file', noStdin, 'give a file', 10)).rejects.toThrow(
      /^--file: cannot read '.*missing\.yaml' \(ENOENT\); give a file$/,
    );
  });
});

describe('formatBytes', () => {
  it('says MiB for whole MiB and bytes otherwise', () => {
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(4 * 1024 * 1024)).toBe('4 MiB');
    expect(formatBytes(409_600)).toBe('409600 bytes');
  });
});
