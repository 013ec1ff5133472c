import { isoSeconds } from './commit-shapes.ts';
import { GitHubApiError } from './github-api-error.ts';
import { stableId } from './hosted-repository.ts';
import { renderUser } from './repository-shapes.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/** GitHub App installations and the rate limit: what a client asks before it starts writing. */
export const appRoutes: RouteTable = {
  'apps/get-repo-installation': getRepoInstallation,
  'apps/create-installation-access-token': createInstallationToken,
  'rate-limit/get': getRateLimit,
};

const APP_SLUG = 'fake-image-updater';
const PERMISSIONS = { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' };

async function getRepoInstallation(context: RouteContext): Promise<RouteResult> {
  const repository = await context.repository();
  const id = stableId(`installation:${repository.owner}`);
  const at = isoSeconds(new Date(repository.createdAt));
  return {
    status: 200,
    body: {
      id,
      account: renderUser(repository.owner, context.urls),
      repository_selection: 'all',
      access_tokens_url: context.urls.api(`/app/installations/${id}/access_tokens`),
      repositories_url: context.urls.api('/installation/repositories'),
      html_url: context.urls.html(`/settings/installations/${id}`),
      app_id: stableId(`app:${APP_SLUG}`),
      app_slug: APP_SLUG,
      target_id: stableId(`user:${repository.owner}`),
      target_type: 'User',
      permissions: PERMISSIONS,
      events: [],
      created_at: at,
      updated_at: at,
      single_file_name: null,
      suspended_by: null,
      suspended_at: null,
    },
  };
}

async function createInstallationToken(context: RouteContext): Promise<RouteResult> {
  if (!Number.isInteger(Number(context.params.installation_id))) throw GitHubApiError.notFound();
  const { token, expiresAt } = context.tokens.mint();
  return {
    status: 201,
    body: { token, expires_at: isoSeconds(expiresAt), permissions: PERMISSIONS, repository_selection: 'all' },
  };
}

async function getRateLimit(context: RouteContext): Promise<RouteResult> {
  const { limit, used, reset } = context.rateLimit;
  const core = { limit, used, remaining: Math.max(limit - used, 0), reset };
  const idle = (size: number) => ({ limit: size, used: 0, remaining: size, reset });
  return {
    status: 200,
    body: {
      resources: { core, search: idle(30), graphql: idle(5000), integration_manifest: idle(5000) },
      rate: core,
    },
  };
}
