import type { GitIdentity } from './git-store.ts';

/** The identity GitHub gives a user's own commits: their login and no-reply address. */
export function userIdentity(login: string, date: Date): GitIdentity {
  return { name: login, email: `${login}@users.noreply.localhost`, date };
}

/**
 * An `author`/`committer` object of a request body (`{ name, email, date? }`), or `fallback` when the
 * request has none. A `date` that does not parse falls back to the fallback's date.
 */
export function identityFrom(value: unknown, fallback: GitIdentity): GitIdentity {
  if (value === null || typeof value !== 'object') return fallback;
  const person = value as { name?: unknown; email?: unknown; date?: unknown };
  const date = typeof person.date === 'string' ? new Date(person.date) : fallback.date;
  return {
    name: typeof person.name === 'string' ? person.name : fallback.name,
    email: typeof person.email === 'string' ? person.email : fallback.email,
    date: Number.isNaN(date.getTime()) ? fallback.date : date,
  };
}
