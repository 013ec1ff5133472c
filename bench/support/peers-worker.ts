/**
 * The local peers in a worker thread of their own, for benchmarks: their work (git objects, LevelDB,
 * request validation) runs on another core, as a real service's does elsewhere, instead of taking
 * turns with the handler being measured. Controlled by messages; see peers-in-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { LocalStack } from '@ecr-image-updater/local/local-stack';

// Pinned SDK versions; its notice about releases that will need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// With the write queue, for the round trips of the queued path; the direct rows leave it out.
const stack = await LocalStack.start({ writeQueue: true });

const operations = {
  createRepository: (owner: string, name: string, files: Record<string, string>) =>
    stack.github.createRepository(owner, name, { files }).then(() => undefined),
  pushImage: (repository: string, tag: string) => stack.ecr.pushImage({ repository, tag }).digest,
  setLatency: (ms: number) => stack.setLatency(ms),
  clearCalls: () => {
    for (const peer of [stack.dynamodb, stack.ecr, stack.secrets, stack.github, stack.sqs]) peer.clearCalls();
  },
  counts: () => ({
    dynamodb: stack.dynamodb.callCount(),
    ecr: stack.ecr.callCount(),
    secrets: stack.secrets.callCount(),
    github: stack.github.callCount(),
  }),
  close: () => stack.close(),
} as const;

type Operation = keyof typeof operations;

parentPort!.on('message', async (message: { id: number; op: Operation; args: unknown[] }) => {
  try {
    const run = operations[message.op] as (...args: unknown[]) => unknown;
    parentPort!.postMessage({ id: message.id, result: await run(...message.args) });
  } catch (error) {
    parentPort!.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
parentPort!.postMessage({
  ready: {
    env: stack.env(),
    accountId: stack.accountId,
    region: stack.region,
    registryHost: stack.registryHost,
  },
});
