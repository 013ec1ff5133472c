import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import LruCache from '../../../infra/bundle/lru-cache.ts';

// mnemonist is what the substitute stands in for: the same calls must give the same answers.
const require = createRequire(import.meta.url);
const endpointCache = require.resolve('@aws-sdk/endpoint-cache');
const Mnemonist = createRequire(endpointCache)('mnemonist/lru-cache') as new (
  capacity: number,
) => {
  get(k: string): unknown;
  peek(k: string): unknown;
  has(k: string): boolean;
  set(k: string, v: unknown): void;
  clear(): void;
  size: number;
};

type Step = ['get' | 'peek' | 'has', string] | ['set', string, number] | ['clear'];

function replay(cache: InstanceType<typeof Mnemonist> | LruCache<string, number>, steps: readonly Step[]) {
  return steps.map((step) => {
    if (step[0] === 'set') {
      cache.set(step[1], step[2]);
      return cache.size;
    }
    if (step[0] === 'clear') {
      cache.clear();
      return cache.size;
    }
    return cache[step[0]](step[1]);
  });
}

describe('the LRU cache the Lambda bundle uses instead of mnemonist', () => {
  it('answers every call the endpoint cache makes as mnemonist does', () => {
    const steps: Step[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const key = `k${random() % 12}`;
      const pick = random() % 20;
      if (pick < 8) steps.push(['set', key, i]);
      else if (pick < 13) steps.push(['get', key]);
      else if (pick < 16) steps.push(['peek', key]);
      else if (pick < 19) steps.push(['has', key]);
      else steps.push(['clear']);
    }
    expect(replay(new LruCache<string, number>(5), steps)).toEqual(replay(new Mnemonist(5), steps));
  });

  it('drops the least recently used entry when full; get refreshes, peek does not', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    cache.peek('a');
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
  });

  it('refuses a capacity that is not a whole number of one or more', () => {
    expect(() => new LruCache(0)).toThrow(/capacity should be a whole number/);
  });

  it('covers the only import of mnemonist the bundled SDK has', () => {
    const source = readFileSync(endpointCache.replace(/dist-cjs.*$/, 'dist-es/EndpointCache.js'), 'utf8');
    expect([...source.matchAll(/from "(mnemonist[^"]*)"/g)].map((match) => match[1])).toEqual([
      'mnemonist/lru-cache',
    ]);
    expect([...source.matchAll(/this\.cache\.(\w+)/g)].map((match) => match[1])).toEqual(
      expect.arrayContaining(['get', 'set', 'has', 'peek', 'clear']),
    );
  });
});
