import { ArgoCdApiError } from './argocd-api-error.ts';

/** Whether a set of labels satisfies a selector. */
export type LabelPredicate = (labels: Readonly<Record<string, unknown>>) => boolean;

const REQUIREMENT =
  /^\s*(?:(!)\s*([\w./-]+)|([\w./-]+)\s*(?:(==|=|!=)\s*([\w./-]*)|\s+(in|notin)\s*\(([^)]*)\))?)\s*$/;

/**
 * Parses a Kubernetes label selector (`app=web,tier!=db,env in (a,b),!legacy`) as `labels.Parse` does
 * for the forms people write; anything else is refused with the message Argo CD's List answers with.
 */
export function parseLabelSelector(selector: string): LabelPredicate {
  if (selector.trim() === '') return () => true;
  const predicates = splitRequirements(selector).map((text): LabelPredicate => {
    const match = REQUIREMENT.exec(text);
    if (!match) {
      throw ArgoCdApiError.unknown(`error parsing the selector: unable to parse requirement: ${text.trim()}`);
    }
    const [, not, absentKey, key = '', operator, value = '', setOperator, set = ''] = match;
    if (not) return (labels) => !Object.hasOwn(labels, absentKey ?? '');
    if (operator === '!=') return (labels) => labels[key] !== value;
    if (operator) return (labels) => labels[key] === value;
    if (setOperator) {
      const values = new Set(set.split(',').map((item) => item.trim()));
      const inSet = (labels: Readonly<Record<string, unknown>>) => values.has(String(labels[key]));
      return setOperator === 'in'
        ? (labels) => Object.hasOwn(labels, key) && inSet(labels)
        : (labels) => !Object.hasOwn(labels, key) || !inSet(labels);
    }
    return (labels) => Object.hasOwn(labels, key);
  });
  return (labels) => predicates.every((predicate) => predicate(labels));
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of selector) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  return [...parts, current];
}
