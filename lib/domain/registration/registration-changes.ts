/**
 * What a new registration document changes in the one it replaces, as short phrases for people:
 * `writeBack git -> argocd`, `images[0].image flask-app:~1.0 -> flask-app:~2.0`,
 * `writeBack.git.branch main -> release`. `apps register` and `apps import` print them so that
 * replacing an app of the same name is never silent.
 */

/** At most this many phrases; the rest are counted. */
const MAX_CHANGES = 6;
/** Longer text is not repeated, only said to have changed. */
const MAX_VALUE = 40;

/**
 * The changes from `previous` to `next` (two registration documents as parsed from YAML or JSON), in
 * document order; none when they are equal. A change of write-back method is one phrase, whatever
 * its settings.
 */
export function describeRegistrationChanges(previous: unknown, next: unknown): string[] {
  const changes: string[] = [];
  compare('', previous, next, changes);
  return changes.length > MAX_CHANGES
    ? [...changes.slice(0, MAX_CHANGES - 1), `and ${changes.length - MAX_CHANGES + 1} more`]
    : changes;
}

type Mapping = Readonly<Record<string, unknown>>;

function compare(path: string, before: unknown, after: unknown, changes: string[]): void {
  if (same(before, after)) return;
  if (path === 'writeBack' && isMapping(before) && isMapping(after) && before.method !== after.method) {
    changes.push(`writeBack ${render(before.method)} -> ${render(after.method)}`);
    return;
  }
  if (isMapping(before) && isMapping(after)) {
    for (const key of new Set([...Object.keys(after), ...Object.keys(before)]))
      compare(path === '' ? key : `${path}.${key}`, before[key], after[key], changes);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].some(isMapping)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      compare(`${path}[${i}]`, before[i], after[i], changes);
    return;
  }
  if (/^images\[\d+\]\.image$/.test(path) && typeof before === 'string' && typeof after === 'string') {
    const host = sharedHost(before, after);
    changes.push(`${path} ${before.slice(host.length)} -> ${after.slice(host.length)}`);
    return;
  }
  if (before === undefined && isMapping(after)) changes.push(`${path} added`);
  else if (after === undefined && isMapping(before)) changes.push(`${path} removed`);
  else if (shown(before) && shown(after)) changes.push(`${path} ${render(before)} -> ${render(after)}`);
  else changes.push(`${path} changed`);
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => same(item, b[index]));
  if (isMapping(a) && isMapping(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => same(a[key], b[key]));
  }
  return false;
}

// Whether a value is short enough to repeat in a phrase.
function shown(value: unknown): boolean {
  if (Array.isArray(value))
    return (
      value.every((item) => !isMapping(item) && !Array.isArray(item)) && render(value).length <= MAX_VALUE
    );
  if (isMapping(value)) return false;
  return render(value).length <= MAX_VALUE && !render(value).includes('\n');
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '(unset)';
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  return String(value);
}

// The registry host both image references share (`<account>.dkr.ecr.<region>.amazonaws.com/`), if any.
function sharedHost(a: string, b: string): string {
  const host = a.slice(0, a.indexOf('/') + 1);
  return host !== '' && host.includes('.') && b.startsWith(host) ? host : '';
}
