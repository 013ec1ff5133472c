import { ArgoCdApiError, GrpcCode } from './argocd-api-error.ts';
import type { Caller } from './argocd-tokens.ts';

/** The Application actions the fake checks: Get and List (`get`), Patch (`update`), Sync (`sync`). */
export type ArgoCdAction = 'get' | 'update' | 'sync';

/**
 * One `p, <role>, applications, <action>, <object>, allow` line of a role's policy (argocd-rbac-cm or an
 * AppProject role): `action` may be `*`, `object` is `<project>/<app>` (or `<project>/<namespace>/<app>`
 * for an app outside Argo CD's namespace) and may hold `*` globs, as casbin's globMatch reads them.
 */
export interface ArgoCdPolicy {
  readonly action: ArgoCdAction | '*';
  readonly object: string;
}

/**
 * A token limited by policies, as a project role's token (`sub: proj:<project>:<role>`) or a local
 * account's is. Argo CD names `sub` and the token's issue time in every denial.
 */
export interface FakeArgoCdToken {
  readonly token: string;
  readonly subject: string;
  readonly policies: readonly ArgoCdPolicy[];
  /** When the token was issued. Default: when the server started. */
  readonly issuedAt?: Date;
}

/**
 * The object an RBAC policy names for an Application: `<project>/<name>`, with the namespace between them
 * when the app lives outside Argo CD's own (security.RBACName in util/security/rbac.go).
 */
export function rbacName(serverNamespace: string, project: string, namespace: string, name: string): string {
  return namespace !== '' && namespace !== serverNamespace
    ? `${project}/${namespace}/${name}`
    : `${project}/${name}`;
}

/** Whether the caller's policies allow `action` on `object`; admin may do anything. */
export function isAllowed(caller: Caller, action: ArgoCdAction, object: string): boolean {
  if (caller.kind === 'admin') return true;
  if (caller.kind !== 'user') return false;
  return caller.token.policies.some(
    (policy) => (policy.action === '*' || policy.action === action) && globMatches(policy.object, object),
  );
}

/**
 * util/rbac's `EnforceErr`: PermissionDenied naming the resource, action and object, then the token's
 * `sub` and issue time (RFC 3339), as Argo CD writes them for a JWT's claims.
 */
export function enforce(caller: Caller, action: ArgoCdAction, object: string): void {
  if (isAllowed(caller, action, object)) return;
  const who =
    caller.kind === 'user' ? [`sub: ${caller.token.subject}`, `iat: ${rfc3339(caller.issuedAt)}`] : [];
  throw new ArgoCdApiError(
    GrpcCode.PermissionDenied,
    ['permission denied: applications', action, object, ...who].join(', '),
  );
}

/** A glob of the kind Argo CD's settings take (`*` matches anything, `/` included). */
export function globMatches(glob: string, value: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}

// Go's time.RFC3339: seconds, no fraction.
function rfc3339(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
