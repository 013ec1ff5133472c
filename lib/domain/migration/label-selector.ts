/**
 * Kubernetes label selectors as an `ImageUpdater` writes them (`metav1.LabelSelector`: matchLabels and
 * matchExpressions), read and matched as `metav1.LabelSelectorAsSelector` and `labels.Selector.Matches`
 * do (k8s.io/apimachinery pkg/apis/meta/v1/helpers.go, pkg/labels/selector.go): every requirement must
 * hold; `NotIn` and `DoesNotExist` hold for a label that is absent; an empty selector matches all.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { type DocumentMapping, expectObject, fieldPath } from '../registration/document-fields.ts';

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

const OPERATORS: readonly LabelOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
// A qualified name (an optional DNS subdomain prefix and '/', then at most 63 characters) and a label
// value (at most 63, may be empty), as validation.IsQualifiedName and IsValidLabelValue check them.
const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Reads a `metav1.LabelSelector`; throws {@link InvalidInputError} naming the field that is wrong. */
export function readLabelSelector(value: unknown, field: string): LabelRequirement[] {
  const selector = expectObject(value, field);
  const requirements: LabelRequirement[] = [];
  const labels = selector.matchLabels;
  if (labels !== undefined && labels !== null) {
    const at = fieldPath(field, 'matchLabels');
    for (const [key, label] of Object.entries(expectObject(labels, at))) {
      requirements.push({
        key: checkKey(key, fieldPath(at, key)),
        operator: 'In',
        values: [checkValue(label, fieldPath(at, key))],
      });
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions !== null) {
    const at = fieldPath(field, 'matchExpressions');
    if (!Array.isArray(expressions)) throw new InvalidInputError(at, 'expected a list');
    expressions.forEach((item, index) => {
      requirements.push(readExpression(expectObject(item, fieldPath(at, index)), fieldPath(at, index)));
    });
  }
  return requirements;
}

/** Whether `labels` satisfy every requirement. */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, unknown>>,
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = has ? String(labels[key]) : undefined;
    if (operator === 'In') return has && values.includes(value!);
    if (operator === 'NotIn') return !has || !values.includes(value!);
    return operator === 'Exists' ? has : !has;
  });
}

function readExpression(expression: DocumentMapping, at: string): LabelRequirement {
  const key = checkKey(String(expression.key ?? ''), fieldPath(at, 'key'));
  const operator = expression.operator;
  if (!OPERATORS.includes(operator as LabelOperator))
    throw new InvalidInputError(
      fieldPath(at, 'operator'),
      `${quoteInput(String(operator ?? ''))} is not an operator`,
      'use In, NotIn, Exists or DoesNotExist',
    );
  const raw = expression.values ?? [];
  if (!Array.isArray(raw)) throw new InvalidInputError(fieldPath(at, 'values'), 'expected a list');
  const values = raw.map((item, index) => checkValue(item, fieldPath(fieldPath(at, 'values'), index)));
  const needsValues = operator === 'In' || operator === 'NotIn';
  if (needsValues !== values.length > 0)
    throw new InvalidInputError(
      fieldPath(at, 'values'),
      needsValues ? `must not be empty for ${operator}` : `must be empty for ${operator}`,
    );
  return { key, operator: operator as LabelOperator, values };
}

function checkKey(key: string, at: string): string {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (!NAME.test(name) || (prefix !== undefined && !PREFIX.test(prefix)))
    throw new InvalidInputError(at, `${quoteInput(key)} is not a label key`);
  return key;
}

function checkValue(value: unknown, at: string): string {
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof text !== 'string' || (text !== '' && !NAME.test(text)))
    throw new InvalidInputError(at, `${quoteInput(String(value))} is not a label value`);
  return text;
}
