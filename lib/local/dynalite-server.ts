/**
 * A local DynamoDB: dynalite, in memory, on loopback. Tables become ACTIVE at once. It has no
 * TransactWriteItems/TransactGetItems, UpdateTimeToLive or TTL expiry, so code meant to run here must
 * not rely on them.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

interface DynaliteOptions {
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
}

/** A running dynalite: `endpoint` for a `DynamoDBClient`, `close()` to stop it and drop its data. */
export interface DynaliteServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

// dynalite is CommonJS without type declarations; this is the one signature we use.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

/** Starts an in-memory dynalite on 127.0.0.1 and a free port (or `port`). */
export async function startDynalite(port = 0): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close() {
      closed ??= new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
