/**
 * The ports of the use cases: narrow interfaces in domain terms. Adapters implement them for AWS,
 * GitHub and Argo CD; tests and local mode plug in the same adapters against local peers.
 */
import type {
  ArgoCdConnection,
  GitHubConnection,
  GitRemoteConnection,
} from '../domain/connections/connections.ts';
import type { InvalidInputError } from '../domain/errors.ts';
import type { TagCandidate } from '../domain/tags/tag-candidate.ts';
import type { DecisionRecord, HandledEvent } from './decision-record.ts';

/** An app as the registry stores it: the registration document, validated again when read. */
export interface StoredApp {
  readonly name: string;
  readonly document: unknown;
  readonly paused: boolean;
  /** Increases with every change; guards against lost updates. */
  readonly revision: number;
  readonly updatedAt?: string;
  /** Who stored the registration of this revision and when; absent on items stored before it was kept. */
  readonly registered?: RegistrationStamp;
}

/** Who registered (or imported) an app's registration, and when (ISO time). */
export interface RegistrationStamp {
  /** The caller's identity, e.g. `arn:aws:sts::123456789012:assumed-role/team-a/alice`. */
  readonly by: string;
  readonly at: string;
  /** The revision the registration was stored as (later pauses and resumes raise the app's). */
  readonly revision: number;
}

/** Who is calling: the identity a registration is recorded under. */
export interface CallerIdentity {
  /** The caller's ARN (STS GetCallerIdentity). */
  whoAmI(): Promise<string>;
}

export interface AppRegistry {
  /** Every app that follows a repository (`<account>/<region>/<repository>`), in one query. */
  watchersOf(watchKey: string): Promise<StoredApp[]>;
  get(name: string): Promise<StoredApp | undefined>;
  list(): Promise<StoredApp[]>;
  /**
   * Throws {@link InvalidInputError} naming the app when the registry cannot store it as given (the
   * store's own limits: DynamoDB's 400 KB item size, counting `registeredBy`, who stores it), and
   * writes nothing: registering checks every app before it stores the first.
   */
  checkStorable(name: string, document: unknown, watchKeys: readonly string[], registeredBy?: string): void;
  /**
   * Stores a validated registration under its name; `watchKeys` are the repositories it follows. Checks
   * it as {@link AppRegistry.checkStorable} does first. With `expectedRevision` (0: no app of that
   * name), the write happens only if the app is still at that revision, else a ConflictError.
   */
  put(
    name: string,
    document: unknown,
    watchKeys: readonly string[],
    expectedRevision?: number,
    registeredBy?: string,
  ): Promise<StoredApp>;
  /** Removes an app; false when there was none. */
  remove(name: string): Promise<boolean>;
  setPaused(name: string, paused: boolean): Promise<StoredApp | undefined>;
}

export interface RepositoryRef {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
}

/** What a policy needs to know of images beyond their tags. */
export interface DetailNeeds {
  readonly platforms: boolean;
  readonly createdAt: boolean;
  /**
   * The platforms a policy wants, in its order. An image index (buildx pushes even one platform as one)
   * has no build time of its own: it is read from its first image that offers one of these, else from
   * its first image.
   */
  readonly wantedPlatforms?: readonly string[];
  /** Each image's scan counts, where DescribeImages gave a complete scan's status without them. */
  readonly scan?: boolean;
}

export interface ImageCatalog {
  /** The repository's tagged images, every page, one candidate per tag (digest and push time). */
  listTags(repository: RepositoryRef): Promise<TagCandidate[]>;
  /** Adds platforms and/or build times to candidates, reading manifests only for what is needed. */
  addDetails(
    repository: RepositoryRef,
    candidates: readonly TagCandidate[],
    needs: DetailNeeds,
  ): Promise<TagCandidate[]>;
}

export interface GitLocation {
  readonly owner: string;
  readonly name: string;
  readonly branch: string;
}

export interface GitFile {
  readonly text: string;
  /** The blob sha, the compare-and-swap token for the next write. */
  readonly sha: string;
  /** Mode 100755: a commit that rewrites it must keep the bit. */
  readonly executable?: true;
}

/** An open pull request. */
export interface PullRequest {
  readonly number: number;
  readonly url: string;
  readonly title: string;
  readonly body: string;
}

/** Files of a branch as they are at one commit, read together: what a commit onto the branch starts from. */
export interface BranchSnapshot {
  /** The commit the branch pointed at: the head a commit made from these files expects. */
  readonly head: string;
  /**
   * A file at `head` with its blob sha; undefined when it is not there; InvalidTargetError when a
   * folder or a link stands there. The paths the snapshot was read for cost nothing more.
   */
  read(path: string): Promise<GitFile | undefined>;
}

/** One GitHub repository, reached with one app's credentials. */
export interface GitRepository {
  defaultBranch(owner: string, name: string): Promise<string>;
  /** A file at a branch or commit sha, with its blob sha; undefined when it is not there. */
  readFile(location: GitLocation, path: string): Promise<GitFile | undefined>;
  /** The branch's head and `paths` at that commit, in one request; UpstreamError (404) without the branch. */
  readFilesAtHead(location: GitLocation, paths: readonly string[]): Promise<BranchSnapshot>;
  /**
   * Commits `files` (path -> text) onto the branch as one commit, only if the branch still points at
   * `expectedHead`, in one request; answers the commit's sha. ConflictError when the branch moved.
   */
  commitOnBranch(
    location: GitLocation,
    expectedHead: string,
    files: ReadonlyMap<string, string>,
    message: string,
  ): Promise<string>;
  /** The commit a branch points at, or undefined when there is no such branch. */
  branchHead(owner: string, name: string, branch: string): Promise<string | undefined>;
  /**
   * Makes a commit on top of `parent` that changes `files` (path -> text), without moving any branch;
   * the paths in `executables` keep mode 100755, the others are 100644.
   */
  commitFiles(
    owner: string,
    name: string,
    change: {
      parent: string;
      files: ReadonlyMap<string, string>;
      message: string;
      executables?: ReadonlySet<string>;
    },
  ): Promise<string>;
  /**
   * Points a branch at a commit: creates it, or fast-forwards it (never by force). ConflictError when
   * the branch moved meanwhile (not a fast-forward) or appeared meanwhile.
   */
  moveBranch(
    owner: string,
    name: string,
    branch: string,
    sha: string,
    how: 'create' | 'fast-forward',
  ): Promise<void>;
  /** The open pull request from `head` (a branch of this repository) into `base`, if any. */
  findPullRequest(owner: string, name: string, head: string, base: string): Promise<PullRequest | undefined>;
  createPullRequest(
    owner: string,
    name: string,
    pull: { head: string; base: string; title: string; body: string },
  ): Promise<PullRequest>;
  updatePullRequest(
    owner: string,
    name: string,
    number: number,
    pull: { title: string; body: string },
  ): Promise<PullRequest>;
}

/** One message for the write queue: FIFO group, deduplication id, and the body (a QueuedWrite as JSON). */
export interface WriteQueueMessage {
  readonly group: string;
  readonly deduplicationId: string;
  readonly body: string;
}

/**
 * The queue that coalesces git writes per branch (an SQS FIFO queue): messages of one group are
 * handed to the writer in order, one batch at a time, so writers never race on a branch.
 */
export interface WriteQueue {
  /** Sends every message, or throws (retryably when a retry may help) having sent some or none. */
  send(messages: readonly WriteQueueMessage[]): Promise<void>;
}

/**
 * The writer's hold on the messages it was handed: how long one it hands back stays hidden before it
 * comes again, instead of the queue's visibility timeout (SQS's ChangeMessageVisibility).
 */
export interface WriteQueueVisibility {
  /**
   * Hides the received messages these receipt handles name for `seconds` from now; throws when SQS
   * changed some or none (those keep the queue's visibility timeout).
   */
  handBackIn(receiptHandles: readonly string[], seconds: number): Promise<void>;
}

/** Secret values by id or ARN. Values are never logged. */
export interface SecretStore {
  get(secretId: string): Promise<string>;
}

/**
 * Reaches GitHub through one of the platform's connections (its API, its credentials and nothing
 * else), for the repository a plan writes: a GitHub App's token belongs to the installation that
 * reaches that repository.
 */
export interface GitHubConnector {
  connect(
    connection: GitHubConnection,
    repo: { readonly owner: string; readonly name: string },
  ): Promise<GitRepository>;
}

/**
 * Reaches a plain git host (smart HTTP) through one of the platform's connections: its URL and its
 * credentials, for one repository. Its repository reads and writes the branch as GitHub's does
 * (compare-and-swap on the head); pull requests are refused.
 */
export interface GitRemoteConnector {
  connect(
    connection: GitRemoteConnection,
    repo: { readonly owner: string; readonly name: string },
  ): Promise<GitRepository>;
}

/** The Argo CD API of one server, with one token. */
export interface ArgoCdApi {
  getApplication(name: string, scope: ArgoCdScope): Promise<unknown>;
  /** Applies a JSON patch; ConflictError when one of its tests fails (someone changed the app). */
  patchApplication(name: string, scope: ArgoCdScope, patch: readonly unknown[]): Promise<unknown>;
  /**
   * Starts a sync; 'running' when another operation is already in progress, 'deferred' when a sync
   * window of the app's project blocks it now (the spec stands; a later run starts the sync).
   */
  syncApplication(name: string, scope: ArgoCdScope): Promise<SyncStart>;
}

/** What asking Argo CD for a sync did. */
export type SyncStart = 'started' | 'running' | 'deferred';

export interface ArgoCdScope {
  /** Absent: Argo CD's own namespace, whatever it is (the API's default). */
  readonly appNamespace?: string;
  readonly project: string;
}

/** Reaches Argo CD through one of the platform's connections: its server, token and TLS settings. */
export interface ArgoCdConnector {
  connect(connection: ArgoCdConnection): Promise<ArgoCdApi>;
}

/**
 * The audit log: events already handled (so a second delivery does nothing) and the decisions made
 * per app (the history operators read). Records expire on their own.
 */
export interface AuditLog {
  /** The record of an event handled before, if it is still kept. */
  handled(eventId: string): Promise<HandledEvent | undefined>;
  /** Stores decisions and, when given, marks the event handled. */
  record(entry: {
    readonly event?: HandledEvent;
    readonly decisions: readonly DecisionRecord[];
  }): Promise<void>;
  /** An app's decisions, newest first. */
  history(app: string, options: { readonly limit: number }): Promise<DecisionRecord[]>;
}

/** One message of the dead-letter queue, hidden from other readers while it is being looked at. */
export interface QueuedMessage {
  readonly id: string;
  /** What removes or releases this reception of the message. */
  readonly receipt: string;
  readonly body: string;
  /** The message attributes' string values (EventBridge puts its error there). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
}

/** The dead-letter queue of the function and of the rule's target. */
export interface DeadLetterQueue {
  /** Up to `max` (at most 10) visible messages, hidden from other readers for a while. */
  receive(max: number): Promise<QueuedMessage[]>;
  /** Deletes a message that was handled. */
  remove(receipt: string): Promise<void>;
  /** Makes a message visible again at once, for a later redrive. */
  release(receipt: string): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
