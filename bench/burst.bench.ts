/**
 * A CI run's burst into one GitOps monorepo: 200 ECR repositories, 200 apps in one repository and
 * branch, 200 pushes delivered within 10 s, 100 ms added to every call of every peer, the fake GitHub
 * as strict as GitHub (branch races, secondary and primary rate limits). Two write paths side by side
 * in the same run: each invocation committing its own apps (direct), and git writes coalesced per
 * branch through the FIFO write queue and its writer (queued, the construct's default).
 *
 * Goals (issue 12): 200 of 200 apps at the pushed tag, 0 dead letters, 0 failed invocations; at most 25
 * commits; at most 2 GitHub calls per commit; at most 80 content-creating requests in any 60 s window;
 * push-to-commit p99 at most 30 s. Run with `npm run bench:burst` (BENCH_BURST_APPS to change 200).
 *
 * Lambda's retries are not replayed here: an invocation that fails would be retried by Lambda after a
 * backoff, so it is counted as failed, and the apps it left behind as not landed.
 */
import type { FakeGitHubCall, GraphqlCall } from '@ecr-image-updater/local/github/fake-github-server';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { MemoryLogger } from '../lib/adapters/memory-logger.ts';
import { handleImagePush } from '../lib/app/handle-image-push.ts';
import { retryableFailures } from '../lib/app/outcomes.ts';
import { registerApps } from '../lib/app/register-app.ts';
import { percentile } from './support/cold-import.ts';
import { pushEvent } from './support/push-event.ts';

// Pinned SDK versions; its notice about releases that will need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const APPS = Number(process.env.BENCH_BURST_APPS ?? 200);
const WINDOW_MS = 10_000;
const DELAY_MS = 100;
const TAG = '1.0.1';

interface Row {
  readonly path: 'direct' | 'queued';
  readonly landed: number;
  readonly commits: number;
  readonly githubCalls: number;
  readonly busiestMinute: number;
  readonly refused: { readonly 409: number; readonly 403: number; readonly 429: number };
  readonly failedInvocations: number;
  /** Write dead letters (queued path); for the direct path, failed invocations are Lambda's to retry. */
  readonly deadLetters: number | undefined;
  readonly p50: number;
  readonly p99: number;
  readonly seconds: number;
}

const appName = (i: number) => `app-${String(i).padStart(3, '0')}`;

async function measure(path: Row['path']): Promise<Row> {
  const stack = await LocalStack.start({ writeQueue: path === 'queued' });
  try {
    const consent = `allow:\n  - images: ['${stack.registryHost}/burst-*']\n    paths: [apps]\n`;
    await stack.github.createRepository('acme', 'gitops', {
      files: { '.ecr-image-updater.yaml': consent, 'apps/README.md': 'apps\n' },
    });
    const documents = Array.from({ length: APPS }, (_, i) => ({
      name: appName(i),
      images: [{ image: `${stack.registryHost}/burst-${i}:~1.0` }],
      writeBack: { method: 'git', git: { repo: 'acme/gitops', branch: 'main', path: `apps/${appName(i)}` } },
    }));
    for (let i = 0; i < documents.length; i += 50)
      await registerApps(stack.registry(), documents.slice(i, i + 50));
    const digests = Array.from(
      { length: APPS },
      (_, i) => stack.ecr.pushImage({ repository: `burst-${i}`, tag: TAG }).digest,
    );
    const before = (await stack.github.log('acme', 'gitops', 'main')).length;
    stack.github.clearCalls();
    stack.setLatency(DELAY_MS);
    const logger = new MemoryLogger();
    const deps = stack.dependencies(logger);
    const started = Date.now();
    // The pushes' events, spread evenly over the window; each an invocation of its own.
    let failedInvocations = 0;
    let deliveries = 0;
    const invocations = digests.map(
      (digest, i) =>
        new Promise<void>((resolve) => {
          setTimeout(
            async () => {
              const outcome = await handleImagePush(deps, event(stack, `burst-${i}`, digest)).catch(
                () => undefined,
              );
              deliveries += 1;
              if (!outcome || (outcome.kind === 'handled' && retryableFailures(outcome.apps).length > 0))
                failedInvocations += 1;
              resolve();
            },
            (i * WINDOW_MS) / APPS,
          );
        }),
    );
    // Lambda's event source mapping, polling the write queue while the pushes arrive and after.
    let deadLetters: number | undefined;
    if (path === 'queued') {
      while (deliveries < APPS || (await queued(stack)) > 0) {
        const drained = await stack.drainWrites(logger);
        if (drained && drained.records === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      deadLetters = stack.sqs.messages('ecr-image-updater-writes-dlq.fifo').length;
    }
    await Promise.all(invocations);
    const seconds = (Date.now() - started) / 1000;
    stack.setLatency(0);
    // Direct invocations that fail are Lambda's to retry (twice, then the dead-letter queue): not replayed here.
    const landed = await countLanded(stack);
    const commits = (await stack.github.log('acme', 'gitops', 'main')).length - before;
    const calls = stack.github.calls;
    const latencies = await pushToCommit(stack);
    return {
      path,
      landed,
      commits,
      githubCalls: calls.length,
      busiestMinute: busiestMinute(calls, stack.github.graphqlCalls),
      refused: {
        409: calls.filter((c) => c.status === 409).length,
        403: calls.filter((c) => c.status === 403).length,
        429: calls.filter((c) => c.status === 429).length,
      },
      failedInvocations,
      deadLetters,
      p50: percentile(latencies, 50) / 1000,
      p99: percentile(latencies, 99) / 1000,
      seconds,
    };
  } finally {
    await stack.close();
  }
}

function event(stack: LocalStack, repository: string, digest: string) {
  const id = `burst-${repository}-${Math.random().toString(36).slice(2)}`;
  return pushEvent({ id, account: stack.accountId, region: stack.region, repository, digest, tag: TAG });
}

async function queued(stack: LocalStack): Promise<number> {
  return stack.sqs.messages('ecr-image-updater-writes.fifo').length;
}

async function countLanded(stack: LocalStack): Promise<number> {
  let landed = 0;
  for (let i = 0; i < APPS; i++) {
    const name = appName(i);
    const text = await stack.github.readFile(
      'acme',
      'gitops',
      'main',
      `apps/${name}/.argocd-source-${name}.yaml`,
    );
    if (text?.includes(`value: ${TAG}`) || text?.includes(`value: "${TAG}"`)) landed += 1;
  }
  return landed;
}

// From each app's history: how long from the push to the commit that moved it.
async function pushToCommit(stack: LocalStack): Promise<number[]> {
  const audit = stack.audit();
  const latencies: number[] = [];
  for (let i = 0; i < APPS; i++) {
    const [newest] = (await audit.history(appName(i), { limit: 5 })).filter((d) => d.outcome === 'updated');
    if (newest?.timings.pushToWriteBackMs !== undefined) latencies.push(newest.timings.pushToWriteBackMs);
  }
  return latencies;
}

// GitHub's content-creating requests (writes: POST, PATCH, PUT, DELETE) in the busiest 60 s window.
// (A GraphQL query is a POST too, but creates nothing: only mutations count.)
function busiestMinute(calls: readonly FakeGitHubCall[], graphql: readonly GraphqlCall[]): number {
  const writes = [
    ...calls
      .filter((c) => c.operationId !== 'graphql' && c.method !== 'GET' && c.method !== 'HEAD')
      .map((c) => c.at),
    ...graphql.filter((c) => c.operation === 'mutation').map((c) => c.at),
  ].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < writes.length; end++) {
    while (writes[end]! - writes[start]! >= 60_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const rows: Row[] = [];
for (const path of ['direct', 'queued'] as const) rows.push(await measure(path));

const goal = (met: boolean) => (met ? 'met' : 'NOT met');
const lines = [
  `A burst into one GitOps branch: ${APPS} apps, ${APPS} pushes within ${WINDOW_MS / 1000} s, ${DELAY_MS} ms added to every call, the strict fake GitHub`,
  '',
  'path    landed  commits  GitHub calls  calls/commit  busiest minute  409  403  429  failed inv.  dead letters  p50 s  p99 s  wall s',
  '------  ------  -------  ------------  ------------  --------------  ---  ---  ---  -----------  ------------  -----  -----  ------',
  ...rows.map((r) =>
    [
      r.path.padEnd(6),
      `${r.landed}/${APPS}`.padStart(6),
      String(r.commits).padStart(7),
      String(r.githubCalls).padStart(12),
      (r.commits ? (r.githubCalls / r.commits).toFixed(1) : '-').padStart(12),
      String(r.busiestMinute).padStart(14),
      String(r.refused[409]).padStart(3),
      String(r.refused[403]).padStart(3),
      String(r.refused[429]).padStart(3),
      String(r.failedInvocations).padStart(11),
      (r.deadLetters === undefined ? '-' : String(r.deadLetters)).padStart(12),
      r.p50.toFixed(1).padStart(5),
      r.p99.toFixed(1).padStart(5),
      r.seconds.toFixed(1).padStart(6),
    ].join('  '),
  ),
];
const queuedRow = rows.find((r) => r.path === 'queued')!;
lines.push(
  '',
  `goals (queued): all landed ${goal(queuedRow.landed === APPS)}; 0 dead letters ${goal(queuedRow.deadLetters === 0)}; 0 failed invocations ${goal(queuedRow.failedInvocations === 0)}; commits <= 25 ${goal(queuedRow.commits <= 25)}; calls/commit <= 2 ${goal(queuedRow.githubCalls <= 2 * queuedRow.commits)}; busiest minute <= 80 ${goal(queuedRow.busiestMinute <= 80)}; p99 <= 30 s ${goal(queuedRow.p99 <= 30)}`,
);
console.log(lines.join('\n'));
