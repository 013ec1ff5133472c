/** One page of a list and the `link` header that leads to the others. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Cuts `items` into the page `per_page`/`page` ask for (GitHub's defaults: 30, page 1, at most 100)
 * and builds the `link` header Octokit's paginate follows.
 */
export function paginate<T>(items: readonly T[], query: URLSearchParams, url: string): Page<T> {
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number) => {
    const next = new URL(url);
    for (const [name, value] of query) if (name !== 'page') next.searchParams.set(name, value);
    next.searchParams.set('page', String(n));
    return next.toString();
  };
  const relations: string[] = [];
  if (page < last) relations.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) relations.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: relations.length > 0 ? { link: relations.join(', ') } : {},
  };
}
