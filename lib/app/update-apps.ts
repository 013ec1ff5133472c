/**
 * Brings the apps that follow one repository to the tags their strategies allow, from the
 * repository's tags as they are now: on a push, and on a reconcile. One read of the tags shared by
 * every app; per app: select, compare with what the target holds, write when it differs. Git writes
 * of apps sharing a repository and branch become one commit, made now or, with a write queue, by the
 * queue's writer (write-queued-apps.ts); with a write queue, Argo CD writes are the writer's too, one
 * group per Application, so that two never patch one Application at once. One app's failure never
 * stops the others.
 * Calls that fail for a moment are retried with backoff; each app's decision is logged and recorded.
 */

import { watchKey } from '../domain/registration/registration.ts';
import { TagSource } from './choose-targets.ts';
import { type DecisionRecord, decisionRecord, type Trigger } from './decision-record.ts';
import { type ArgoCdPlan, type Explanations, evaluateApp } from './evaluate-app.ts';
import type { GitPlan } from './git-plan.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, outcomeOfError, summarizeApp } from './outcomes.ts';
import type { Logger, RepositoryRef, StoredApp } from './ports.ts';
import { queuedWriteMessage, writeGroupOf } from './queued-write.ts';
import { resilient, type UpdateDependencies } from './update-dependencies.ts';
import { writeGitPlans } from './write-git-plans.ts';

export type { UpdateDependencies };

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
  const explained: Explanations = new Map();
  const sources = new Map([[key, tags]]);
  const evaluated = await mapWithConcurrency(request.apps, concurrency, (app) =>
    evaluateApp(deps, ports, app, sources, explained),
  );
  const settled = evaluated.flatMap((e) => ('outcome' in e ? [e.outcome] : []));
  const git = evaluated.flatMap((e) => ('git' in e ? [e.git] : []));
  const argocd = evaluated.flatMap((e) => ('argocd' in e ? [e.argocd] : []));
  const written = deps.writeQueue
    ? await queuePlans(deps, [...git.map((plan) => ({ ...plan, group: writeGroupOf(plan) })), ...argocd], {
        key,
        trigger: request.trigger,
      })
    : [
        ...(await writeGitPlans(git, {
          github: ports.github,
          gitRemote: ports.gitRemote,
          clock: deps.clock,
          random: deps.random,
          maxAttempts: deps.maxWriteAttempts ?? 5,
          concurrency,
        })),
        ...(await writeArgoCdPlans(argocd, concurrency)),
      ];
  const byName = new Map([...settled, ...written].map((outcome) => [outcome.app, outcome]));
  const apps = request.apps.map((app) => byName.get(app.name)!);
  const decisions = recordDecisions(deps, apps, {
    repository: key,
    trigger: request.trigger,
    explained,
    receivedAt: request.receivedAt,
  });
  return { apps, decisions, ...(tagsRead === undefined ? {} : { tagsRead }) };
}

/** Each app's decision, logged and made a record of the history. */
export function recordDecisions(
  deps: Pick<UpdateDependencies, 'clock' | 'logger'>,
  apps: readonly AppOutcome[],
  context: {
    readonly repository: string;
    readonly trigger: Trigger;
    readonly explained: Explanations;
    readonly receivedAt: number;
    readonly queuedMs?: ReadonlyMap<string, number>;
  },
): DecisionRecord[] {
  const finishedAt = deps.clock.now();
  return apps.map((outcome) => {
    const summary = summarizeApp(outcome);
    log(deps.logger, outcome, summary, context.repository, context.trigger);
    const queuedMs = context.queuedMs?.get(outcome.app);
    return decisionRecord(outcome, {
      repository: context.repository,
      trigger: context.trigger,
      summary,
      candidates: context.explained.get(outcome.app) ?? new Map(),
      receivedAt: context.receivedAt,
      finishedAt,
      ...(queuedMs === undefined ? {} : { queuedMs }),
    });
  });
}

/** Makes Argo CD writes now, each app's alone. */
export function writeArgoCdPlans(plans: readonly ArgoCdPlan[], concurrency: number): Promise<AppOutcome[]> {
  return mapWithConcurrency(plans, concurrency, (plan) => plan.write());
}

/**
 * Hands writes to the write queue, one message an app in its group (its branch's, or its Argo CD
 * Application's); the writer makes the write. A send that fails fails its apps (retryably when a retry
 * may help), so the event is retried.
 */
async function queuePlans(
  deps: UpdateDependencies,
  plans: ReadonlyArray<Pick<GitPlan, 'app' | 'choose'> & { readonly group: string }>,
  context: { readonly key: string; readonly trigger: Trigger },
): Promise<AppOutcome[]> {
  if (plans.length === 0) return [];
  const queuedAt = deps.clock.now();
  const messages = plans.map((plan) =>
    queuedWriteMessage(plan.group, {
      app: plan.app.name,
      repository: context.key,
      trigger: context.trigger,
      queuedAt,
    }),
  );
  try {
    await deps.writeQueue!.send(messages);
  } catch (error) {
    return plans.map((plan) => outcomeOfError(plan.app.name, error));
  }
  return Promise.all(
    plans.map(async (plan, i): Promise<AppOutcome> => {
      const { targets } = await plan.choose(1);
      return {
        app: plan.app.name,
        kind: 'queued',
        group: messages[i]!.group,
        chosen: targets.map((t) => ({ image: t.image.alias ?? t.image.imageName, tag: t.tag })),
      };
    }),
  );
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
