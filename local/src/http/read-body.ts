import type { IncomingMessage } from 'node:http';

/** How much of a body a server takes, and what it does with a larger one. */
export interface BodyLimit {
  readonly maxBytes: number;
  /**
   * Read the rest of a larger body and drop it, so the connection can still carry an answer (Go's
   * servers do). Without it, reading stops at the limit and the request is destroyed.
   */
  readonly drain: boolean;
}

/** The request body as UTF-8 text, or undefined when it is larger than `limit.maxBytes`. */
export async function readBody(request: IncomingMessage, limit: BodyLimit): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit.maxBytes) chunks.push(chunk as Buffer);
    else if (!limit.drain) break;
  }
  return size > limit.maxBytes ? undefined : Buffer.concat(chunks).toString('utf8');
}
