/**
 * The main job: an ECR push reaches the apps that follow the repository. One registry query, one
 * read of the repository's tags shared by every app, then per app (concurrently, bounded): select
 * each image's tag, compare with what the target holds, write back when it differs. One app's
 * failure never stops the others; each outcome says whether a retry could help.
 */
import { parseEcrEvent } from '../domain/ecr-event.ts';
import { isRetryable } from '../domain/errors.ts';
import type { ImageTarget } from '../domain/image-update.ts';
import { parseRegistration, type Registration, watchKey } from '../domain/registration.ts';
import { selectTag } from '../domain/select-tag.ts';
import type { TagCandidate } from '../domain/tag-candidate.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, type ImageDecisionRecord, type PushOutcome, summarizeApp } from './outcomes.ts';
import type {
  AppRegistry,
  Clock,
  GitHubConnector,
  ImageCatalog,
  Logger,
  RepositoryRef,
  StoredApp,
} from './ports.ts';
import { type TargetChooser, writeArgoCdSource } from './write-argocd-source.ts';

export interface ImagePushDependencies {
  readonly registry: AppRegistry;
  readonly images: ImageCatalog;
  readonly github: GitHubConnector;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Apps processed at once (default 8). */
  readonly concurrency?: number;
  /** Attempts at a write that keeps losing races (default 5). */
  readonly maxWriteAttempts?: number;
}

export async function handleImagePush(deps: ImagePushDependencies, event: unknown): Promise<PushOutcome> {
  const push = parseEcrEvent(event);
  if (push.kind === 'ignored') {
    deps.logger.info('event ignored', { eventId: push.id, reason: push.reason });
    return push;
  }
  const key = watchKey({ accountId: push.accountId, region: push.region }, push.repository);
  const stored = await deps.registry.watchersOf(key);
  if (stored.length === 0) {
    deps.logger.info('no app follows the repository', { eventId: push.id, repository: key, tag: push.tag });
    return { kind: 'handled', push, apps: [], tagsRead: 0 };
  }
  const repository: RepositoryRef = {
    accountId: push.accountId,
    region: push.region,
    repository: push.repository,
  };
  const tags = new TagSource(deps.images, repository);
  const first = await tags.list(1);
  const apps = await mapWithConcurrency(stored, deps.concurrency ?? 8, (app) =>
    evaluateApp(deps, app, key, tags),
  );
  for (const outcome of apps) {
    const fields = {
      eventId: push.id,
      repository: key,
      tag: push.tag,
      app: outcome.app,
      outcome: outcome.kind,
    };
    if (outcome.kind === 'failed')
      deps.logger.error(summarizeApp(outcome), { ...fields, retryable: outcome.retryable });
    else deps.logger.info(summarizeApp(outcome), fields);
  }
  return { kind: 'handled', push, apps, tagsRead: first.length };
}

async function evaluateApp(
  deps: ImagePushDependencies,
  stored: StoredApp,
  key: string,
  tags: TagSource,
): Promise<AppOutcome> {
  try {
    const app = parseRegistration(stored.document);
    if (stored.paused)
      return { app: app.name, kind: 'skipped', reason: 'paused; apps resume follows the repository again' };
    const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
    const choose: TargetChooser = (attempt) => chooseTargets(images, tags, attempt);
    const firstChoice = await choose(1);
    if (firstChoice.targets.length === 0)
      return { app: app.name, kind: 'unchanged', images: firstChoice.none };
    return await writeBack(deps, app, (attempt) =>
      attempt === 1 ? Promise.resolve(firstChoice) : choose(attempt),
    );
  } catch (error) {
    return {
      app: stored.name,
      kind: 'failed',
      error: error instanceof Error ? error.message : String(error),
      retryable: isRetryable(error),
    };
  }
}

async function writeBack(
  deps: ImagePushDependencies,
  app: Registration,
  choose: TargetChooser,
): Promise<AppOutcome> {
  const writeBack = app.writeBack;
  if (
    writeBack.method !== 'git' ||
    writeBack.target.kind !== 'argocd-source' ||
    writeBack.pullRequest ||
    writeBack.writeBranch
  ) {
    return {
      app: app.name,
      kind: 'failed',
      error: 'this write-back is not supported yet: use method git with target argocd-source',
      retryable: false,
    };
  }
  const repository = await deps.github.connect({
    ...(writeBack.apiUrl ? { apiUrl: writeBack.apiUrl } : {}),
    ...(writeBack.credentialsSecret ? { credentialsSecret: writeBack.credentialsSecret } : {}),
  });
  return writeArgoCdSource(app, writeBack, choose, {
    repository,
    clock: deps.clock,
    random: deps.random,
    maxAttempts: deps.maxWriteAttempts ?? 5,
  });
}

async function chooseTargets(images: Registration['images'], tags: TagSource, attempt: number) {
  const targets: ImageTarget[] = [];
  const none: ImageDecisionRecord[] = [];
  for (const image of images) {
    const selection = selectTag(image.policy, await tags.list(attempt, image.policy.needs));
    const name = image.alias ?? image.imageName;
    if (selection.kind === 'none') none.push({ image: name, kind: 'none', reason: selection.reason });
    else
      targets.push({
        image,
        tag: selection.candidate.tag,
        ...(selection.candidate.digest ? { digest: selection.candidate.digest } : {}),
      });
  }
  return { targets, none };
}

/**
 * The repository's tags, read once per attempt and shared by every app; manifest details (platforms,
 * build times) are read only when some policy needs them, once.
 */
class TagSource {
  private readonly lists = new Map<number, Promise<TagCandidate[]>>();
  private readonly detailed = new Map<string, Promise<TagCandidate[]>>();

  constructor(
    private readonly catalog: ImageCatalog,
    private readonly repository: RepositoryRef,
  ) {}

  list(attempt: number, needs = { platforms: false, createdAt: false }): Promise<TagCandidate[]> {
    let list = this.lists.get(attempt);
    if (!list) {
      list = this.catalog.listTags(this.repository);
      this.lists.set(attempt, list);
    }
    if (!needs.platforms && !needs.createdAt) return list;
    const key = `${attempt}:${needs.platforms}:${needs.createdAt}`;
    let detailed = this.detailed.get(key);
    if (!detailed) {
      detailed = list.then((candidates) => this.catalog.addDetails(this.repository, candidates, needs));
      this.detailed.set(key, detailed);
    }
    return detailed;
  }
}
