import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import { matchesLabels, readLabelSelector } from '../../../../lib/domain/migration/label-selector.ts';

const matches = (selector: unknown, labels: Record<string, string>) =>
  matchesLabels(readLabelSelector(selector, 'labelSelectors'), labels);

describe('label selectors of an ImageUpdater', () => {
  it.each([
    [
      'matchLabels: every label must be there with its value',
      { matchLabels: { env: 'prod', tier: 'web' } },
      { env: 'prod', tier: 'web', x: '1' },
      true,
    ],
    ['matchLabels: a different value', { matchLabels: { env: 'prod' } }, { env: 'dev' }, false],
    [
      'In: the value is one of the list',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] },
      { env: 'staging' },
      true,
    ],
    [
      'In: an absent label does not match',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      {},
      false,
    ],
    [
      'NotIn: an absent label matches',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      {},
      true,
    ],
    [
      'NotIn: a listed value does not',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      { env: 'prod' },
      false,
    ],
    ['Exists', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, { team: 'a' }, true],
    [
      'DoesNotExist',
      { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] },
      { legacy: 'y' },
      false,
    ],
    ['an empty selector matches everything', {}, { any: 'thing' }, true],
    [
      'labels and expressions must all hold',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      { app: 'web', env: 'dev' },
      false,
    ],
  ])('%s', (_what, selector, labels, expected) => {
    expect(matches(selector, labels)).toBe(expected);
  });

  it('takes a prefixed key such as app.kubernetes.io/part-of', () => {
    expect(
      matches(
        { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } },
        { 'app.kubernetes.io/part-of': 'shop' },
      ),
    ).toBe(true);
  });

  it.each([
    [
      { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['a'] }] },
      'labelSelectors.matchExpressions[0].operator',
    ],
    [
      { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] },
      'labelSelectors.matchExpressions[0].values',
    ],
    [
      { matchExpressions: [{ key: 'env', operator: 'Exists', values: ['a'] }] },
      'labelSelectors.matchExpressions[0].values',
    ],
    [{ matchLabels: { 'bad key!': 'a' } }, "labelSelectors.matchLabels.'bad key!'"],
    [{ matchLabels: { env: 'not a value' } }, 'labelSelectors.matchLabels.env'],
  ])('refuses what Kubernetes refuses, naming the field: %j', (selector, field) => {
    try {
      readLabelSelector(selector, 'labelSelectors');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });
});
