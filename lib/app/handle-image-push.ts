/**
 * The main job: an ECR push reaches the apps that follow the repository. One registry query, one read
 * of the repository's tags shared by every app, then per app: select each image's tag, compare with
 * what the target holds, write back when it differs. Git writes of apps that share a repository and
 * branch become one commit. One app's failure never stops the others; each outcome says whether a
 * retry could help.
 */
import { parseEcrEvent } from '../domain/ecr-event.ts';
import { failureReason, isRetryable } from '../domain/errors.ts';
import { targetEditor } from '../domain/git-target-editor.ts';
import { parseRegistration, watchKey } from '../domain/registration.ts';
import { TagSource, targetChooser } from './choose-targets.ts';
import type { GitPlan } from './git-plan.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, type PushOutcome, summarizeApp } from './outcomes.ts';
import type {
  AppRegistry,
  ArgoCdConnector,
  Clock,
  GitHubConnector,
  ImageCatalog,
  Logger,
  StoredApp,
} from './ports.ts';
import { writeArgoCdApplication } from './write-argocd-application.ts';
import { writeGitPlans } from './write-git-plans.ts';

export interface ImagePushDependencies {
  readonly registry: AppRegistry;
  readonly images: ImageCatalog;
  readonly github: GitHubConnector;
  readonly argocd: ArgoCdConnector;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Apps (or groups of apps sharing a commit) processed at once (default 8). */
  readonly concurrency?: number;
  /** Attempts at a write that keeps losing races (default 5). */
  readonly maxWriteAttempts?: number;
}

/** What evaluating an app gives: its outcome already, or a git write to make with others. */
type Evaluated = { readonly outcome: AppOutcome } | { readonly git: GitPlan };

export async function handleImagePush(deps: ImagePushDependencies, event: unknown): Promise<PushOutcome> {
  const push = parseEcrEvent(event);
  if (push.kind === 'ignored') {
    deps.logger.info('event ignored', { eventId: push.id, code: push.code, reason: push.reason });
    return push;
  }
  const key = watchKey({ accountId: push.accountId, region: push.region }, push.repository);
  const stored = await deps.registry.watchersOf(key);
  if (stored.length === 0) {
    deps.logger.info('no app follows the repository', { eventId: push.id, repository: key, tag: push.tag });
    return { kind: 'handled', push, apps: [], tagsRead: 0 };
  }
  const tags = new TagSource(deps.images, {
    accountId: push.accountId,
    region: push.region,
    repository: push.repository,
  });
  const tagsRead = (await tags.list(1)).length;
  const concurrency = deps.concurrency ?? 8;
  const evaluated = await mapWithConcurrency(stored, concurrency, (app) => evaluateApp(deps, app, key, tags));
  const settled = evaluated.flatMap((e) => ('outcome' in e ? [e.outcome] : []));
  const git = evaluated.flatMap((e) => ('git' in e ? [e.git] : []));
  const written = await writeGitPlans(git, {
    github: deps.github,
    clock: deps.clock,
    random: deps.random,
    maxAttempts: deps.maxWriteAttempts ?? 5,
    concurrency,
  });
  const byName = new Map([...settled, ...written].map((outcome) => [outcome.app, outcome]));
  const apps = stored.map((app) => byName.get(app.name)!);
  for (const outcome of apps) {
    const fields = {
      eventId: push.id,
      repository: key,
      tag: push.tag,
      app: outcome.app,
      outcome: outcome.kind,
    };
    if (outcome.kind === 'failed')
      deps.logger.error(summarizeApp(outcome), {
        ...fields,
        reason: outcome.reason,
        retryable: outcome.retryable,
      });
    else deps.logger.info(summarizeApp(outcome), fields);
  }
  return { kind: 'handled', push, apps, tagsRead };
}

async function evaluateApp(
  deps: ImagePushDependencies,
  stored: StoredApp,
  key: string,
  tags: TagSource,
): Promise<Evaluated> {
  try {
    const app = parseRegistration(stored.document);
    if (stored.paused)
      return {
        outcome: {
          app: app.name,
          kind: 'skipped',
          reason: 'paused; apps resume follows the repository again',
        },
      };
    const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
    const choose = targetChooser(images, tags);
    const first = await choose(1);
    if (first.targets.length === 0)
      return { outcome: { app: app.name, kind: 'unchanged', images: first.none } };
    const writeBack = app.writeBack;
    if (writeBack.method === 'git')
      return { git: { app, git: writeBack, editor: targetEditor(app.name, writeBack), choose } };
    const api = await deps.argocd.connect({
      ...(writeBack.server ? { server: writeBack.server } : {}),
      ...(writeBack.tokenSecret ? { tokenSecret: writeBack.tokenSecret } : {}),
      ...(writeBack.caBundleSecret ? { caBundleSecret: writeBack.caBundleSecret } : {}),
      insecure: writeBack.insecure,
    });
    const context = { clock: deps.clock, random: deps.random, maxAttempts: deps.maxWriteAttempts ?? 5 };
    return { outcome: await writeArgoCdApplication(app, writeBack, choose, api, context) };
  } catch (error) {
    return {
      outcome: {
        app: stored.name,
        kind: 'failed',
        error: error instanceof Error ? error.message : String(error),
        reason: failureReason(error),
        retryable: isRetryable(error),
      },
    };
  }
}
