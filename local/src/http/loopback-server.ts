/**
 * The server lifecycle the spec-checked fakes share (GitHub, Argo CD): listen on loopback and a free
 * port, over HTTP or HTTPS; on close, tell waiting requests to stop, drop open connections (a plain
 * `server.close()` waits for every request to be answered) and wait for the requests still in progress.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { unlimitedAbortController } from '../unlimited-abort-controller.ts';

/** Where and how a {@link LoopbackServer} listens. */
export interface LoopbackServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on. Default 0 (any free port, so parallel tests never collide). */
  readonly port?: number;
  /** Serve HTTPS with this PEM key and certificate. Default: plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** Serves one request; the promise settles when the request is done with. */
export type RequestServer = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** A listening HTTP(S) server on loopback that knows which of its requests are still in progress. */
export class LoopbackServer {
  readonly #server: Server;
  // Every request waiting out a delay listens to it: as many listeners as requests in flight.
  readonly #closing = unlimitedAbortController();
  readonly #inflight = new Set<Promise<void>>();
  #closed: Promise<void> | undefined;

  private constructor(
    /** `http://127.0.0.1:<port>` (or `https://`, `[::1]`), without a trailing slash. */
    readonly url: string,
    server: Server,
  ) {
    this.#server = server;
  }

  /** Starts listening; rejects when the address cannot be bound (a port in use, say). */
  static async listen(options: LoopbackServerOptions = {}): Promise<LoopbackServer> {
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert })
      : createHttpServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    const scheme = options.tls ? 'https' : 'http';
    return new LoopbackServer(
      `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`,
      server,
    );
  }

  /** Aborted when {@link close} begins, so requests waiting out a delay stop waiting. */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /** Hands every request to `serve`, and keeps track of it until its promise settles. */
  serve(serve: RequestServer): void {
    this.#server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const serving = serve(request, response);
      this.#inflight.add(serving);
      void serving.finally(() => this.#inflight.delete(serving));
    });
  }

  /** Stops listening, drops open connections and waits for requests in progress to end. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort();
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        this.#server.closeAllConnections();
      });
      await Promise.allSettled([...this.#inflight]);
    })();
    return this.#closed;
  }
}
