import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readBody } from '@ecr-image-updater/local/http/read-body';
import { describe, expect, it } from 'vitest';

/** A request body arriving in chunks; `pulled` counts the chunks the reader took. */
function body(...chunks: string[]): { request: IncomingMessage; stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        pulled += 1;
        yield Buffer.from(chunk);
      }
    })(),
    // One chunk at a time, so the reader pulls only what it reads.
    { objectMode: false, highWaterMark: 1 },
  );
  return { request: stream as IncomingMessage, stream, pulled: () => pulled };
}

describe('readBody', () => {
  it('joins the chunks as UTF-8 text', async () => {
    const { request } = body('{"name":', '"flask-app", "emoji": "', 'é"}');
    expect(await readBody(request, { maxBytes: 100, drain: true })).toBe(
      '{"name":"flask-app", "emoji": "é"}',
    );
  });

  it('takes a body of exactly the limit, and an empty one', async () => {
    expect(await readBody(body('12345', '67890').request, { maxBytes: 10, drain: false })).toBe('1234567890');
    expect(await readBody(body().request, { maxBytes: 10, drain: false })).toBe('');
  });

  it('gives undefined for a larger body after reading all of it, when told to drain', async () => {
    const { request, pulled } = body('12345', '67890', 'x', 'y');
    expect(await readBody(request, { maxBytes: 10, drain: true })).toBeUndefined();
    expect(pulled()).toBe(4);
  });

  it('gives undefined for a larger body and destroys the request at the limit, when not told to drain', async () => {
    const { request, stream, pulled } = body('12345', '67890', 'x', 'y', 'z');
    expect(await readBody(request, { maxBytes: 10, drain: false })).toBeUndefined();
    expect(pulled()).toBeLessThan(5);
    expect(stream.readableEnded).toBe(false);
    expect(stream.destroyed).toBe(true);
  });
});
