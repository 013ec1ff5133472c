/**
 * One app, evaluated against the tags of the repositories a trigger concerns: refused, paused,
 * unchanged, an Argo CD write, or a git plan to write with others; either write is made now or through
 * the write queue. The tags of each repository are shared by every app that follows it.
 */
import {
  argoCdConnectionFor,
  gitConnectionFor,
  isGitRemoteConnection,
} from '../domain/connections/connections.ts';
import { WriteRefusedError } from '../domain/errors.ts';
import { parseRegistration, type Registration, watchKey } from '../domain/registration/registration.ts';
import { connectionOnlyFields } from '../domain/registration/registration-write-back.ts';
import type { VerdictSummary } from '../domain/tags/verdict-summary.ts';
import { targetEditor } from '../domain/targets/git-target-editor.ts';
import { type Choice, type TagSource, type TargetChooser, targetChooser } from './choose-targets.ts';
import type { GitPlan } from './git-plan.ts';
import { type AppOutcome, outcomeOfError } from './outcomes.ts';
import type { StoredApp } from './ports.ts';
import { argoCdWriteGroupOf } from './queued-write.ts';
import type { ResilientPorts, UpdateDependencies } from './update-dependencies.ts';
import { writeArgoCdApplication } from './write-argocd-application.ts';

/** What evaluating an app gives: its outcome already, a git write to make with others, or an Argo CD write. */
export type Evaluated =
  | { readonly outcome: AppOutcome }
  | { readonly git: GitPlan }
  | { readonly argocd: ArgoCdPlan };

/** An Argo CD write, to make now or to queue in the Application's own group. */
export interface ArgoCdPlan {
  readonly app: Registration;
  readonly group: string;
  readonly choose: TargetChooser;
  /** Reads, patches, reads back and syncs; never throws: a failure is the app's outcome. */
  readonly write: () => Promise<AppOutcome>;
}

/** Per app, per image: the tags considered in the latest attempt, the one chosen, why not the others. */
export type Explanations = Map<string, Map<string, VerdictSummary>>;

/**
 * Evaluates `stored` for its images that follow one of `sources` (repository key -> its tags). Never
 * throws: a failure is the app's outcome.
 */
export async function evaluateApp(
  deps: UpdateDependencies,
  ports: ResilientPorts,
  stored: StoredApp,
  sources: ReadonlyMap<string, TagSource>,
  explained: Explanations,
): Promise<Evaluated> {
  try {
    // Stored before connections: its own endpoint or credential is never used, nor is anything called.
    const refused = connectionOnlyFields(stored.document);
    if (refused.length > 0)
      throw new WriteRefusedError(
        'not-allowed',
        `${refused.join(', ')}: endpoints and credentials belong to the platform's connections now; register the app again with writeBack connection`,
      );
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
    const choosers = [...sources].flatMap(([key, tags]) => {
      const images = app.images.filter((image) => watchKey(image.registry, image.repository) === key);
      return images.length === 0 ? [] : [targetChooser(images, tags)];
    });
    const choose = remembering(combined(choosers), app.name, explained);
    const first = await choose(1);
    if (first.targets.length === 0)
      return { outcome: { app: app.name, kind: 'unchanged', images: first.none } };
    const writeBack = app.writeBack;
    if (writeBack.method === 'git') {
      const connection = gitConnectionFor(deps.connections, writeBack.connection, writeBack.repo);
      if (isGitRemoteConnection(connection) && writeBack.pullRequest)
        throw new WriteRefusedError(
          'not-allowed',
          `the git connection '${connection.name}' is a plain git host: pull and merge requests are GitHub's only for now; use writeBranch (a commit on a branch of its own) instead`,
        );
      return {
        git: { app, git: writeBack, connection, editor: targetEditor(app.name, writeBack), choose },
      };
    }
    const connection = argoCdConnectionFor(deps.connections, writeBack.connection, writeBack);
    const context = { clock: deps.clock, random: deps.random, maxAttempts: deps.maxWriteAttempts ?? 5 };
    const write = async () => {
      const api = await ports.argocd.connect(connection);
      return writeArgoCdApplication(app, writeBack, choose, api, { ...context, connection });
    };
    return {
      argocd: {
        app,
        group: argoCdWriteGroupOf(connection, writeBack.appNamespace ?? '', app.name),
        choose,
        write: () => write().catch((error: unknown) => outcomeOfError(app.name, error)),
      },
    };
  } catch (error) {
    return { outcome: outcomeOfError(stored.name, error) };
  }
}

// The choices of an app's images in several repositories, as one.
function combined(choosers: readonly TargetChooser[]): TargetChooser {
  if (choosers.length === 1) return choosers[0]!;
  return async (attempt) => {
    const choices = await Promise.all(choosers.map((choose) => choose(attempt)));
    return {
      targets: choices.flatMap((c) => c.targets),
      none: choices.flatMap((c) => c.none),
      explained: new Map(choices.flatMap((c) => [...c.explained])),
    } satisfies Choice;
  };
}

// Keeps the explanation of the latest attempt: the one whose answer was written (or not).
function remembering(choose: TargetChooser, app: string, explained: Explanations): TargetChooser {
  return async (attempt) => {
    const choice = await choose(attempt);
    explained.set(app, new Map(choice.explained));
    return choice;
  };
}
