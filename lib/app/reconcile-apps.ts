/**
 * Re-evaluates apps now, against their repositories' tags as they are: what an operator runs after a
 * pause, a lost event or a change of registration. On demand only; nothing runs it on a schedule.
 * Apps are grouped by the repository they follow (an app with images in two repositories is looked at
 * in both), and each group goes through the same pipeline as a push. The preview only chooses.
 */
import { parseRegistration, watchKey } from '../domain/registration/registration.ts';
import type { VerdictSummary } from '../domain/tags/verdict-summary.ts';
import { TagSource, targetChooser } from './choose-targets.ts';
import { type AppOutcome, failedOutcome, type ImageDecisionRecord } from './outcomes.ts';
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
  readonly tagsRead: number;
  readonly apps: readonly AppOutcome[];
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
    await deps.audit.record({ decisions: result.decisions });
    repositories.push({ repository: key, tagsRead: result.tagsRead, apps: result.apps });
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

export async function previewApps(
  deps: Pick<UpdateDependencies, 'registry' | 'images'>,
  names?: readonly string[],
): Promise<{ previews: Preview[]; missing: readonly string[]; unreadable: readonly AppOutcome[] }> {
  const { groups, missing, unreadable } = await groupByRepository(deps, names);
  const previews: Preview[] = [];
  for (const [key, group] of groups) {
    const tags = new TagSource(deps.images, group.ref);
    for (const stored of group.apps) {
      const app = parseRegistration(stored.document);
      const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
      const choice = await targetChooser(images, tags)(1);
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
  return { previews, missing, unreadable };
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
