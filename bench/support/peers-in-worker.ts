/** Starts the local peers in a worker thread and talks to them (see peers-worker.ts). */
import { Worker } from 'node:worker_threads';

export interface PeersInWorker {
  readonly env: Record<string, string>;
  readonly accountId: string;
  readonly region: string;
  readonly registryHost: string;
  call<T = unknown>(op: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export async function startPeersInWorker(): Promise<PeersInWorker> {
  const worker = new Worker(new URL('./peers-worker-entry.mjs', import.meta.url));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  const ready = await new Promise<{
    env: Record<string, string>;
    accountId: string;
    region: string;
    registryHost: string;
  }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message) => {
      if (message.ready) resolve(message.ready);
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  });
  const call = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  return {
    ...ready,
    call,
    async close() {
      await call('close');
      await worker.terminate();
    },
  };
}
