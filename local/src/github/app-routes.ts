import { isoSeconds } from './commit-shapes.ts';
import { GitHubApiError } from './github-api-error.ts';
import type { AppInstallation, RegisteredApp } from './github-apps.ts';
import { stableId } from './hosted-repository.ts';
import type { RateLimitResource } from './rate-limiter.ts';
import { renderUser } from './repository-shapes.ts';
import type { RouteContext, RouteResult, RouteTable } from './route-context.ts';

/**
 * GitHub App installations and the rate limit: what a client asks before it starts writing. The
 * installation routes answer the app whose JWT signed the request, and only about its own
 * installations: anything else is GitHub's 404.
 */
export const appRoutes: RouteTable = {
  'apps/get-repo-installation': getRepoInstallation,
  'apps/create-installation-access-token': createInstallationToken,
  'rate-limit/get': getRateLimit,
};

const PERMISSIONS = { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' };

async function getRepoInstallation(context: RouteContext): Promise<RouteResult> {
  const app = callingApp(context);
  const repository = await context.repository();
  const installation = context.apps.installationOn(app, repository.owner, repository.name);
  if (!installation) throw GitHubApiError.notFound();
  const id = installation.id;
  const at = isoSeconds(new Date(repository.createdAt));
  return {
    status: 200,
    body: {
      id,
      account: renderUser(installation.account, context.urls),
      repository_selection: selection(installation),
      access_tokens_url: context.urls.api(`/app/installations/${id}/access_tokens`),
      repositories_url: context.urls.api('/installation/repositories'),
      html_url: context.urls.html(`/settings/installations/${id}`),
      app_id: app.appId,
      app_slug: app.slug,
      target_id: stableId(`user:${installation.account}`),
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
  const app = callingApp(context);
  const installation = context.apps.installation(app, Number(context.params.installation_id));
  if (!installation) throw GitHubApiError.notFound();
  const { token, expiresAt } = context.tokens.mint(installation);
  return {
    status: 201,
    body: {
      token,
      expires_at: isoSeconds(expiresAt),
      permissions: PERMISSIONS,
      repository_selection: selection(installation),
    },
  };
}

function callingApp(context: RouteContext): RegisteredApp {
  // Authentication lets only a valid app JWT through to these routes.
  if (!context.app) throw new GitHubApiError(401, 'A JSON web token could not be decoded');
  return context.app;
}

function selection(installation: AppInstallation): 'all' | 'selected' {
  return installation.repositories === 'all' ? 'all' : 'selected';
}

async function getRateLimit(context: RouteContext): Promise<RouteResult> {
  const budget = (resource: RateLimitResource) => {
    const { limit, used, remaining, reset } = context.rateLimit(resource);
    return { limit, used, remaining, reset };
  };
  const core = budget('core');
  // The fake serves no search and no app manifests: their budgets stand untouched, at GitHub's sizes
  // (RATE_LIMITS_DOC; the `rate-limit-overview` example of the OpenAPI description).
  const idle = (size: number) => ({ limit: size, used: 0, remaining: size, reset: core.reset });
  return {
    status: 200,
    body: {
      resources: { core, search: idle(30), graphql: budget('graphql'), integration_manifest: idle(5000) },
      rate: core,
    },
  };
}
