/**
 * Local mode's peers, started by our own code with no Docker and no accounts: a DynamoDB (dynalite)
 * holding the registry table, ECR and Secrets Manager answering the AWS JSON protocol, an SQS dead-letter
 * queue, an STS that tells the CLI who it is, a GitHub backed by real git repositories, and an Argo CD
 * API holding Applications. Free ports,
 * clean shutdown, state to inspect; with a data dir, state that outlives the process. The same stack
 * runs `npm start`, `ecr-image-updater local up` and the end-to-end tests.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { createQueuedWritesHandler } from 'ecr-image-updater/functions/queued-writes';
import {
  type AwsClientClass,
  type AwsCredentials,
  createAwsClient,
} from 'ecr-image-updater/lib/adapters/create-aws-client';
import {
  type AwsClients,
  createImagePushDependencies,
} from 'ecr-image-updater/lib/adapters/create-image-push-dependencies';
import { DynamoDbAppRegistry } from 'ecr-image-updater/lib/adapters/dynamodb-app-registry';
import { DynamoDbAuditLog } from 'ecr-image-updater/lib/adapters/dynamodb-audit-log';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { SqsWriteQueue } from 'ecr-image-updater/lib/adapters/sqs-write-queue';
import type { ImagePushDependencies } from 'ecr-image-updater/lib/app/handle-image-push';
import type { Logger } from 'ecr-image-updater/lib/app/ports';
import type { QueuedWritesDependencies } from 'ecr-image-updater/lib/app/write-queued-apps';
import {
  type ArgoCdConnection,
  type Connections,
  connectionsDocument,
  type GitHubConnection,
  type GitRemoteConnection,
} from 'ecr-image-updater/lib/domain/connections/connections';
import type { SpokeAccounts } from 'ecr-image-updater/lib/domain/events/spoke-accounts';
import { ecrRegistryHost } from 'ecr-image-updater/lib/domain/images/image-spec';
import { FakeArgoCdServer } from './argocd/fake-argocd-server.ts';
import { createRegistryTable } from './create-registry-table.ts';
import { type DynaliteServer, startDynalite } from './dynalite-server.ts';
import { FakeEcrServer } from './ecr/fake-ecr-server.ts';
import { FakeSecretsManagerServer } from './fake-secrets-manager-server.ts';
import { FakeSqsServer } from './fake-sqs-server.ts';
import { FakeStsServer } from './fake-sts-server.ts';
import { FakeGitHttpServer } from './git-http/fake-git-http-server.ts';
import { FakeGitHubServer, type FakeGitHubServerOptions } from './github/fake-github-server.ts';
import { LocalDataDir } from './local-data-dir.ts';
import { spokeDeveloperCredentials, spokeOfKey, spokeRoleArn } from './spoke-developer.ts';
import { type DrainResult, drainQueue } from './sqs-event-source.ts';

export interface LocalStackOptions {
  readonly accountId?: string;
  readonly region?: string;
  readonly tableName?: string;
  /**
   * A folder that keeps the whole state (see {@link LocalDataDir}): the registry table, ECR's images,
   * Argo CD's Applications, the queues and the git repositories. A stack started on it resumes where
   * the last one closed. Default: everything in memory, the git repositories in a temporary folder.
   */
  readonly dataDir?: string;
  /** Without a data dir: keep the temporary git repositories after close(). */
  readonly keepData?: boolean;
  /**
   * Whether the local connections need the consent of the target's owners (the consent file in the
   * repository, the annotation on the Application), as deployed stacks do by default. Default: true.
   * Tests about something else turn it off.
   */
  readonly requireConsent?: boolean;
  /**
   * Git writes go through the write queue (a FIFO queue per GitOps branch, and its writer), as a
   * deployed stack's do by default; then `drainWrites` plays Lambda's event source mapping. Default
   * false: a push commits at once (tests about something else); `npm start` and `local up` turn it on.
   */
  readonly writeQueue?: boolean;
  /** How long a failed write stays hidden before it comes back (SQS's visibility timeout). Default 30 s. */
  readonly writeVisibilitySeconds?: number;
  /**
   * The fake SQS's clock (epoch ms), for tests that pass visibility timeouts without waiting for them.
   * Default `Date.now`.
   */
  readonly sqsNow?: () => number;
  /**
   * The fake GitHub's rate limits and branch races: GitHub's by default, as in local mode. A test about
   * something else may relax them, and says why.
   */
  readonly github?: Pick<FakeGitHubServerOptions, 'rateLimits' | 'branchRaces'>;
  /**
   * Also start a plain git host (`git http-backend` behind Basic authentication, see
   * git-http/fake-git-http-server.ts) and declare the git connection `local-git` to it, whose secret
   * holds its user and password. Needs the system's git. Default false.
   */
  readonly gitHost?: boolean;
  /**
   * Spoke accounts (12-digit ids) whose ECR lives in the same local registry, in the stack's region:
   * each gets the read role the hub assumes through the fake STS (trusting the hub's account), and
   * ECR then checks every call's account, so the hub reads a spoke's repositories only through that
   * role, as in AWS. Default none: one account, every call made as it.
   */
  readonly spokeAccounts?: readonly string[];
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** The environment's form of the spokes (ENVIRONMENT.spokes), one entry per account and region. */
function spokesDocument(spokes: SpokeAccounts): unknown {
  return {
    hubAccount: spokes.hubAccountId,
    spokes: spokes.spokes.flatMap(({ accountId, regions, roleArn }) =>
      regions.map((region) => ({ account: accountId, region, roleArn })),
    ),
  };
}
export const LOCAL_GITHUB_TOKEN = 'local-github-token';
export const LOCAL_GITHUB_SECRET = 'ecr-image-updater/github';
// Shaped like a JWT, as Argo CD expects a bearer token to be.
export const LOCAL_ARGOCD_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlY3ItaW1hZ2UtdXBkYXRlciIsImlzcyI6ImFyZ29jZCJ9.bG9jYWw';
export const LOCAL_ARGOCD_SECRET = 'ecr-image-updater/argocd';
export const LOCAL_DEAD_LETTER_QUEUE = 'ecr-image-updater-dlq';
/** The write queue and its dead-letter queue (FIFO, as the stack's). */
export const LOCAL_WRITE_QUEUE = 'ecr-image-updater-writes.fifo';
export const LOCAL_WRITE_DEAD_LETTER_QUEUE = 'ecr-image-updater-writes-dlq.fifo';
// A failed write comes back after this long (the stack's is 6 x the writer's timeout; local mode is impatient).
const LOCAL_WRITE_VISIBILITY_SECONDS = 30;
// Receives of a write before it is dead-lettered, as the stack's.
const LOCAL_WRITE_MAX_RECEIVES = 5;
/** The name of local mode's GitHub and Argo CD connections (each the default of its kind). */
export const LOCAL_CONNECTION = 'local';
/** The plain git host's connection, user, password and the secret holding them (`gitHost`). */
export const LOCAL_GIT_CONNECTION = 'local-git';
export const LOCAL_GIT_USER = 'local';
export const LOCAL_GIT_PASSWORD = 'local-git-password';
export const LOCAL_GIT_SECRET = 'ecr-image-updater/git';

export class LocalStack {
  #closed: Promise<void> | undefined;

  private constructor(
    readonly accountId: string,
    readonly region: string,
    readonly tableName: string,
    readonly dynamodb: DynaliteServer,
    readonly ecr: FakeEcrServer,
    readonly secrets: FakeSecretsManagerServer,
    readonly github: FakeGitHubServer,
    readonly argocd: FakeArgoCdServer,
    readonly sqs: FakeSqsServer,
    readonly sts: FakeStsServer,
    /** The folder that keeps the state, when the stack was started with one. */
    readonly dataDir: LocalDataDir | undefined,
    connections: Connections,
    /** The write queue, when git writes go through it (see LocalStackOptions.writeQueue). */
    readonly writeQueueUrl: string | undefined,
    /** The plain git host, when started (see LocalStackOptions.gitHost). */
    readonly git: FakeGitHttpServer | undefined,
  ) {
    this.#connections = connections;
  }

  #connections: Connections;
  #spokes: SpokeAccounts | undefined;

  /** The hub's spokes (see LocalStackOptions.spokeAccounts), as the function's environment names them. */
  get spokes(): SpokeAccounts | undefined {
    return this.#spokes;
  }

  /** An ECR client of a spoke account's own developer: pushes there as `docker push` in that account would. */
  spokeEcrClient(accountId: string): ECRClient {
    return createAwsClient(ECRClient, {
      endpoint: this.ecr.url,
      region: this.region,
      credentials: spokeDeveloperCredentials(accountId),
    });
  }

  /**
   * The connections the function uses here: `local` to the fake GitHub and to the fake Argo CD, each
   * the default of its kind, and any added since.
   */
  get connections(): Connections {
    return this.#connections;
  }

  /**
   * Declares one more connection, as a platform would in its stack: another secret for the fake
   * GitHub (a GitHub App's, say), or another server. Dependencies made afterwards use it.
   */
  addConnection(
    kind: 'github',
    connection: Omit<GitHubConnection, 'apiUrl'> & { apiUrl?: string },
  ): GitHubConnection;
  addConnection(
    kind: 'argocd',
    connection: Omit<ArgoCdConnection, 'server'> & { server?: string },
  ): ArgoCdConnection;
  addConnection(
    kind: 'git',
    connection: Omit<GitRemoteConnection, 'url'> & { url?: string },
  ): GitRemoteConnection;
  addConnection(
    kind: 'github' | 'argocd' | 'git',
    connection: { name: string; apiUrl?: string; server?: string; url?: string },
  ): GitHubConnection | ArgoCdConnection | GitRemoteConnection {
    const current = this.#connections;
    if (kind === 'git') {
      const url = connection.url ?? this.git?.url;
      if (url === undefined)
        throw new Error('addConnection git: start the stack with gitHost, or give a url');
      const added = { ...connection, url } as GitRemoteConnection;
      this.#connections = { ...current, git: [...(current.git ?? []), added] };
      return added;
    }
    if (kind === 'github') {
      const added = { apiUrl: this.github.url, ...connection } as GitHubConnection;
      this.#connections = { ...current, github: [...current.github, added] };
      return added;
    }
    const added = { server: this.argocd.url, ...connection } as ArgoCdConnection;
    this.#connections = { ...current, argocd: [...current.argocd, added] };
    return added;
  }

  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const accountId = options.accountId ?? '123456789012';
    const region = options.region ?? 'us-west-2';
    const tableName = options.tableName ?? 'ecr-image-updater';
    const dataDir = options.dataDir === undefined ? undefined : await LocalDataDir.open(options.dataDir);
    let saved: Awaited<ReturnType<LocalDataDir['readPeers']>>;
    let git: FakeGitHttpServer | undefined;
    let peers: [
      DynaliteServer,
      FakeEcrServer,
      FakeSecretsManagerServer,
      FakeGitHubServer,
      FakeArgoCdServer,
      FakeSqsServer,
      FakeStsServer,
    ];
    try {
      saved = await dataDir?.readPeers();
      peers = await Promise.all([
        startDynalite(dataDir ? { path: dataDir.dynamodbPath } : {}),
        FakeEcrServer.start({ accountId, region }),
        FakeSecretsManagerServer.start({ accountId, region }),
        FakeGitHubServer.start({
          ...options.github,
          tokens: [LOCAL_GITHUB_TOKEN],
          ...(dataDir ? { dataDir: dataDir.githubPath } : {}),
          ...(options.keepData ? { keepData: true } : {}),
        }),
        FakeArgoCdServer.start({ tokens: [LOCAL_ARGOCD_TOKEN] }),
        FakeSqsServer.start({ accountId, region, ...(options.sqsNow ? { now: options.sqsNow } : {}) }),
        FakeStsServer.start({
          identity: {
            arn: `arn:aws:iam::${accountId}:user/local-developer`,
            userId: 'AIDALOCALDEVELOPER0001',
            account: accountId,
          },
        }),
      ]);
      if (options.gitHost)
        git = await FakeGitHttpServer.start({
          users: { [LOCAL_GIT_USER]: LOCAL_GIT_PASSWORD },
          ...(dataDir ? { dataDir: dataDir.gitHttpPath } : {}),
        });
    } catch (error) {
      await dataDir?.release();
      throw error;
    }
    const [dynamodb, ecr, secrets, github, argocd, sqs, sts] = peers;
    if (saved) {
      ecr.restore(saved.ecr);
      argocd.restore(saved.argocd);
      sqs.restore(saved.sqs);
    }
    sqs.createQueue({ QueueName: LOCAL_DEAD_LETTER_QUEUE });
    if (options.writeQueue) {
      sqs.createQueue({ QueueName: LOCAL_WRITE_DEAD_LETTER_QUEUE, Attributes: { FifoQueue: 'true' } });
      sqs.createQueue({
        QueueName: LOCAL_WRITE_QUEUE,
        Attributes: {
          FifoQueue: 'true',
          VisibilityTimeout: String(options.writeVisibilitySeconds ?? LOCAL_WRITE_VISIBILITY_SECONDS),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: sqs.queueArn(LOCAL_WRITE_DEAD_LETTER_QUEUE),
            maxReceiveCount: LOCAL_WRITE_MAX_RECEIVES,
          }),
        },
      });
    }
    if (options.spokeAccounts?.length) {
      for (const spoke of options.spokeAccounts)
        sts.addRole(spokeRoleArn(spoke), { trustedAccounts: [accountId] });
      ecr.checkCallerAccounts((key) => sts.accountOfKey(key) ?? spokeOfKey(key));
    }
    const stack = new LocalStack(
      accountId,
      region,
      tableName,
      dynamodb,
      ecr,
      secrets,
      github,
      argocd,
      sqs,
      sts,
      dataDir,
      localConnections(github.url, argocd.url, options.requireConsent ?? true, git?.url),
      options.writeQueue ? `${sqs.url}/${accountId}/${LOCAL_WRITE_QUEUE}` : undefined,
      git,
    );
    if (options.spokeAccounts?.length)
      stack.#spokes = {
        hubAccountId: accountId,
        spokes: options.spokeAccounts.map((spoke) => ({
          accountId: spoke,
          regions: [region],
          roleArn: spokeRoleArn(spoke),
        })),
      };
    await createRegistryTable(stack.clients().dynamodb, tableName);
    secrets.putSecret(LOCAL_GITHUB_SECRET, JSON.stringify({ token: LOCAL_GITHUB_TOKEN }));
    secrets.putSecret(LOCAL_ARGOCD_SECRET, JSON.stringify({ token: LOCAL_ARGOCD_TOKEN }));
    if (git)
      secrets.putSecret(
        LOCAL_GIT_SECRET,
        JSON.stringify({ username: LOCAL_GIT_USER, password: LOCAL_GIT_PASSWORD }),
      );
    return stack;
  }

  /** The dead-letter queue, as the stack's `DeadLetterQueueUrl` output names the real one. */
  get deadLetterQueueUrl(): string {
    return `${this.sqs.url}/${this.accountId}/${LOCAL_DEAD_LETTER_QUEUE}`;
  }

  sqsClient(): SQSClient {
    return this.client(SQSClient, this.sqs.url);
  }

  /** The ECR registry host of the local account, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com. */
  get registryHost(): string {
    return ecrRegistryHost({ accountId: this.accountId, region: this.region });
  }

  /** Real SDK clients pointed at the peers, built as the function and the CLI build theirs. */
  clients(): AwsClients & { readonly ecr: ECRClient } {
    const ecr = (region: string, credentials?: () => Promise<AwsCredentials>) =>
      createAwsClient(ECRClient, { endpoint: this.ecr.url, region, credentials: credentials ?? CREDENTIALS });
    return {
      sts: this.client(STSClient, this.sts.url),
      dynamodb: this.client(DynamoDBClient, this.dynamodb.endpoint),
      secretsManager: this.client(SecretsManagerClient, this.secrets.url),
      ecrFor: ecr,
      ecr: ecr(this.region),
      sqs: this.sqsClient(),
    };
  }

  private client<C>(Client: AwsClientClass<C>, endpoint: string, region = this.region): C {
    return createAwsClient(Client, { endpoint, region, credentials: CREDENTIALS });
  }

  registry(): DynamoDbAppRegistry {
    return new DynamoDbAppRegistry({ tableName: this.tableName, client: this.clients().dynamodb });
  }

  audit(): DynamoDbAuditLog {
    return new DynamoDbAuditLog({ tableName: this.tableName, client: this.clients().dynamodb });
  }

  /** The use case's dependencies, wired exactly as the Lambda wires them, but to the peers. */
  dependencies(logger: Logger): ImagePushDependencies {
    return createImagePushDependencies(
      {
        tableName: this.tableName,
        connections: this.connections,
        concurrency: 8,
        ...(this.writeQueueUrl ? { writeQueueUrl: this.writeQueueUrl } : {}),
        ...(this.#spokes ? { spokes: this.#spokes } : {}),
      },
      logger,
      this.clients(),
    );
  }

  /**
   * The write queue's writer's dependencies: as the function's, but it writes, never queues; it holds
   * the queue only to hide the writes it hands back to wait on a sync.
   */
  writerDependencies(logger: Logger): ImagePushDependencies & QueuedWritesDependencies {
    const deps = createImagePushDependencies(
      {
        tableName: this.tableName,
        connections: this.connections,
        concurrency: 8,
        ...(this.#spokes ? { spokes: this.#spokes } : {}),
      },
      logger,
      this.clients(),
    );
    if (!this.writeQueueUrl) return deps;
    return {
      ...deps,
      visibility: new SqsWriteQueue({ queueUrl: this.writeQueueUrl, client: this.sqsClient() }),
    };
  }

  /**
   * Plays Lambda's event source mapping on the write queue: the writer takes batches until the queue
   * is empty (failed writes come back after the visibility timeout, as in AWS). Nothing when git
   * writes are not queued.
   */
  async drainWrites(
    logger: Logger,
    options: { concurrency?: number } = {},
  ): Promise<DrainResult | undefined> {
    if (!this.writeQueueUrl) return undefined;
    const writer = createQueuedWritesHandler(this.writerDependencies(logger));
    return drainQueue(this.sqsClient(), this.writeQueueUrl, writer, {
      reportBatchItemFailures: true,
      // Lambda runs a FIFO mapping's batches up to one per active message group.
      concurrency: options.concurrency ?? 10,
    });
  }

  /** Adds `ms` of latency before every request each peer serves (0 to remove it), for benchmarks. */
  setLatency(ms: number): void {
    const peers = [this.dynamodb, this.ecr, this.secrets, this.github, this.argocd, this.sqs, this.sts];
    for (const peer of peers) peer.latencyMs = ms;
    if (this.git) this.git.latencyMs = ms;
  }

  /** The environment that points the CLI (and the SDK) at the peers, for `export` or an env file. */
  env(): Record<string, string> {
    return {
      AWS_REGION: this.region,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamodb.endpoint,
      AWS_ENDPOINT_URL_ECR: this.ecr.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.secrets.url,
      AWS_ENDPOINT_URL_SQS: this.sqs.url,
      AWS_ENDPOINT_URL_STS: this.sts.url,
      [ENVIRONMENT.deadLetterQueueUrl]: this.deadLetterQueueUrl,
      [ENVIRONMENT.table]: this.tableName,
      [ENVIRONMENT.connections]: JSON.stringify(connectionsDocument(this.connections)),
      ...(this.writeQueueUrl ? { [ENVIRONMENT.writeQueueUrl]: this.writeQueueUrl } : {}),
      ...(this.#spokes ? { [ENVIRONMENT.spokes]: JSON.stringify(spokesDocument(this.#spokes)) } : {}),
      [ENVIRONMENT.localAccount]: this.accountId,
      [ENVIRONMENT.localGithubApiUrl]: this.github.url,
      [ENVIRONMENT.localArgocdServer]: this.argocd.url,
      [ENVIRONMENT.gitopsDir]: this.github.dataDir,
      ...(this.git ? { [ENVIRONMENT.gitHostDir]: this.git.repositories.root } : {}),
      // What the secrets above hold, for reading the fakes by hand (local show, curl); local mode only.
      [ENVIRONMENT.localGithubToken]: LOCAL_GITHUB_TOKEN,
      [ENVIRONMENT.localArgocdToken]: LOCAL_ARGOCD_TOKEN,
    };
  }

  /** Stops every peer; with a data dir, then saves what the in-memory peers hold and unlocks it. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    await Promise.all([
      this.dynamodb.close(),
      this.ecr.close(),
      this.secrets.close(),
      this.github.close(),
      this.argocd.close(),
      this.sqs.close(),
      this.sts.close(),
      this.git?.close(),
    ]);
    if (!this.dataDir) return;
    try {
      await this.dataDir.writePeers({
        ecr: this.ecr.snapshot(),
        argocd: this.argocd.snapshot(),
        sqs: this.sqs.snapshot(),
      });
    } finally {
      await this.dataDir.release();
    }
  }
}

/**
 * Local mode's connections: one to the fake GitHub, one to the fake Argo CD, each its kind's default,
 * covering every repository, project and namespace of the fakes (the platform would name its own).
 */
function localConnections(
  githubUrl: string,
  argocdUrl: string,
  requireConsent: boolean,
  gitUrl: string | undefined,
): Connections {
  return {
    ...(gitUrl
      ? {
          git: [
            {
              name: LOCAL_GIT_CONNECTION,
              url: gitUrl,
              secret: LOCAL_GIT_SECRET,
              repositories: ['*/*', '*/*/*'],
              requireConsent,
            },
          ],
        }
      : {}),
    github: [
      {
        name: LOCAL_CONNECTION,
        apiUrl: githubUrl,
        secret: LOCAL_GITHUB_SECRET,
        repositories: ['*/*'],
        requireConsent,
      },
    ],
    argocd: [
      {
        name: LOCAL_CONNECTION,
        server: argocdUrl,
        tokenSecret: LOCAL_ARGOCD_SECRET,
        insecure: false,
        projects: ['*'],
        appNamespaces: ['*'],
        requireConsent,
      },
    ],
    defaultGitHub: LOCAL_CONNECTION,
    defaultArgoCd: LOCAL_CONNECTION,
  };
}
