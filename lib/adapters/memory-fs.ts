/**
 * A file system in memory, as isomorphic-git is given one: its promise API (`readFile`, `writeFile`,
 * `mkdir`, `rmdir`, `unlink`, `stat`, `lstat`, `readdir`, `readlink`, `symlink`; isomorphic-git's
 * docs/fs.md) over two maps. A shallow fetch of one branch lives here for the life of one write and goes
 * with it: nothing is left in Lambda's /tmp for the next invocation, and nothing needs cleaning up.
 * Errors carry Node's codes (ENOENT, EEXIST, ENOTDIR, ENOTEMPTY, EISDIR), which is how isomorphic-git
 * tells a missing file from a failure.
 */

interface Stats {
  readonly type: 'file' | 'dir';
  readonly mode: number;
  readonly size: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly uid: 1;
  readonly gid: 1;
  readonly dev: 1;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The `fs` option of isomorphic-git's commands. */
export interface MemoryFs {
  readonly promises: MemoryFsPromises;
}

export class MemoryFsPromises {
  readonly #files = new Map<string, Uint8Array>();
  readonly #dirs = new Set<string>(['/']);
  readonly #inodes = new Map<string, number>();
  #nextInode = 1;

  /** Bytes held in files, for the memory it costs. */
  get size(): number {
    let bytes = 0;
    for (const data of this.#files.values()) bytes += data.byteLength;
    return bytes;
  }

  async readFile(path?: string, options?: string | { encoding?: string }): Promise<Uint8Array | string> {
    if (path === undefined) throw new TypeError('readFile needs a path');
    const at = normalize(path);
    const data = this.#files.get(at);
    if (!data) throw fsError(this.#dirs.has(at) ? 'EISDIR' : 'ENOENT', 'open', at);
    const encoding = typeof options === 'string' ? options : options?.encoding;
    return encoding ? new TextDecoder().decode(data) : Buffer.from(data);
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const at = normalize(path);
    this.#parentOf(at, 'open');
    if (this.#dirs.has(at)) throw fsError('EISDIR', 'open', at);
    this.#files.set(at, typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));
  }

  async mkdir(path: string): Promise<void> {
    const at = normalize(path);
    if (this.#dirs.has(at) || this.#files.has(at)) throw fsError('EEXIST', 'mkdir', at);
    this.#parentOf(at, 'mkdir');
    this.#dirs.add(at);
  }

  async rmdir(path: string): Promise<void> {
    const at = normalize(path);
    if (!this.#dirs.has(at)) throw fsError(this.#files.has(at) ? 'ENOTDIR' : 'ENOENT', 'rmdir', at);
    if ((await this.readdir(at)).length > 0) throw fsError('ENOTEMPTY', 'rmdir', at);
    this.#dirs.delete(at);
  }

  async unlink(path: string): Promise<void> {
    const at = normalize(path);
    if (!this.#files.delete(at)) throw fsError(this.#dirs.has(at) ? 'EISDIR' : 'ENOENT', 'unlink', at);
  }

  async readdir(path: string): Promise<string[]> {
    const at = normalize(path);
    if (!this.#dirs.has(at)) throw fsError(this.#files.has(at) ? 'ENOTDIR' : 'ENOENT', 'scandir', at);
    const prefix = at === '/' ? '/' : `${at}/`;
    const names = new Set<string>();
    for (const entry of [...this.#dirs, ...this.#files.keys()])
      if (entry !== at && entry.startsWith(prefix)) names.add(entry.slice(prefix.length).split('/')[0]!);
    return [...names];
  }

  async stat(path: string): Promise<Stats> {
    return this.lstat(path);
  }

  async lstat(path: string): Promise<Stats> {
    const at = normalize(path);
    const data = this.#files.get(at);
    if (!data && !this.#dirs.has(at)) throw fsError('ENOENT', 'stat', at);
    let ino = this.#inodes.get(at);
    if (ino === undefined) {
      ino = this.#nextInode++;
      this.#inodes.set(at, ino);
    }
    const type = data ? 'file' : 'dir';
    return {
      type,
      mode: data ? 0o100644 : 0o40755,
      size: data?.byteLength ?? 0,
      ino,
      mtimeMs: 0,
      ctimeMs: 0,
      uid: 1,
      gid: 1,
      dev: 1,
      isFile: () => type === 'file',
      isDirectory: () => type === 'dir',
      isSymbolicLink: () => false,
    };
  }

  // A bare repository has no links; isomorphic-git only asks for them in a working tree.
  async readlink(path: string): Promise<string> {
    throw fsError('EINVAL', 'readlink', normalize(path));
  }

  async symlink(_target: string, path: string): Promise<void> {
    throw fsError('EPERM', 'symlink', normalize(path));
  }

  #parentOf(at: string, syscall: string): void {
    const parent = at.slice(0, at.lastIndexOf('/')) || '/';
    if (!this.#dirs.has(parent)) throw fsError(this.#files.has(parent) ? 'ENOTDIR' : 'ENOENT', syscall, at);
  }
}

/** A new empty file system. */
export function createMemoryFs(): MemoryFs {
  return { promises: new MemoryFsPromises() };
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function fsError(code: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}
