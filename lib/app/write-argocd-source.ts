/**
 * Git write-back to `<path>/.argocd-source-<app>.yaml` through the Contents API: read, decide, render,
 * stop if unchanged, write with the blob sha. When another writer got there first, re-read and decide
 * again (the chosen tags are refreshed too), with jittered backoff, a bounded number of times.
 */
import {
  argoCdSourceFileName,
  readArgoCdSourceVersion,
  renderArgoCdSourceFile,
} from '../domain/argocd-source-file.ts';
import { renderCommitMessage } from '../domain/commit-message.ts';
import { decideUpdate } from '../domain/decide-update.ts';
import { ConflictError } from '../domain/errors.ts';
import type { ImageChange, ImageTarget } from '../domain/image-update.ts';
import type { Registration } from '../domain/registration.ts';
import type { GitWriteBack } from '../domain/registration-write-back.ts';
import { joinRepositoryPath } from '../domain/repository-path.ts';
import { backoffDelay } from './backoff.ts';
import type { AppOutcome, ImageDecisionRecord } from './outcomes.ts';
import type { Clock, GitRepository } from './ports.ts';

export interface WriteContext {
  readonly repository: GitRepository;
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxAttempts: number;
}

/** Chooses the targets; called again after a conflict so that a retry uses fresh tags. */
export type TargetChooser = (
  attempt: number,
) => Promise<{ targets: readonly ImageTarget[]; none: readonly ImageDecisionRecord[] }>;

export async function writeArgoCdSource(
  app: Registration,
  git: GitWriteBack,
  choose: TargetChooser,
  context: WriteContext,
): Promise<AppOutcome> {
  const branch = git.branch ?? (await context.repository.defaultBranch(git.repo.owner, git.repo.name));
  const location = { owner: git.repo.owner, name: git.repo.name, branch };
  const path = joinRepositoryPath(git.path, argoCdSourceFileName(app.name));
  for (let attempt = 1; ; attempt++) {
    const { targets, none } = await choose(attempt);
    const file = await context.repository.readFile(location, path);
    const records: ImageDecisionRecord[] = [...none];
    const changes: ImageChange[] = [];
    const writes = [];
    for (const target of targets) {
      const image = target.image.alias ?? target.image.imageName;
      const decision = decideUpdate(target, readArgoCdSourceVersion(file?.text, target.image, path));
      records.push({ image, ...decision });
      if (decision.kind !== 'update') continue;
      writes.push({ image: target.image, version: decision.to });
      changes.push({
        ...(target.image.alias ? { alias: target.image.alias } : {}),
        imageName: target.image.imageName,
        ...(decision.from === undefined ? {} : { from: decision.from }),
        to: decision.to,
        ...(target.digest ? { digest: target.digest } : {}),
      });
    }
    if (writes.length === 0) return { app: app.name, kind: 'unchanged', images: records };
    const text = renderArgoCdSourceFile(file?.text, writes, path);
    if (text === file?.text) return { app: app.name, kind: 'unchanged', images: records };
    try {
      const message = renderCommitMessage(app.name, changes);
      const commit = await context.repository.writeFile(location, path, {
        text,
        ...(file ? { sha: file.sha } : {}),
        message,
      });
      return {
        app: app.name,
        kind: 'updated',
        commit: { sha: commit.commitSha, ...(commit.url ? { url: commit.url } : {}) },
        changes,
        images: records,
        attempts: attempt,
      };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= context.maxAttempts) {
        if (error instanceof ConflictError)
          throw new ConflictError(`${path} kept changing under ${attempt} attempts`, { cause: error });
        throw error;
      }
      await context.clock.sleep(backoffDelay(attempt, context.random()));
    }
  }
}
