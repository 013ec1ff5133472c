/**
 * Round trips per event and handler time against the local peers, with a fixed delay added to every
 * call of every peer (default 100 ms, a GitHub API round trip; BENCH_DELAY_MS to change it), for 1, 10 and 100 apps that follow
 * one ECR repository and write to one GitOps repository (git write-back; one commit for all).
 *
 * The figure of merit is time / (minimum sequential round trips x delay): how close the handler comes
 * to its critical path. The minimum, by design (a warm function, secrets cached):
 *   registry Query and the repeated-delivery GetItem, together ....................... 1
 *   ECR DescribeImages (one page up to 1,000 tags) ..................................... 1
 *   the commit, whatever the number of apps: one GraphQL query for the branch head and every
 *   file, one createCommitOnBranch mutation ............................................ 2
 *   the audit records (BatchWriteItem, 25 a request, in parallel) ...................... 1
 * Goal: at most 1.15. Run with `npm run bench:round-trips`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { drainQueue } from '@ecr-image-updater/local/sqs-event-source';
import { createImagePushHandler } from '../functions/image-push.ts';
import { createQueuedWritesHandler } from '../functions/queued-writes.ts';
import { createAwsClient } from '../lib/adapters/create-aws-client.ts';
import { createImagePushDependencies } from '../lib/adapters/create-image-push-dependencies.ts';
import { DynamoDbAppRegistry } from '../lib/adapters/dynamodb-app-registry.ts';
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { MemoryLogger } from '../lib/adapters/memory-logger.ts';
import { readRuntimeConfig } from '../lib/adapters/runtime-config.ts';
import { registerApps } from '../lib/app/register-app.ts';
import { startPeersInWorker } from './support/peers-in-worker.ts';

// Pinned SDK versions; its notice about releases that will need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 100);
const RUNS = 5;
const GOAL = 1.15;

interface Calls {
  readonly dynamodb: number;
  readonly ecr: number;
  readonly secrets: number;
  readonly github: number;
}

interface Row {
  readonly apps: number;
  readonly path: 'direct' | 'queued';
  readonly calls: Calls;
  readonly sequential: number;
  readonly ms: number;
  /** The handler's own work: time the main thread was busy (the peers run in a worker). */
  readonly busyMs: number;
}

function minimumRoundTrips(): number {
  return 1 + 1 + 2 + 1;
}

// The queued path of one app, push to commit: the push function (registry and repeated-delivery check
// 1, ECR 1, SendMessageBatch 1, audit 1), then the writer as the event source mapping hands it the
// batch (ReceiveMessage 1; the app's registration 1, ECR 1, the GraphQL query 1 and mutation 1, audit 1);
// the local stand-in of the mapping asks the queue's ARN once more (1), which Lambda's does not.
const QUEUED_MINIMUM = 4 + 1 + 5 + 1;

async function measure(apps: number, path: 'direct' | 'queued' = 'direct'): Promise<Row> {
  // The peers run in a worker thread: their own work happens on another core, as a service's does.
  const peers = await startPeersInWorker();
  try {
    const { env } = peers;
    const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
    const where = { region: peers.region, credentials };
    const dynamodb = createAwsClient(DynamoDBClient, { ...where, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB! });
    const clients = {
      dynamodb,
      secretsManager: createAwsClient(SecretsManagerClient, {
        ...where,
        endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER!,
      }),
      ecrFor: (region: string) =>
        createAwsClient(ECRClient, { ...where, region, endpoint: env.AWS_ENDPOINT_URL_ECR! }),
    };
    // Local mode's connection asks for the owners' consent, as the platform's does by default: the
    // repository's consent file lets the image be written under apps/ (read with the files, no round trip).
    await peers.call('createRepository', 'acme', 'gitops', {
      'apps/README.md': 'apps\n',
      '.ecr-image-updater.yaml': `allow:\n  - images: [${peers.registryHost}/web]\n    paths: [apps]\n`,
    });
    const names = Array.from({ length: apps }, (_, i) => `app-${String(i).padStart(3, '0')}`);
    await registerApps(
      new DynamoDbAppRegistry({ tableName: env[ENVIRONMENT.table]!, client: dynamodb }),
      names.map((name) => ({
        name,
        images: [{ image: `${peers.registryHost}/web:~1.0` }],
        writeBack: { method: 'git', git: { repo: 'acme/gitops', branch: 'main', path: 'apps' } },
      })),
    );
    // The peers hold a write queue; the direct rows leave it out, as the construct's `gitWrites: direct`.
    const { writeQueueUrl, ...direct } = readRuntimeConfig(env);
    const sqs = createAwsClient(SQSClient, { ...where, endpoint: env.AWS_ENDPOINT_URL_SQS! });
    const config = path === 'queued' ? { ...direct, writeQueueUrl: writeQueueUrl! } : direct;
    const pushHandler = createImagePushHandler(
      createImagePushDependencies(config, new MemoryLogger(), { ...clients, sqs }),
    );
    let written: string[] = [];
    let committedAt = 0;
    const writer = createQueuedWritesHandler(
      createImagePushDependencies(direct, new MemoryLogger(), { ...clients, sqs }),
      undefined,
      (outcome) => {
        committedAt = performance.now();
        written = outcome.apps.filter((app) => app.kind === 'updated').map((app) => app.app);
      },
    );
    // The push, and in the queued path the writer's batch after it: what happens from push to commit.
    const handler = async (event: unknown) => {
      const result = await pushHandler(event);
      if (path === 'direct') return result;
      written = [];
      await drainQueue(sqs, writeQueueUrl!, writer, { reportBatchItemFailures: true });
      return { ...result, apps: written.map((app) => ({ app, outcome: 'updated' })) };
    };
    let sequence = 0;
    const event = async (tag: string) => ({
      version: '0',
      id: `bench-${apps}-${sequence++}`,
      'detail-type': 'ECR Image Action',
      source: 'aws.ecr',
      account: peers.accountId,
      time: new Date().toISOString(),
      region: peers.region,
      resources: [],
      detail: {
        result: 'SUCCESS',
        'repository-name': 'web',
        'image-digest': await peers.call<string>('pushImage', 'web', tag),
        'action-type': 'PUSH',
        'image-tag': tag,
      },
    });
    // Warm: secrets cached, files created, connections open; as a function that has run before. The
    // last warm push lands, so that the GitHub path is warm too (the fake loads GitHub's GraphQL schema,
    // 0.3 s, on its first GraphQL request).
    for (let warm = 0; warm < 5; warm++) await handler(await event(`0.9.${warm}`));
    await handler(await event('1.0.0'));
    await peers.call('setLatency', DELAY_MS);
    const times: number[] = [];
    const busy: number[] = [];
    let calls: Calls = { dynamodb: 0, ecr: 0, secrets: 0, github: 0 };
    for (let run = 1; run <= RUNS; run++) {
      const next = await event(`1.0.${run}`);
      await peers.call('clearCalls');
      const started = performance.now();
      const before = performance.eventLoopUtilization();
      const result = await handler(next);
      busy.push(performance.eventLoopUtilization(before).active);
      // Queued: to the writer's commit and record, not to the stand-in's delete and last empty receive.
      times.push((path === 'queued' ? committedAt : performance.now()) - started);
      const updated = result.apps?.filter((app) => app.outcome === 'updated').length;
      if (updated !== apps) throw new Error(`run ${run}: ${updated} of ${apps} apps updated`);
      calls = await peers.call<Calls>('counts');
    }
    const sequential = path === 'queued' ? QUEUED_MINIMUM : minimumRoundTrips();
    return { apps, path, calls, sequential, ms: median(times), busyMs: median(busy) };
  } finally {
    await peers.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rows: Row[] = [];
const SIZES = (process.env.BENCH_APPS ?? '1,10,100').split(',').map(Number);
for (const apps of SIZES) rows.push(await measure(apps));
rows.push(await measure(1, 'queued'));

console.log(
  `Round trips per event and handler time, ${DELAY_MS} ms added to every call (median of ${RUNS})\n`,
);
console.log(
  'apps  path    DynamoDB  ECR  Secrets  GitHub  min. sequential  time ms  handler busy ms  time / (seq. x delay)  goal',
);
console.log(
  '----  ------  --------  ---  -------  ------  ---------------  -------  ---------------  ---------------------  ----',
);
for (const row of rows) {
  const ratio = row.ms / (row.sequential * DELAY_MS);
  console.log(
    [
      String(row.apps).padStart(4),
      row.path.padEnd(6),
      String(row.calls.dynamodb).padStart(8),
      String(row.calls.ecr).padStart(3),
      String(row.calls.secrets).padStart(7),
      String(row.calls.github).padStart(6),
      String(row.sequential).padStart(15),
      row.ms.toFixed(0).padStart(7),
      row.busyMs.toFixed(0).padStart(15),
      ratio.toFixed(2).padStart(21),
      ratio <= GOAL ? 'met' : 'missed',
    ].join('  '),
  );
}
