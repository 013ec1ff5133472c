/**
 * Brings the apps that follow one repository to the tags their strategies allow, from the
 * repository's tags as they are now: on a push, and on a reconcile. One read of the tags shared by
 * every app; per app: select, compare with what the target holds, write when it differs. Git writes
 * of apps sharing a repository and branch become one commit. One app's failure never stops the others.
 * Calls that fail for a moment are retried with backoff; each app's decision is logged and recorded.
 */

import { parseRegistration, watchKey } from '../domain/registration/registration.ts';
import type { VerdictSummary } from '../domain/tags/verdict-summary.ts';
import { targetEditor } from '../domain/targets/git-target-editor.ts';
import { TagSource, type TargetChooser, targetChooser } from './choose-targets.ts';
import { type DecisionRecord, decisionRecord, type Trigger } from './decision-record.ts';
import type { GitPlan } from './git-plan.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, outcomeOfError, summarizeApp } from './outcomes.ts';
import type {
  AppRegistry,
  ArgoCdConnector,
  AuditLog,
  Clock,
  GitHubConnector,
  ImageCatalog,
  Logger,
  RepositoryRef,
  StoredApp,
} from './ports.ts';
import { retryTransient, type TransientRetryContext, withTransientRetries } from './retry-transient.ts';
import { writeArgoCdApplication } from './write-argocd-application.ts';
import { writeGitPlans } from './write-git-plans.ts';

export interface UpdateDependencies {
  readonly registry: AppRegistry;
  readonly images: ImageCatalog;
  readonly github: GitHubConnector;
  readonly argocd: ArgoCdConnector;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Apps (or groups of apps sharing a commit) processed at once (default 8). */
  readonly concurrency?: number;
  /** Attempts at a write that keeps losing races (default 5). */
  readonly maxWriteAttempts?: number;
  /** Retries of calls that fail for a moment (throttling, 5xx, dropped connections). */
  readonly transientRetries?: Omit<TransientRetryContext, 'clock' | 'random'>;
}

export interface UpdateRequest {
  readonly repository: RepositoryRef;
  readonly apps: readonly StoredApp[];
  readonly trigger: Trigger;
  readonly receivedAt: number;
}

export interface UpdateResult {
  readonly apps: readonly AppOutcome[];
  readonly decisions: readonly DecisionRecord[];
  /** How many tags the repository has; missing when they could not be read (each app then failed). */
  readonly tagsRead?: number;
}

/** What evaluating an app gives: its outcome already, or a git write to make with others. */
type Evaluated = { readonly outcome: AppOutcome } | { readonly git: GitPlan };

export async function updateApps(deps: UpdateDependencies, request: UpdateRequest): Promise<UpdateResult> {
  const ports = resilient(deps);
  const key = watchKey(request.repository, request.repository.repository);
  const tags = new TagSource(ports.images, request.repository);
  // A repository that cannot be read (gone, another account, denied) fails each of its apps, in each
  // app's own outcome, as any other failure of that app would: the list is shared, so is its failure.
  const tagsRead = await tags.list(1).then(
    (list) => list.length,
    () => undefined,
  );
  const concurrency = deps.concurrency ?? 8;
  const explained = new Map<string, Map<string, VerdictSummary>>();
  const evaluated = await mapWithConcurrency(request.apps, concurrency, (app) =>
    evaluateApp(deps, ports, app, key, tags, explained),
  );
  const settled = evaluated.flatMap((e) => ('outcome' in e ? [e.outcome] : []));
  const git = evaluated.flatMap((e) => ('git' in e ? [e.git] : []));
  const written = await writeGitPlans(git, {
    github: ports.github,
    clock: deps.clock,
    random: deps.random,
    maxAttempts: deps.maxWriteAttempts ?? 5,
    concurrency,
  });
  const finishedAt = deps.clock.now();
  const byName = new Map([...settled, ...written].map((outcome) => [outcome.app, outcome]));
  const apps = request.apps.map((app) => byName.get(app.name)!);
  const decisions = apps.map((outcome) => {
    const summary = summarizeApp(outcome);
    log(deps.logger, outcome, summary, key, request.trigger);
    return decisionRecord(outcome, {
      repository: key,
      trigger: request.trigger,
      summary,
      candidates: explained.get(outcome.app) ?? new Map(),
      receivedAt: request.receivedAt,
      finishedAt,
    });
  });
  return { apps, decisions, ...(tagsRead === undefined ? {} : { tagsRead }) };
}

function log(logger: Logger, outcome: AppOutcome, summary: string, repository: string, trigger: Trigger) {
  const fields = {
    ...(trigger.kind === 'push'
      ? { eventId: trigger.eventId, tag: trigger.tag }
      : { trigger: 'reconcile', reconcileId: trigger.id }),
    repository,
    app: outcome.app,
    outcome: outcome.kind,
  };
  if (outcome.kind === 'failed')
    logger.error(summary, { ...fields, reason: outcome.reason, retryable: outcome.retryable });
  else logger.info(summary, fields);
}

// The ports with transient failures retried: GitHub and Argo CD calls. The AWS calls among them (ECR
// reads, the Secrets Manager reads of connect) fail already retried by the SDK and go straight up.
function resilient(deps: UpdateDependencies) {
  const context = { ...deps.transientRetries, clock: deps.clock, random: deps.random };
  return {
    images: withTransientRetries(deps.images, context),
    github: {
      connect: async (target: Parameters<GitHubConnector['connect']>[0]) =>
        withTransientRetries(await retryTransient(context, () => deps.github.connect(target)), context),
    } satisfies GitHubConnector,
    argocd: {
      connect: async (target: Parameters<ArgoCdConnector['connect']>[0]) =>
        withTransientRetries(await retryTransient(context, () => deps.argocd.connect(target)), context),
    } satisfies ArgoCdConnector,
  };
}

async function evaluateApp(
  deps: UpdateDependencies,
  ports: ReturnType<typeof resilient>,
  stored: StoredApp,
  key: string,
  tags: TagSource,
  explained: Map<string, Map<string, VerdictSummary>>,
): Promise<Evaluated> {
  try {
    const app = parseRegistration(stored.document);
    if (stored.paused)
      return {
        outcome: {
          app: app.name,
          kind: 'skipped',
          code: 'paused',
          reason: 'paused; apps resume follows the repository again',
        },
      };
    const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
    const choose = remembering(targetChooser(images, tags), app.name, explained);
    const first = await choose(1);
    if (first.targets.length === 0)
      return { outcome: { app: app.name, kind: 'unchanged', images: first.none } };
    const writeBack = app.writeBack;
    if (writeBack.method === 'git')
      return {
        git: {
          app,
          git: writeBack,
          editor: targetEditor(app.name, writeBack),
          choose,
          requireConsent: false, // wired to the connection's requireConsent in the connections change
        },
      };
    const api = await ports.argocd.connect({
      ...(writeBack.server ? { server: writeBack.server } : {}),
      ...(writeBack.tokenSecret ? { tokenSecret: writeBack.tokenSecret } : {}),
      ...(writeBack.caBundleSecret ? { caBundleSecret: writeBack.caBundleSecret } : {}),
      insecure: writeBack.insecure,
    });
    const context = { clock: deps.clock, random: deps.random, maxAttempts: deps.maxWriteAttempts ?? 5 };
    return { outcome: await writeArgoCdApplication(app, writeBack, choose, api, context) };
  } catch (error) {
    return { outcome: outcomeOfError(stored.name, error) };
  }
}

// Keeps the explanation of the latest attempt: the one whose answer was written (or not).
function remembering(
  choose: TargetChooser,
  app: string,
  explained: Map<string, Map<string, VerdictSummary>>,
): TargetChooser {
  return async (attempt) => {
    const choice = await choose(attempt);
    explained.set(app, new Map(choice.explained));
    return choice;
  };
}
