import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { GitStore } from './git-store.ts';
import type { RepositoryPolicy } from './repository-policy.ts';

/** A comment on a pull request (GitHub keeps them on the pull request's issue). */
export interface CommentRecord {
  readonly id: number;
  readonly body: string;
  readonly user: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A label of the repository. */
export interface LabelRecord {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly description: string | null;
}

/** A pull request between two branches of the same repository. */
export interface PullRecord {
  readonly number: number;
  readonly id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  readonly draft: boolean;
  readonly user: string;
  readonly head: { readonly ref: string; sha: string };
  readonly base: { ref: string; sha: string };
  maintainerCanModify: boolean;
  readonly createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: string[];
  readonly comments: CommentRecord[];
}

interface Metadata {
  createdAt: string;
  pushedAt: string;
  nextNumber: number;
  nextId: number;
  pulls: PullRecord[];
  labels: LabelRecord[];
}

/**
 * One repository the fake hosts: its git objects and refs (the bare repository) and what GitHub keeps
 * beside git (pull requests, labels, comments), saved as JSON next to the repository so a server
 * restarted on the same data directory finds them again.
 */
export class HostedRepository {
  readonly id: number;
  readonly #meta: Metadata;
  /** What the repository's settings refuse (archived, protected branches, permissions); none by default. */
  policy: RepositoryPolicy = {};
  #saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly owner: string,
    readonly name: string,
    readonly git: GitStore,
    readonly metadataFile: string,
    meta: Metadata,
  ) {
    this.id = stableId(`${owner}/${name}`);
    this.#meta = meta;
  }

  /** Starts the metadata of a repository that was just created. */
  static async create(owner: string, name: string, git: GitStore, metadataFile: string, now: Date) {
    const at = now.toISOString();
    const meta: Metadata = { createdAt: at, pushedAt: at, nextNumber: 1, nextId: 1, pulls: [], labels: [] };
    const repository = new HostedRepository(owner, name, git, metadataFile, meta);
    await repository.save();
    return repository;
  }

  /** Opens a repository created earlier, by this server or a previous one on the same data directory. */
  static async open(owner: string, name: string, git: GitStore, metadataFile: string, now: Date) {
    let meta: Metadata;
    try {
      meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Metadata;
    } catch {
      const at = now.toISOString();
      meta = { createdAt: at, pushedAt: at, nextNumber: 1, nextId: 1, pulls: [], labels: [] };
    }
    return new HostedRepository(owner, name, git, metadataFile, meta);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  get createdAt(): string {
    return this.#meta.createdAt;
  }

  get pushedAt(): string {
    return this.#meta.pushedAt;
  }

  /** Pull requests, oldest first. */
  get pulls(): readonly PullRecord[] {
    return this.#meta.pulls;
  }

  /** The pull request with this number, or undefined. */
  pull(number: number): PullRecord | undefined {
    return this.#meta.pulls.find((pull) => pull.number === number);
  }

  /** Records that a branch moved (GitHub reports it as `pushed_at`). */
  async markPushed(now: Date): Promise<void> {
    this.#meta.pushedAt = now.toISOString();
    await this.save();
  }

  /** Opens a pull request with the next issue number. */
  async addPull(
    fields: Omit<PullRecord, 'number' | 'id' | 'labels' | 'comments' | 'closedAt' | 'updatedAt'>,
  ): Promise<PullRecord> {
    const pull: PullRecord = {
      ...fields,
      number: this.#meta.nextNumber++,
      id: this.#nextId(),
      closedAt: null,
      updatedAt: fields.createdAt,
      labels: [],
      comments: [],
    };
    this.#meta.pulls.push(pull);
    await this.save();
    return pull;
  }

  /** The label with this name (GitHub matches label names without regard to case). */
  label(name: string): LabelRecord | undefined {
    return this.#meta.labels.find((label) => label.name.toLowerCase() === name.toLowerCase());
  }

  /** The label with this name, created as GitHub does when an unknown label is added to an issue. */
  ensureLabel(name: string): LabelRecord {
    const existing = this.label(name);
    if (existing) return existing;
    const created: LabelRecord = { id: this.#nextId(), name, color: 'ededed', description: null };
    this.#meta.labels.push(created);
    return created;
  }

  /** A new id for a comment or a label, unique in this repository. */
  newId(): number {
    return this.#nextId();
  }

  /** Writes the metadata file; call after changing a pull request. */
  save(): Promise<void> {
    // One write at a time, each whole: a crash or a concurrent save never leaves half a file.
    const write = async () => {
      const temporary = `${this.metadataFile}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(this.#meta, null, 2)}\n`);
      await rename(temporary, this.metadataFile);
    };
    this.#saving = this.#saving.then(write, write);
    return this.#saving;
  }

  #nextId(): number {
    // Offset by the repository id so ids from different repositories do not collide.
    return this.id * 1000 + this.#meta.nextId++;
  }
}

/** A positive id derived from a name, stable across restarts (GitHub ids are stable too). */
export function stableId(name: string): number {
  return createHash('sha1').update(name.toLowerCase()).digest().readUInt32BE(0) % 1_000_000;
}
