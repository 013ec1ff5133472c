/**
 * One app's git write, and how it is decided: read the target file (at a branch or commit), decide
 * each image against what the file holds, render the new text. Several plans can edit one tree: each
 * sees the text the previous one left, so two apps sharing a values file both land.
 */

import type { GitConnection } from '../domain/connections/connections.ts';
import { InvalidTargetError } from '../domain/errors.ts';
import type { ImageRegistration, Registration } from '../domain/registration/registration.ts';
import type { GitWriteBack } from '../domain/registration/registration-write-back.ts';
import type { TargetEditor } from '../domain/targets/git-target-editor.ts';
import { decideUpdate, imageChange } from '../domain/updates/decide-update.ts';
import type { ImageChange } from '../domain/updates/image-update.ts';
import type { TargetChooser } from './choose-targets.ts';
import { requireConsent, startReadingConsent } from './git-consent.ts';
import type { ImageDecisionRecord } from './outcomes.ts';
import type { GitFile } from './ports.ts';

export interface GitPlan {
  readonly app: Registration;
  readonly git: GitWriteBack;
  /**
   * The platform's connection it writes through, already checked to cover the repository. With its
   * `requireConsent`, the plan writes only with the consent of the repository's owners: a
   * `.ecr-image-updater.yaml` at the root or in the app's folder that allows each image written into the
   * target file (see git-consent.ts).
   */
  readonly connection: GitConnection;
  readonly editor: TargetEditor;
  readonly choose: TargetChooser;
}

/** What a plan decided in one attempt. */
export interface PlanDecision {
  readonly plan: GitPlan;
  readonly path: string;
  readonly records: readonly ImageDecisionRecord[];
  readonly changes: readonly ImageChange[];
  /** The images it writes: those of its changes. */
  readonly written: readonly ImageRegistration[];
}

/**
 * A working copy of files at one commit: reads each path once, and keeps the texts plans render, so
 * the next plan edits on top and the writer knows what changed.
 */
export class WorkingTree {
  private readonly reads = new Map<string, Promise<GitFile | undefined>>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly read: (path: string) => Promise<GitFile | undefined>) {}

  original(path: string): Promise<GitFile | undefined> {
    let read = this.reads.get(path);
    if (!read) {
      read = this.read(path);
      this.reads.set(path, read);
    }
    return read;
  }

  async current(path: string): Promise<string | undefined> {
    return this.texts.get(path) ?? (await this.original(path))?.text;
  }

  set(path: string, text: string): void {
    this.texts.set(path, text);
  }

  /** Files whose text differs from what was read, with the blob sha they were read at and their mode. */
  async changed(): Promise<Array<{ path: string; text: string; sha?: string; executable?: true }>> {
    const changed = [];
    for (const [path, text] of this.texts) {
      const original = await this.original(path);
      if (original?.text !== text)
        changed.push({
          path,
          text,
          ...(original ? { sha: original.sha } : {}),
          ...(original?.executable ? { executable: original.executable } : {}),
        });
    }
    return changed;
  }
}

/**
 * Decides a plan on the working tree and leaves its rendered text there. A plan that requires consent
 * reads it from `consentTree` (the edited tree unless given): it must be the base branch's files, which
 * the repository's owners control, never a branch of ours that a write-branch plan edits.
 */
export async function applyPlan(
  plan: GitPlan,
  tree: WorkingTree,
  attempt: number,
  consentTree: WorkingTree = tree,
): Promise<PlanDecision> {
  if (plan.connection.requireConsent) startReadingConsent(consentTree, plan.git.path, plan.editor.paths[0]!);
  const { targets, none } = await plan.choose(attempt);
  const path = await resolvePath(plan, tree);
  const text = await tree.current(path);
  const records: ImageDecisionRecord[] = [...none];
  const changes: ImageChange[] = [];
  const writes = [];
  for (const target of targets) {
    const image = target.image.alias ?? target.image.imageName;
    const decision = decideUpdate(target, plan.editor.read(text, target.image, path));
    records.push({ image, ...decision });
    if (decision.kind !== 'update') continue;
    writes.push({ image: target.image, version: decision.to });
    changes.push(imageChange(target, decision));
  }
  if (writes.length > 0) {
    // Before anything else about the file: without consent, nothing is said of the file or written to it.
    if (plan.connection.requireConsent)
      await requireConsent(
        consentTree,
        plan.git.path,
        path,
        writes.map((write) => write.image),
      );
    if (text === undefined && !plan.editor.createIfMissing)
      throw new InvalidTargetError(path, 'does not exist in the repository');
    tree.set(path, plan.editor.render(text, writes, path));
  }
  return { plan, path, records, changes, written: writes.map((write) => write.image) };
}

// The first of the editor's names that exists; the first name when none does.
async function resolvePath(plan: GitPlan, tree: WorkingTree): Promise<string> {
  for (const path of plan.editor.paths) if ((await tree.current(path)) !== undefined) return path;
  return plan.editor.paths[0]!;
}
