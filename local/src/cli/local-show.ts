/**
 * `local show`: what local mode's Argo CD and GitHub hold, read over their APIs with the tokens
 * `local up` exports, as a person would check a real cluster and repository: each Application's images
 * (its Helm parameters and Kustomize images) and each repository's open pull requests.
 */
import { readdir } from 'node:fs/promises';
import { type CliIo, EXIT } from 'ecr-image-updater/cli/io';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { noLocalPeersError } from './no-local-peers.ts';

/** An Application as `local show --json` prints it. */
interface ShownApplication {
  readonly namespace: string;
  readonly name: string;
  readonly sources: ReadonlyArray<{
    readonly repoURL?: string;
    readonly path?: string;
    readonly helmParameters: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
    readonly kustomizeImages: readonly string[];
  }>;
}

/** An open pull request as `local show --json` prints it. */
interface ShownPullRequest {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly head: string;
  readonly base: string;
  readonly url: string;
}

type Json = Record<string, unknown>;

export async function localShow(io: CliIo, json: boolean): Promise<number> {
  const env = requireLocalEnvironment(io);
  const applications = await showApplications(env.argocdServer, env.argocdToken);
  const repositories = await hostedRepositories(env.gitopsDir);
  const pulls = (
    await Promise.all(repositories.map((repo) => openPullRequests(env.githubApiUrl, env.githubToken, repo)))
  ).flat();
  if (json) {
    io.stdout(`${JSON.stringify({ applications, pullRequests: pulls })}\n`);
    return EXIT.ok;
  }
  const lines = [`Argo CD ${env.argocdServer}`];
  if (applications.length === 0) lines.push('  no Applications');
  for (const app of applications) {
    lines.push(`  Application ${app.namespace}/${app.name}`);
    for (const source of app.sources) {
      const images = [
        ...source.helmParameters.map((p) => `helm parameter ${p.name}=${p.value ?? ''}`),
        ...source.kustomizeImages.map((image) => `kustomize image ${image}`),
      ];
      lines.push(`    source ${source.repoURL ?? '(none)'} ${source.path ?? ''}`.trimEnd());
      lines.push(
        ...(images.length > 0 ? images : ['no Helm parameters or Kustomize images yet']).map(
          (l) => `      ${l}`,
        ),
      );
    }
  }
  lines.push(`GitHub ${env.githubApiUrl}`);
  for (const repo of repositories) {
    const open = pulls.filter((pull) => pull.repository === repo);
    lines.push(
      `  ${repo}: ${open.length === 0 ? 'no open pull requests' : `${open.length} open pull request${open.length > 1 ? 's' : ''}`}`,
    );
    for (const pull of open) lines.push(`    #${pull.number} ${pull.title} (${pull.head} -> ${pull.base})`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function requireLocalEnvironment(io: CliIo) {
  const env = {
    argocdServer: io.env[ENVIRONMENT.localArgocdServer],
    argocdToken: io.env[ENVIRONMENT.localArgocdToken],
    githubApiUrl: io.env[ENVIRONMENT.localGithubApiUrl],
    githubToken: io.env[ENVIRONMENT.localGithubToken],
    gitopsDir: io.env[ENVIRONMENT.gitopsDir],
  };
  const missing = Object.entries(env).filter(([, value]) => !value);
  if (missing.length > 0) throw noLocalPeersError();
  return env as { [K in keyof typeof env]: string };
}

async function showApplications(server: string, token: string): Promise<ShownApplication[]> {
  const list = await getJson('Argo CD', `${server}/api/v1/applications`, `Bearer ${token}`);
  const items = Array.isArray(list.items) ? (list.items as Json[]) : [];
  return items.map((app) => {
    const metadata = (app.metadata ?? {}) as Json;
    const spec = (app.spec ?? {}) as Json;
    const sources = (spec.source ? [spec.source] : Array.isArray(spec.sources) ? spec.sources : []) as Json[];
    return {
      namespace: String(metadata.namespace ?? ''),
      name: String(metadata.name ?? ''),
      sources: sources.map((source) => {
        const helm = (source.helm ?? {}) as Json;
        const kustomize = (source.kustomize ?? {}) as Json;
        return {
          ...(typeof source.repoURL === 'string' ? { repoURL: source.repoURL } : {}),
          ...(typeof source.path === 'string' ? { path: source.path } : {}),
          helmParameters: (Array.isArray(helm.parameters) ? (helm.parameters as Json[]) : []).map((p) => ({
            name: String(p.name),
            ...(typeof p.value === 'string' ? { value: p.value } : {}),
          })),
          kustomizeImages: Array.isArray(kustomize.images) ? kustomize.images.map(String) : [],
        };
      }),
    };
  });
}

/** `owner/name` of every repository in the fake GitHub's folder (`<dir>/<owner>/<name>.git`), sorted. */
async function hostedRepositories(dir: string): Promise<string[]> {
  const owners = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = await Promise.all(
    owners
      .filter((owner) => owner.isDirectory())
      .map(async (owner) =>
        (await readdir(`${dir}/${owner.name}`))
          .filter((entry) => entry.endsWith('.git'))
          .map((entry) => `${owner.name}/${entry.slice(0, -'.git'.length)}`),
      ),
  );
  return names.flat().sort();
}

async function openPullRequests(api: string, token: string, repository: string): Promise<ShownPullRequest[]> {
  const pulls = (await getJson(
    'GitHub',
    `${api}/repos/${repository}/pulls?state=open&per_page=100`,
    `token ${token}`,
  )) as unknown as Json[];
  return pulls.map((pull) => ({
    repository,
    number: Number(pull.number),
    title: String(pull.title),
    head: String((pull.head as Json).ref),
    base: String((pull.base as Json).ref),
    url: String(pull.html_url),
  }));
}

async function getJson(peer: string, url: string, authorization: string): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization, accept: 'application/json', 'user-agent': 'ecr-image-updater-local-show' },
    });
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const why = cause?.code ?? cause?.message ?? String(error);
    throw new Error(`cannot reach the local ${peer} at ${url} (${why}); is local up still running?`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok)
    throw new Error(`the local ${peer} answered ${response.status} to GET ${url}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as Json;
}
