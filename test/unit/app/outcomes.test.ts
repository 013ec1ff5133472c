import { describe, expect, it } from 'vitest';
import { summarizeApp } from '../../../lib/app/outcomes.ts';

describe('summarizeApp', () => {
  it('reads as one line per outcome', () => {
    expect(
      summarizeApp({
        app: 'a',
        kind: 'updated',
        write: { kind: 'commit', sha: 'abcdef123456', branch: 'main' },
        changes: [{ imageName: 'r/x', from: '1.0.0', to: '1.0.2' }],
        images: [],
        attempts: 1,
      }),
    ).toBe('a: committed abcdef1 on main (1.0.0 -> 1.0.2)');
    const change = [{ imageName: 'r/x', to: '2.0.0' }];
    const write = (w: object) => ({
      app: 'a',
      kind: 'updated' as const,
      write: w as never,
      changes: change,
      images: [],
      attempts: 1,
    });
    expect(
      summarizeApp(write({ kind: 'pull-request', number: 7, url: 'u', branch: 'b', reused: false })),
    ).toBe('a: proposed in pull request #7 from b ((unset) -> 2.0.0)');
    expect(summarizeApp(write({ kind: 'argocd', application: 'a', synced: 'started' }))).toBe(
      'a: patched Application a, sync started ((unset) -> 2.0.0)',
    );
    expect(
      summarizeApp({
        app: 'a',
        kind: 'unchanged',
        images: [
          { image: 'x', kind: 'none', reason: "no version among 3 tags satisfies '~1.0'" },
          { image: 'y', kind: 'current', version: '1.0.2' },
        ],
      }),
    ).toBe("a: no change (x: no version among 3 tags satisfies '~1.0'; y already at 1.0.2)");
    expect(summarizeApp({ app: 'a', kind: 'skipped', reason: 'paused' })).toBe('a: skipped (paused)');
    expect(
      summarizeApp({
        app: 'a',
        kind: 'failed',
        error: 'GitHub: 502',
        reason: 'unavailable',
        retryable: true,
      }),
    ).toBe('a: failed, will be retried (GitHub: 502)');
  });
});
