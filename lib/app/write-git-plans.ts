/**
 * Runs the git writes of one push: plans that commit to the same repository and branch (through the same
 * connection) become one commit; write-branch and pull-request plans go one by one. Groups run
 * concurrently within the bound; a group's failure fails its apps only.
 */
import { isGitRemoteConnection } from '../domain/connections/connections.ts';
import { WriteRefusedError } from '../domain/errors.ts';
import type { GitPlan } from './git-plan.ts';
import { commitToBranch, commitToWriteBranch, type GitTarget, proposePullRequest } from './git-writes.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import { type AppOutcome, outcomeOfError } from './outcomes.ts';
import type { Clock, GitHubConnector, GitRemoteConnector, GitRepository } from './ports.ts';

export interface GitWriteDependencies {
  readonly github: GitHubConnector;
  /** Plain git hosts; a plan through a plain git connection is refused without it. */
  readonly gitRemote?: GitRemoteConnector | undefined;
  readonly clock: Clock;
  readonly random: () => number;
  readonly maxAttempts: number;
  readonly concurrency: number;
}

type Job = {
  readonly plans: readonly GitPlan[];
  readonly target: GitTarget;
  readonly mode: 'commit' | 'write-branch' | 'pull-request';
};

export async function writeGitPlans(
  plans: readonly GitPlan[],
  deps: GitWriteDependencies,
): Promise<AppOutcome[]> {
  const jobs: Job[] = [];
  const failed: AppOutcome[] = [];
  const groups = new Map<string, Job>();
  await Promise.all(
    plans.map(async (plan) => {
      try {
        const { git } = plan;
        const repository = await connect(plan, deps);
        const base = git.branch ?? (await repository.defaultBranch(git.repo.owner, git.repo.name));
        const target = { repository, owner: git.repo.owner, name: git.repo.name, base };
        if (git.pullRequest) jobs.push({ plans: [plan], target, mode: 'pull-request' });
        else if (git.writeBranch) jobs.push({ plans: [plan], target, mode: 'write-branch' });
        else {
          const key = [plan.connection.name, git.repo.owner, git.repo.name, base].join('\n');
          const group = groups.get(key);
          if (group) groups.set(key, { ...group, plans: [...group.plans, plan] });
          else groups.set(key, { plans: [plan], target, mode: 'commit' });
        }
      } catch (error) {
        failed.push(outcomeOfError(plan.app.name, error));
      }
    }),
  );
  jobs.push(...groups.values());
  const context = { clock: deps.clock, random: deps.random, maxAttempts: deps.maxAttempts };
  const done = await mapWithConcurrency(jobs, deps.concurrency, async (job): Promise<AppOutcome[]> => {
    try {
      if (job.mode === 'commit') return await commitToBranch(byName(job.plans), job.target, context);
      const [plan] = job.plans as [GitPlan];
      return [
        job.mode === 'pull-request'
          ? await proposePullRequest(plan, job.target, context)
          : await commitToWriteBranch(plan, job.target, context),
      ];
    } catch (error) {
      return job.plans.map((plan) => outcomeOfError(plan.app.name, error));
    }
  });
  return [...failed, ...done.flat()];
}

function connect(plan: GitPlan, deps: GitWriteDependencies): Promise<GitRepository> {
  const { connection, git } = plan;
  if (!isGitRemoteConnection(connection)) return deps.github.connect(connection, git.repo);
  if (!deps.gitRemote)
    throw new WriteRefusedError(
      'not-allowed',
      `the git connection '${connection.name}' is a plain git host, which this writer cannot reach`,
    );
  return deps.gitRemote.connect(connection, git.repo);
}

// A stable order, so that the same push makes the same commit whatever order apps were read in.
function byName(plans: readonly GitPlan[]): GitPlan[] {
  return [...plans].sort((a, b) => (a.app.name < b.app.name ? -1 : 1));
}
