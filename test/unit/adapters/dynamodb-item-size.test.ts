import { describe, expect, it } from 'vitest';
import { DYNAMODB_ITEM_LIMIT_BYTES, dynamoDbItemSize } from '../../../lib/adapters/dynamodb-item-size.ts';

describe('dynamoDbItemSize', () => {
  it('counts attribute names and string values in UTF-8 bytes', () => {
    expect(dynamoDbItemSize({ pk: { S: 'app#flask' } })).toBe(2 + 9);
    expect(dynamoDbItemSize({ é: { S: 'ü€' } })).toBe(2 + 5);
  });

  it.each([
    ['0', 2],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['1000', 2],
    ['0.001', 2],
    ['-12', 3],
    ['9999999999', 6],
  ])('counts the number %s as %i bytes', (number, size) => {
    expect(dynamoDbItemSize({ n: { N: number } })).toBe(1 + size);
  });

  it('counts booleans and nulls as one byte, lists and maps as three plus one per element', () => {
    expect(dynamoDbItemSize({ b: { BOOL: true }, z: { NULL: true } })).toBe(4);
    expect(dynamoDbItemSize({ l: { L: [{ S: 'ab' }, { BOOL: false }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(dynamoDbItemSize({ m: { M: { key: { S: 'v' } } } })).toBe(1 + 3 + (1 + 3 + 1));
  });

  it('knows the limit as 400 KB', () => {
    expect(DYNAMODB_ITEM_LIMIT_BYTES).toBe(409_600);
  });
});
