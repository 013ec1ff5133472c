/**
 * `ecr-image-updater reconcile [app...]`: brings apps to the tags their strategies allow now, through
 * the same pipeline as a push. On demand: the updater never polls.
 */
import { createImagePushDependencies } from '../../lib/adapters/create-image-push-dependencies.ts';
import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import { MemoryLogger } from '../../lib/adapters/memory-logger.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { type AppOutcome, failuresLast, summarizeApp } from '../../lib/app/outcomes.ts';
import {
  type PreviewOutcome,
  previewApps,
  type ReconcileOutcome,
  type RepositoryReconciled,
  reconcileApps,
} from '../../lib/app/reconcile-apps.ts';
import { AWS_FLAGS, AWS_HELP, awsClients } from '../aws-context.ts';
import { type Command, parseFlags } from '../command.ts';
import { EXIT } from '../io.ts';

const HELP = `Usage: ecr-image-updater reconcile [app...] [--dry-run] [options]

Re-evaluates apps now against their repositories' tags as they are, and writes back what differs,
exactly as a push would (commits, pull requests, Argo CD patches; recorded in the history). With no
app named, every registered app. Use it after a lost event, a pause, or a change of registration.
Nothing runs it on a schedule: the updater does not poll.

Options:
  --dry-run           only say which tag each image would move to; read no target, write nothing
${AWS_HELP}  -h, --help          this help

It needs what the function needs: the registry table, ECR read access to the repositories, and the
platform's connections with read access to their secrets ($${ENVIRONMENT.connections}, as the
function's environment has it: docs/connections.md).

Exit codes: 0 done; 1 an app failed or is not registered; 2 invalid input.
`;

const FLAGS = { ...AWS_FLAGS, 'dry-run': { type: 'boolean' } } as const;

export const reconcileCommand: Command = {
  name: 'reconcile',
  help: HELP,
  accepts: { flags: FLAGS },
  async run(args, io) {
    const { values, positionals } = parseFlags('reconcile', args, FLAGS);
    if (values.help) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    const deps = createImagePushDependencies(
      readRuntimeConfig(io.env, values.table),
      new MemoryLogger(),
      awsClients(io, values),
    );
    const print = (text: string, json: unknown) =>
      io.stdout(values.json ? `${JSON.stringify(json)}\n` : text);
    if (values['dry-run']) {
      const preview = await previewApps(deps, positionals);
      print(formatPreview(preview), preview);
      return preview.failed.length > 0 || preview.missing.length > 0 || preview.unreadable.length > 0
        ? EXIT.failure
        : EXIT.ok;
    }
    const outcome = await reconcileApps(deps, {
      names: positionals,
      id: `reconcile-${new Date().toISOString()}`,
    });
    print(formatOutcome(outcome), outcome);
    const failed = outcome.repositories.some(
      (r) => r.unrecorded !== undefined || r.apps.some((app) => app.kind === 'failed'),
    );
    return failed || outcome.missing.length > 0 || outcome.unreadable.length > 0 ? EXIT.failure : EXIT.ok;
  },
};

// Every app's outcome, repository by repository; what failed comes last, so it is what one reads last.
function formatOutcome(outcome: ReconcileOutcome): string {
  const troubled = (r: RepositoryReconciled) =>
    r.unrecorded !== undefined || r.apps.some((app) => app.kind === 'failed');
  const repositories = [
    ...outcome.repositories.filter((r) => !troubled(r)),
    ...outcome.repositories.filter(troubled),
  ];
  const lines = repositories.flatMap((repository) => [
    `${repository.repository} (${
      repository.tagsRead === undefined
        ? 'tags not read'
        : `${repository.tagsRead} tag${repository.tagsRead === 1 ? '' : 's'}`
    })`,
    ...failuresLast(repository.apps).map((app) => `  ${summarizeApp(app)}`),
    ...(repository.unrecorded === undefined ? [] : [`  history not recorded: ${repository.unrecorded}`]),
  ]);
  return `${[...lines, ...trouble(outcome.missing, outcome.unreadable)].join('\n')}\n`;
}

function formatPreview({ previews, failed, missing, unreadable }: PreviewOutcome) {
  const lines = previews.flatMap((preview) => [
    ...preview.targets.map(
      (target) =>
        `${preview.app}: ${target.image} would move to ${target.tag}${preview.paused ? ' (paused: it will not)' : ''} (if the target differs)`,
    ),
    ...preview.none.map(
      (none) => `${preview.app}: ${none.image}: ${none.kind === 'none' ? none.reason : ''}`,
    ),
  ]);
  return `${[...lines, ...failed.map(summarizeApp), ...trouble(missing, unreadable)].join('\n')}\n`;
}

function trouble(missing: readonly string[], unreadable: readonly AppOutcome[]): string[] {
  return [...missing.map((name) => `${name}: not registered`), ...unreadable.map((app) => summarizeApp(app))];
}
