/**
 * Another host, as one who wants the platform's credentials would run it: it records every request and
 * answers each with a cheerful 200. Tests assert that nothing ever reaches it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export class ElsewhereServer {
  readonly requests: Seen[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<ElsewhereServer> {
    const server = createServer();
    const elsewhere = new ElsewhereServer(server);
    server.on('request', (request, response) => {
      elsewhere.requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
      });
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return elsewhere;
  }

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A Location on this host, with a query a careless error message would repeat. */
  location(path: string): string {
    return `http://${this.host}${path}?sig=do-not-repeat`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
