/**
 * The three ways a git write-back lands, each read-decide-write with compare-and-swap and a retry on a
 * lost race: one commit on the base branch for every app of a push that shares it, a commit on a write
 * branch, or a pull request from a branch of our own (updated, never duplicated, never force-pushed).
 */

import { InvalidInputError, InvalidTargetError, UpstreamError, WriteRefusedError } from '../domain/errors.ts';
import { isValidBranchName } from '../domain/registration/registration-write-back.ts';
import { branchTemplateData } from '../domain/targets/change-templates.ts';
import { renderGroupCommitMessage, renderPullRequest } from '../domain/targets/commit-message.ts';
import { compileGoTemplate } from '../domain/targets/go-template.ts';
import type { ImageChange } from '../domain/updates/image-update.ts';
import { consentPaths, requireConsent, startReadingConsent } from './git-consent.ts';
import { applyPlan, type GitPlan, type PlanDecision, WorkingTree } from './git-plan.ts';
import { type AppOutcome, outcomeOfError } from './outcomes.ts';
import type { GitRepository } from './ports.ts';
import { type RetryContext, retryOnConflict } from './retry-on-conflict.ts';

export interface GitTarget {
  readonly repository: GitRepository;
  readonly owner: string;
  readonly name: string;
  /** The branch apps follow (the registration's, or the repository's default). */
  readonly base: string;
}

/**
 * Writes plans that share a repository and branch as one commit, in two requests whatever the number of
 * apps: one reads the branch's head and every file the plans may need there (each target file under
 * each of its names, and the consent files that speak for them), one commits what changed, only if the
 * branch is still at that head. A branch that moved meanwhile is a lost race: read again, choose again.
 */
export function commitToBranch(
  plans: readonly GitPlan[],
  target: GitTarget,
  context: RetryContext,
): Promise<AppOutcome[]> {
  const { repository, owner, name, base } = target;
  const location = { owner, name, branch: base };
  const paths = plans.flatMap((plan) =>
    plan.editor.paths.flatMap((path) => [
      path,
      ...(plan.connection.requireConsent ? consentPaths(plan.git.path, path) : []),
    ]),
  );
  return retryOnConflict(`${owner}/${name}@${base}`, context, async (attempt) => {
    const snapshot = repository.readFilesAtHead(location, paths);
    // Awaited below; without this, a read that fails while plans choose would be reported unhandled.
    snapshot.catch(() => undefined);
    // Plans choose their tags while the files are on their way.
    const tree = new WorkingTree(async (path) => (await snapshot).read(path));
    const decisions: PlanDecision[] = [];
    // A file that cannot be edited fails its own app; the others still land in the commit.
    const refused: AppOutcome[] = [];
    for (const plan of plans) {
      try {
        decisions.push(await applyPlan(plan, tree, attempt));
      } catch (error) {
        // A read that failed fails the attempt as a whole, even when a plan failed on its own first.
        await snapshot;
        if (
          !(
            error instanceof InvalidTargetError ||
            error instanceof InvalidInputError ||
            error instanceof WriteRefusedError
          )
        )
          throw error;
        refused.push(outcomeOfError(plan.app.name, error));
      }
    }
    const { head } = await snapshot;
    const files = await tree.changed();
    if (files.length === 0) return [...decisions.map(unchanged), ...refused];
    const message = renderGroupCommitMessage(decisions.filter((d) => d.changes.length > 0).map(appChanges));
    const sha = await repository.commitOnBranch(
      location,
      head,
      new Map(files.map((f) => [f.path, f.text])),
      message,
    );
    return [
      ...decisions.map((d) =>
        d.changes.length > 0 ? updated(d, { kind: 'commit', sha, branch: base }, attempt) : unchanged(d),
      ),
      ...refused,
    ];
  });
}

/** Commits one app's change to its write branch, created from the base branch when it is missing. */
export function commitToWriteBranch(
  plan: GitPlan,
  target: GitTarget,
  context: RetryContext,
): Promise<AppOutcome> {
  const { repository, owner, name, base } = target;
  return retryOnConflict(`${owner}/${name} write branch of ${plan.app.name}`, context, async (attempt) => {
    const baseHead = await headOf(target, base);
    const baseTree = treeAt(target, baseHead);
    const onBase = await applyPlan(plan, baseTree, attempt);
    if (onBase.changes.length === 0) return unchanged(onBase);
    const branch = renderBranch(plan, onBase.changes);
    const branchHead = await repository.branchHead(owner, name, branch);
    const tree = branchHead ? treeAt(target, branchHead) : baseTree;
    if (branchHead) startReadingBranchConsent(plan, tree, onBase.path);
    // Consent is the base branch's even when the write branch exists: that branch is ours, and anyone
    // who can push to it (or who registered the app) must not be able to consent there.
    const decision = branchHead ? await applyPlan(plan, tree, attempt, baseTree) : onBase;
    const files = await tree.changed();
    if (files.length === 0) return unchanged(decision);
    if (branchHead) await requireBranchConsent(plan, tree, decision, branch);
    const sha = await commitAppChange(target, decision, files, { branch, branchHead, baseHead });
    return updated(decision, { kind: 'commit', sha, branch }, attempt);
  });
}

/**
 * Proposes one app's change as a pull request into the base branch, from a stable branch of its own
 * (or its write-branch template): an open pull request for the same change is success; a newer change
 * is a new commit on that branch and an updated pull request, not another one.
 */
export function proposePullRequest(
  plan: GitPlan,
  target: GitTarget,
  context: RetryContext,
): Promise<AppOutcome> {
  const { repository, owner, name, base } = target;
  return retryOnConflict(`pull request of ${plan.app.name} in ${owner}/${name}`, context, async (attempt) => {
    const baseHead = await headOf(target, base);
    const baseTree = treeAt(target, baseHead);
    // Decided, consent included, on the base branch only: the pull request's branch is ours, and a
    // consent file added there (by us or by anyone who can push to it) is not the owners' word.
    const decision = await applyPlan(plan, baseTree, attempt);
    if (decision.changes.length === 0) return unchanged(decision);
    const branch = renderBranch(plan, decision.changes);
    const files = await baseTree.changed();
    const branchHead = await repository.branchHead(owner, name, branch);
    const branchTree = branchHead ? treeAt(target, branchHead) : undefined;
    let proposed = false;
    if (branchTree) {
      startReadingBranchConsent(plan, branchTree, decision.path);
      const onBranch = await Promise.all(
        files.map(async (f) => (await branchTree.original(f.path))?.text === f.text),
      );
      proposed = onBranch.every(Boolean);
    }
    if (!proposed) {
      if (branchTree) await requireBranchConsent(plan, branchTree, decision, branch);
      // On top of our branch when it exists (keeping any commit a reviewer added), else on the base.
      await commitAppChange(target, decision, files, { branch, branchHead, baseHead });
    }
    const text = renderPullRequest(plan.app.name, decision.changes, base);
    const existing = await repository.findPullRequest(owner, name, branch, base);
    const pull = existing
      ? existing.title === text.title && existing.body === text.body
        ? existing
        : await repository.updatePullRequest(owner, name, existing.number, text)
      : await repository.createPullRequest(owner, name, { head: branch, base, ...text });
    return updated(
      decision,
      {
        kind: 'pull-request',
        number: pull.number,
        url: pull.url,
        branch,
        reused: proposed && existing !== undefined,
      },
      attempt,
    );
  });
}

// A write branch or pull request branch that exists may not be ours: a registration can name the base
// branch (one its registrant pushed, consenting to anything) and the owners' branch as the branch to
// commit onto. So an existing branch we commit onto must consent as well; it can withhold consent,
// never give it, and the base's consent is still required.
function startReadingBranchConsent(plan: GitPlan, tree: WorkingTree, path: string): void {
  if (plan.connection.requireConsent) startReadingConsent(tree, plan.git.path, path);
}

async function requireBranchConsent(
  plan: GitPlan,
  tree: WorkingTree,
  decision: PlanDecision,
  branch: string,
): Promise<void> {
  if (plan.connection.requireConsent)
    await requireConsent(tree, plan.git.path, decision.path, decision.written, branch);
}

/** The files of a commit, read as they are asked for. */
function treeAt(target: GitTarget, head: string): WorkingTree {
  const { repository, owner, name } = target;
  return new WorkingTree((path) => repository.readFile({ owner, name, branch: head }, path));
}

/**
 * Commits one app's files to its own branch, on top of the branch when it exists (keeping any commit
 * someone else added), else on the base, and moves the branch there; answers the commit's sha.
 */
async function commitAppChange(
  target: GitTarget,
  decision: PlanDecision,
  files: ReadonlyArray<{ readonly path: string; readonly text: string; readonly executable?: true }>,
  at: { readonly branch: string; readonly branchHead: string | undefined; readonly baseHead: string },
): Promise<string> {
  const { repository, owner, name } = target;
  const sha = await repository.commitFiles(owner, name, {
    parent: at.branchHead ?? at.baseHead,
    files: new Map(files.map((f) => [f.path, f.text])),
    message: renderGroupCommitMessage([appChanges(decision)]),
    executables: new Set(files.filter((f) => f.executable).map((f) => f.path)),
  });
  await repository.moveBranch(owner, name, at.branch, sha, at.branchHead ? 'fast-forward' : 'create');
  return sha;
}

async function headOf(target: GitTarget, branch: string): Promise<string> {
  const head = await target.repository.branchHead(target.owner, target.name, branch);
  if (!head)
    throw new UpstreamError('GitHub', `${target.owner}/${target.name} has no branch '${branch}'`, {
      retryable: false,
      status: 404,
    });
  return head;
}

function renderBranch(plan: GitPlan, changes: readonly ImageChange[]): string {
  const template = plan.git.writeBranch;
  const branch = template
    ? compileGoTemplate(template).render(branchTemplateData(plan.app.name, changes)).trim()
    : `ecr-image-updater/${plan.app.name}/${plan.editor.id}`;
  if (!isValidBranchName(branch)) {
    throw new InvalidInputError(
      'writeBack.git.writeBranch',
      `the template gave '${branch}', which is not a branch name`,
      'keep to letters, digits, - _ . /',
    );
  }
  return branch;
}

function appChanges(decision: PlanDecision) {
  const template = decision.plan.git.commitMessage;
  return { appName: decision.plan.app.name, changes: decision.changes, ...(template ? { template } : {}) };
}

function unchanged(decision: PlanDecision): AppOutcome {
  return { app: decision.plan.app.name, kind: 'unchanged', images: decision.records };
}

function updated(decision: PlanDecision, write: WriteRecord, attempts: number): AppOutcome {
  return {
    app: decision.plan.app.name,
    kind: 'updated',
    write,
    changes: decision.changes,
    images: decision.records,
    attempts,
  };
}

type WriteRecord = Extract<AppOutcome, { kind: 'updated' }>['write'];
