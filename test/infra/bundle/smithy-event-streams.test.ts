import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as substitute from '../../../infra/bundle/smithy-event-streams.ts';

const SMITHY = fileURLToPath(new URL('../../../node_modules/@smithy/core/dist-es', import.meta.url));

/** Every name the SDK takes from `@smithy/core/event-streams` when it loads it for an event stream. */
function namesTheSdkLoads(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(SMITHY, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.js'),
  )) {
    const text = readFileSync(join(SMITHY, file), 'utf8');
    for (const [, list] of text.matchAll(
      /\{([^{}]*)\}\s*=\s*await import\("@smithy\/core\/event-streams"\)/g,
    ))
      for (const item of list!.split(',')) if (item.trim()) names.add(item.trim().split(':')[0]!.trim());
  }
  return [...names].sort();
}

describe('event streams in the Lambda bundle', () => {
  it('stand in for every name the SDK loads from @smithy/core/event-streams', () => {
    const names = namesTheSdkLoads();
    expect(names).toEqual(['EventStreamSerde', 'eventStreamSerdeProvider']);
    expect(names.filter((name) => !(name in substitute))).toEqual([]);
  });

  it('fail and say why if an operation with an event stream is ever sent', () => {
    expect(() => substitute.eventStreamSerdeProvider()).toThrow(/left out of the Lambda bundle/);
    expect(() => new substitute.EventStreamSerde()).toThrow(/none of its operations has one/);
  });
});
