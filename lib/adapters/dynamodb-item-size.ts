/**
 * An item's size as DynamoDB counts it against its 400 KB item limit ("Item sizes and formats" in the
 * DynamoDB developer guide): each attribute's name in UTF-8 plus its value; strings in UTF-8, numbers
 * about one byte per two significant digits plus one, booleans and nulls one byte, lists and maps three
 * bytes plus one per element plus the elements (and a map's keys). Computed before a write so that an
 * item that cannot fit is refused with its name, not with the service's "Item size has exceeded the
 * maximum allowed size".
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** DynamoDB's maximum item size: 400 KB, counted as 409,600 bytes. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

/** The size of an item (attribute names and values) in bytes, as DynamoDB counts it. */
export function dynamoDbItemSize(item: Readonly<Record<string, AttributeValue>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8Length(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, text) => sum + utf8Length(text), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, text) => sum + numberSize(text), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, bytes) => sum + bytes.length, 0);
  if (value.L !== undefined) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  if (value.M !== undefined)
    return Object.entries(value.M).reduce(
      (sum, [key, element]) => sum + 1 + utf8Length(key) + valueSize(element),
      3,
    );
  return 0;
}

// Leading and trailing zeros are not stored; a negative number takes a byte more.
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return 1 + Math.ceil(Math.max(digits.length, 1) / 2) + (text.startsWith('-') ? 1 : 0);
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
