/**
 * Re-evaluates apps now, against their repositories' tags as they are: what an operator runs after a
 * pause, a lost event or a change of registration. On demand only; nothing runs it on a schedule.
 * Apps are grouped by the repository they follow (an app with images in two repositories is looked at
 * in both), and each group goes through the same pipeline as a push. The preview only chooses.
 */
import { parseRegistration, watchKey } from '../domain/registration/registration.ts';
import type { VerdictSummary } from '../domain/tags/verdict-summary.ts';
import { type Choice, TagSource, targetChooser } from './choose-targets.ts';
import { type AppOutcome, type FailedOutcome, failedOutcome, type ImageDecisionRecord } from './outcomes.ts';
import type { RepositoryRef, StoredApp } from './ports.ts';
import { type UpdateDependencies, updateApps } from './update-apps.ts';

export interface ReconcileRequest {
  /** Apps to look at; every registered app when empty or missing. */
  readonly names?: readonly string[];
  /** Names this reconcile in logs and history. */
  readonly id: string;
}

export interface RepositoryReconciled {
  readonly repository: string;
  /** Missing when the repository's tags could not be read (each of its apps then failed, saying why). */
  readonly tagsRead?: number;
  readonly apps: readonly AppOutcome[];
  /** Why the decisions could not be recorded in the history, when they could not. */
  readonly unrecorded?: string;
}

export interface ReconcileOutcome {
  readonly repositories: readonly RepositoryReconciled[];
  /** Named apps that are not registered. */
  readonly missing: readonly string[];
  /** Registered apps whose registration no longer validates (nothing to group them by). */
  readonly unreadable: readonly AppOutcome[];
}

interface Group {
  readonly ref: RepositoryRef;
  readonly apps: StoredApp[];
}

export async function reconcileApps(
  deps: UpdateDependencies,
  request: ReconcileRequest,
): Promise<ReconcileOutcome> {
  const { groups, missing, unreadable } = await groupByRepository(deps, request.names);
  const repositories: RepositoryReconciled[] = [];
  for (const [key, group] of groups) {
    const result = await updateApps(deps, {
      repository: group.ref,
      apps: group.apps,
      trigger: { kind: 'reconcile', id: request.id },
      receivedAt: deps.clock.now(),
    });
    // What was written stays reported when the history cannot take it, and the next group still runs.
    const unrecorded = await deps.audit.record({ decisions: result.decisions }).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    repositories.push({
      repository: key,
      ...(result.tagsRead === undefined ? {} : { tagsRead: result.tagsRead }),
      apps: result.apps,
      ...(unrecorded === undefined ? {} : { unrecorded }),
    });
  }
  return { repositories, missing, unreadable };
}

/** What each image would move to, from the tags alone: no target is read, nothing is written. */
export interface Preview {
  readonly repository: string;
  readonly app: string;
  readonly paused: boolean;
  readonly targets: ReadonlyArray<{ readonly image: string; readonly tag: string; readonly digest?: string }>;
  readonly none: readonly ImageDecisionRecord[];
  readonly explained: Readonly<Record<string, VerdictSummary>>;
}

export interface PreviewOutcome {
  readonly previews: readonly Preview[];
  /** Apps whose tags could not be read or judged (a repository that is gone, say), each saying why. */
  readonly failed: readonly FailedOutcome[];
  /** Named apps that are not registered. */
  readonly missing: readonly string[];
  /** Registered apps whose registration no longer validates. */
  readonly unreadable: readonly AppOutcome[];
}

export async function previewApps(
  deps: Pick<UpdateDependencies, 'registry' | 'images'>,
  names?: readonly string[],
): Promise<PreviewOutcome> {
  const { groups, missing, unreadable } = await groupByRepository(deps, names);
  const previews: Preview[] = [];
  const failed: FailedOutcome[] = [];
  for (const [key, group] of groups) {
    const tags = new TagSource(deps.images, group.ref);
    for (const stored of group.apps) {
      const app = parseRegistration(stored.document);
      const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
      let choice: Choice;
      try {
        choice = await targetChooser(images, tags)(1);
      } catch (error) {
        failed.push(failedOutcome(app.name, error));
        continue;
      }
      previews.push({
        repository: key,
        app: app.name,
        paused: stored.paused,
        targets: choice.targets.map((target) => ({
          image: target.image.alias ?? target.image.imageName,
          tag: target.tag,
          ...(target.digest ? { digest: target.digest } : {}),
        })),
        none: choice.none,
        explained: Object.fromEntries(choice.explained),
      });
    }
  }
  return { previews, failed, missing, unreadable };
}

async function groupByRepository(
  deps: Pick<UpdateDependencies, 'registry'>,
  names: readonly string[] | undefined,
): Promise<{ groups: Map<string, Group>; missing: string[]; unreadable: AppOutcome[] }> {
  const missing: string[] = [];
  let stored: StoredApp[];
  if (names && names.length > 0) {
    const found = await Promise.all(names.map((name) => deps.registry.get(name)));
    stored = found.flatMap((app, i) => {
      if (!app) missing.push(names[i]!);
      return app ? [app] : [];
    });
  } else stored = await deps.registry.list();
  const groups = new Map<string, Group>();
  const unreadable: AppOutcome[] = [];
  for (const app of stored) {
    let registration: ReturnType<typeof parseRegistration>;
    try {
      registration = parseRegistration(app.document);
    } catch (error) {
      unreadable.push(failedOutcome(app.name, error));
      continue;
    }
    for (const image of registration.images) {
      const key = watchKey(image.registry, image.repository);
      const group = groups.get(key);
      if (group) {
        if (!group.apps.includes(app)) group.apps.push(app);
      } else
        groups.set(key, {
          ref: {
            accountId: image.registry.accountId,
            region: image.registry.region,
            repository: image.repository,
          },
          apps: [app],
        });
    }
  }
  return { groups, missing, unreadable };
}
