import { describe, expect, it } from 'vitest';
import { REGISTRY_KEY_PREFIXES, REGISTRY_KEYS } from '../../../lib/adapters/registry-keys.ts';

describe('REGISTRY_KEYS', () => {
  it('keeps the attribute names of the tables already deployed', () => {
    expect(REGISTRY_KEYS).toEqual({ partitionKey: 'pk', sortKey: 'sk', timeToLive: 'expiresAt' });
  });
});

describe('REGISTRY_KEY_PREFIXES', () => {
  it('keeps the prefixes of the items already stored', () => {
    expect(REGISTRY_KEY_PREFIXES).toEqual({
      app: 'app#',
      watch: 'watch#',
      event: 'event#',
      history: 'history#',
    });
  });

  it('starts no kind of item with another kind’s prefix, so that a LeadingKeys condition tells them apart', () => {
    const prefixes = Object.values(REGISTRY_KEY_PREFIXES);
    for (const prefix of prefixes)
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
  });
});
