/**
 * EventBridge's matching of an event pattern, for the subset our rule uses: lists of exact values,
 * `{prefix}`, `{suffix}`, `{wildcard}` (`*` any run of characters) and `{exists}`, nested through `detail`. Lets the tests run the synthesized rule over
 * ECR's sample events, offline. Anything else in a pattern is refused, so a new kind of filter cannot
 * pass a test by being ignored.
 */
type Pattern = Readonly<Record<string, unknown>>;

export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesAny(rule, value);
    if (isObject(rule)) return isObject(value) && matchesEventPattern(rule, value);
    throw new Error(`pattern field ${key}: expected a list or a mapping`);
  });
}

function matchesAny(rules: readonly unknown[], value: unknown): boolean {
  return rules.some((rule) => {
    if (typeof rule === 'string' || typeof rule === 'number' || typeof rule === 'boolean')
      return Array.isArray(value) ? value.includes(rule) : value === rule;
    if (isObject(rule) && Object.keys(rule).length === 1) {
      if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule.prefix));
      if ('suffix' in rule) return typeof value === 'string' && value.endsWith(String(rule.suffix));
      if ('wildcard' in rule) return typeof value === 'string' && wildcard(String(rule.wildcard)).test(value);
      if ('exists' in rule) return (value !== undefined) === rule.exists;
    }
    throw new Error(`unsupported pattern rule ${JSON.stringify(rule)}`);
  });
}

// EventBridge's wildcard: `*` matches any run of characters, everything else itself.
function wildcard(pattern: string): RegExp {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
