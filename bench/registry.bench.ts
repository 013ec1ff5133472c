/**
 * The registry at scale: 10 and 1,000 registered apps, of which 10 follow the pushed repository. A
 * push costs the same DynamoDB calls whatever the size of the registry (one Query for the followers,
 * one GetItem for repeated deliveries, the audit records), and the same handler time: nothing grows
 * with the registry but what must. Run with `npm run bench:registry`.
 */

import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { createImagePushHandler } from '../functions/image-push.ts';
import { MemoryLogger } from '../lib/adapters/memory-logger.ts';
import { registerApps } from '../lib/app/register-app.ts';
import { pushEvent } from './support/push-event.ts';

// Pinned SDK versions; its notice about releases that will need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const FOLLOWERS = 10;
const RUNS = 5;

interface Row {
  readonly registered: number;
  readonly calls: Record<string, number>;
  readonly ms: number;
}

async function measure(registered: number): Promise<Row> {
  const stack = await LocalStack.start();
  try {
    await stack.github.createRepository('acme', 'gitops', { files: { 'apps/README.md': 'apps\n' } });
    const documents = Array.from({ length: registered }, (_, i) => {
      const follows = i < FOLLOWERS;
      return {
        name: `app-${String(i).padStart(4, '0')}`,
        images: [{ image: `${stack.registryHost}/${follows ? 'web' : `service-${i}`}:~1.0` }],
        writeBack: { method: 'git', git: { repo: 'acme/gitops', branch: 'main', path: 'apps' } },
      };
    });
    for (let i = 0; i < documents.length; i += 100)
      await registerApps(stack.registry(), documents.slice(i, i + 100));
    const handler = createImagePushHandler(stack.dependencies(new MemoryLogger()));
    let sequence = 0;
    const event = (tag: string) =>
      pushEvent({
        id: `registry-${registered}-${sequence++}`,
        account: stack.accountId,
        region: stack.region,
        repository: 'web',
        digest: stack.ecr.pushImage({ repository: 'web', tag }).digest,
        tag,
      });
    for (let warm = 0; warm < 3; warm++) await handler(event(`0.9.${warm}`));
    const times: number[] = [];
    let calls: Record<string, number> = {};
    for (let run = 1; run <= RUNS; run++) {
      const next = event(`1.0.${run}`);
      stack.dynamodb.clearCalls();
      const started = performance.now();
      await handler(next);
      times.push(performance.now() - started);
      calls = Object.fromEntries(
        ['Query', 'GetItem', 'BatchWriteItem', 'Scan'].map((op) => [
          op,
          stack.dynamodb.callCount(`DynamoDB_20120810.${op}`),
        ]),
      );
    }
    times.sort((a, b) => a - b);
    return { registered, calls, ms: times[Math.floor(times.length / 2)]! };
  } finally {
    await stack.close();
  }
}

const rows = [await measure(10), await measure(1000)];
console.log(
  `A push followed by ${FOLLOWERS} apps, with 10 and with 1,000 apps registered (median of ${RUNS})\n`,
);
console.log('registered  Query  GetItem  BatchWriteItem  Scan  handler ms');
console.log('----------  -----  -------  --------------  ----  ----------');
for (const row of rows)
  console.log(
    [
      String(row.registered).padStart(10),
      String(row.calls.Query).padStart(5),
      String(row.calls.GetItem).padStart(7),
      String(row.calls.BatchWriteItem).padStart(14),
      String(row.calls.Scan).padStart(4),
      row.ms.toFixed(0).padStart(10),
    ].join('  '),
  );
