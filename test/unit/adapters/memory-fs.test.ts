import { describe, expect, it } from 'vitest';
import { createMemoryFs } from '../../../lib/adapters/memory-fs.ts';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('createMemoryFs', () => {
  it('keeps files and folders, answering with the codes Node gives', async () => {
    const { promises: fs } = createMemoryFs();
    expect(await codeOf(fs.writeFile('/a/b', 'x'))).toBe('ENOENT');
    await fs.mkdir('/a');
    expect(await codeOf(fs.mkdir('/a'))).toBe('EEXIST');
    await fs.writeFile('/a/b', 'text');
    await fs.writeFile('/a/c', new Uint8Array([1, 2]));
    expect(await fs.readFile('/a/b', 'utf8')).toBe('text');
    expect(await fs.readFile('/a/./c')).toEqual(Buffer.from([1, 2]));
    expect((await fs.readdir('/a')).sort()).toEqual(['b', 'c']);
    expect((await fs.stat('/a')).isDirectory()).toBe(true);
    expect((await fs.lstat('/a/b')).size).toBe(4);
    expect(await codeOf(fs.readFile('/a'))).toBe('EISDIR');
    expect(await codeOf(fs.readFile('/a/b/c'))).toBe('ENOENT');
    expect(await codeOf(fs.readdir('/a/b'))).toBe('ENOTDIR');
    expect(await codeOf(fs.rmdir('/a'))).toBe('ENOTEMPTY');
    await fs.unlink('/a/b');
    await fs.unlink('/a/c');
    await fs.rmdir('/a');
    expect(await codeOf(fs.stat('/a'))).toBe('ENOENT');
    expect(fs.size).toBe(0);
  });

  it('answers a readFile of no path with a rejected promise, as isomorphic-git probes it', async () => {
    const { promises: fs } = createMemoryFs();
    await expect(fs.readFile()).rejects.toThrow('readFile needs a path');
  });
});
