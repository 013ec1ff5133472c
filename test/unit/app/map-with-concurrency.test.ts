import { expect, it } from 'vitest';
import { mapWithConcurrency } from '../../../lib/app/map-with-concurrency.ts';

it('runs at most the limit at once and answers in input order', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n, index) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, n));
    running--;
    return `${index}:${n}`;
  });
  expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
  expect(peak).toBe(2);
});

it('answers an empty list', async () => {
  expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
});
