import { type LabelRequirement, matchesLabels } from 'ecr-image-updater/lib/domain/migration/label-selector';
import { ArgoCdApiError } from './argocd-api-error.ts';

/** Whether a set of labels satisfies a selector. */
export type LabelPredicate = (labels: Readonly<Record<string, unknown>>) => boolean;

const REQUIREMENT =
  /^\s*(?:(!)\s*([\w./-]+)|([\w./-]+)\s*(?:(==|=|!=)\s*([\w./-]*)|\s+(in|notin)\s*\(([^)]*)\))?)\s*$/;

/**
 * Parses a Kubernetes label selector (`app=web,tier!=db,env in (a,b),!legacy`) as `labels.Parse` does
 * for the forms people write (k8s.io/apimachinery pkg/labels/selector.go); anything else is refused with
 * the message Argo CD's List answers with.
 */
export function parseLabelSelector(selector: string): LabelPredicate {
  if (selector.trim() === '') return () => true;
  const requirements = splitRequirements(selector).map((text): LabelRequirement => {
    const match = REQUIREMENT.exec(text);
    if (!match) {
      throw ArgoCdApiError.unknown(`error parsing the selector: unable to parse requirement: ${text.trim()}`);
    }
    const [, not, absentKey, key = '', operator, value = '', setOperator, set = ''] = match;
    if (not) return { key: absentKey ?? '', operator: 'DoesNotExist', values: [] };
    if (operator) return { key, operator: operator === '!=' ? 'NotIn' : 'In', values: [value] };
    if (setOperator) {
      const values = set.split(',').map((item) => item.trim());
      return { key, operator: setOperator === 'in' ? 'In' : 'NotIn', values };
    }
    return { key, operator: 'Exists', values: [] };
  });
  // Matched as the product matches an ImageUpdater's selectors: one home for the rule.
  return (labels) => matchesLabels(requirements, labels);
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
