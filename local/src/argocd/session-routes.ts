import { ADMIN_USERNAME, ARGOCD_ISSUER, isAuthenticated } from './argocd-tokens.ts';
import type { RouteHandler, RouteTable } from './route-context.ts';

/** The Argo CD release whose swagger.json the fake serves (source hydrator, OCI, tag prefixes). */
export const FAKE_ARGOCD_VERSION = 'v3.2.0+fake';

/**
 * `GET /api/v1/session/userinfo` never fails: Argo CD authenticates it but ignores the outcome. A caller
 * without a session gets an empty message, and Go's encoder leaves out `loggedIn: false` (a proto3
 * field with `omitempty`), so the body is `{}`: read a missing `loggedIn` as false.
 */
const getUserInfo: RouteHandler = ({ caller }) => ({
  status: 200,
  body: isAuthenticated(caller)
    ? {
        loggedIn: true,
        username: caller.kind === 'user' ? caller.token.subject : ADMIN_USERNAME,
        iss: ARGOCD_ISSUER,
      }
    : {},
});

/** `GET /api/version`: the version alone without a session, the build details with one. */
const getVersion: RouteHandler = ({ caller }) => ({
  status: 200,
  body: isAuthenticated(caller)
    ? {
        Version: FAKE_ARGOCD_VERSION,
        BuildDate: '2025-01-01T00:00:00Z',
        GitCommit: '0000000000000000000000000000000000000000',
        GitTreeState: 'clean',
        GoVersion: 'go1.24.6',
        Compiler: 'gc',
        Platform: 'linux/amd64',
        KustomizeVersion: 'v5.7.0 2025-06-28T07:00:07Z',
        HelmVersion: 'v3.18.4+gd80839c',
        KubectlVersion: 'v0.33.1',
        JsonnetVersion: 'v0.21.0',
      }
    : { Version: FAKE_ARGOCD_VERSION },
});

/** The operations that answer without a session (their services override Argo CD's auth check). */
export const SESSIONLESS_OPERATIONS: ReadonlySet<string> = new Set([
  'SessionService_GetUserInfo',
  'VersionService_Version',
]);

/** SessionService and VersionService operations the fake implements. */
export const sessionRoutes: RouteTable = {
  SessionService_GetUserInfo: getUserInfo,
  VersionService_Version: getVersion,
};
