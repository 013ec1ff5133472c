import { type Command, findAction, parseActionFlags } from 'ecr-image-updater/cli/command';
import { EXIT } from 'ecr-image-updater/cli/io';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { InvalidInputError, quoteInput } from 'ecr-image-updater/lib/domain/errors';
import { localPush } from './local-push.ts';
import { localShow } from './local-show.ts';
import { localUp } from './local-up.ts';
import { readPushTargets } from './push-targets.ts';

const HELP = `Usage: ecr-image-updater local <up|push|show> [options]

Local mode: the whole flow on embedded peers, with no AWS account and no Docker.

  local up [--env-out <path>] [--data-dir <dir>] [--keep] [--spoke <account>]...
      Starts DynamoDB (dynalite, holding the registry table), ECR, Secrets Manager, SQS (the
      dead-letter queue that local push feeds and redrive reads), a GitHub backed by real git
      repositories (seeded with the tutorial's devopscube/argocd-image-updater and its flask-app chart),
      a plain git host (git's own git http-backend behind a user and password, holding the same
      repository; registrations reach it with connection local-git) and an Argo CD API (holding the
      Application of examples/argocd-application.yaml), prints the environment that points the CLI at
      them as export lines, and runs until Ctrl-C.
      --env-out <path>  also writes the environment to <path>, to source in another shell
                        (--env-file is another spelling where Node lets it through: Node 20 takes
                        --env-file for itself)
      --data-dir <dir>  keeps the local state in <dir> (made when missing) and resumes from it: the
                        registrations and their history, ECR's images, Argo CD's Applications, the
                        dead-letter queue's messages, and the git repositories with their pull
                        requests. The registry and the repositories are written as they change; the
                        images, Applications and messages when local up stops. The Secrets Manager
                        tokens are seeded on every start, and the ports change: source the new env file.
      --spoke <account> a spoke account of the local hub (repeatable): its read role in the local
                        STS, and the local ECR then checks every call's account (multi-account)
      --keep            after Ctrl-C keeps the env file, and without --data-dir the temporary state
                        folder (resume it with --data-dir); by default both are removed

  local push <repository>:<tag>... [--platforms linux/amd64,linux/arm64] [--digest sha256:...]
             [--account <id>] [--json]
      Pushes images to the local ECR over its API (several platforms push an image index; --digest
      tags an image ECR already holds) and delivers the events ECR emits through the same handler the
      Lambda runs, printing what each app did. Several images land as a CI job's pushes do: every
      image is pushed first, then each event is delivered as its own invocation, concurrently, as
      EventBridge and Lambda deliver them; the output ends with a line of totals, and --json prints a
      list (one entry per image). An event that still fails in a way a retry could fix goes to the
      dead-letter queue, as the deployed function's does after Lambda's retries: ecr-image-updater
      redrive shows and replays it. Exits 1 when an app failed. Needs the environment of local up.
      --generate <n>      pushes n made-up images, <prefix>1 to <prefix>n, instead of named ones
      --repository-prefix <prefix>
                          starts the generated images' repositories (default repo-), e.g. burst/
      --tag <tag>         the generated images' tag, e.g. 1.0.1
      --account <id>      push in this spoke account of the local hub instead of the hub's own
      --concurrency <n>   execution environments at once, each with clients of its own, handling
                          one event at a time (default: every event at once, up to 1000, an
                          account's default Lambda concurrency)
      --scan              after the push, scans each image (StartImageScan) and delivers the
                          "ECR Image Scan" event ECR emits when the scan completes: an app with a
                          scanGate waits for it
      --scan-findings <counts>
                          the findings the scan reports, e.g. CRITICAL=0,HIGH=3 (implies --scan;
                          the local scanner reads them from a label the pushed image carries)

  local show [--json]
      Prints what the local Argo CD and GitHub hold, read over their APIs with the tokens local up
      exports ($${ENVIRONMENT.localArgocdToken}, $${ENVIRONMENT.localGithubToken}): each
      Application's Helm parameters and Kustomize images, and each repository's open pull requests.
      Needs the environment of local up.

Options:
  -h, --help          this help

Example, in two shells:
  $ ecr-image-updater local up --env-out .local.env
  $ source .local.env
  $ ecr-image-updater apps register -f examples/flask-app.yaml
  $ ecr-image-updater local push flask-app:1.0.2
  $ ecr-image-updater local push --generate 50 --repository-prefix burst/ --tag 1.0.1
  $ git -C "$${ENVIRONMENT.gitopsDir}/devopscube/argocd-image-updater.git" log --oneline
  $ ecr-image-updater local show
`;

const ACTIONS = {
  up: {
    'env-out': { type: 'string' },
    'env-file': { type: 'string' },
    keep: { type: 'boolean' },
    'data-dir': { type: 'string' },
    spoke: { type: 'string', multiple: true },
  },
  push: {
    platforms: { type: 'string' },
    digest: { type: 'string' },
    generate: { type: 'string' },
    'repository-prefix': { type: 'string' },
    tag: { type: 'string' },
    concurrency: { type: 'string' },
    scan: { type: 'boolean' },
    'scan-findings': { type: 'string' },
    account: { type: 'string' },
    json: { type: 'boolean' },
  },
  show: {
    json: { type: 'boolean' },
  },
} as const;

export const localCommand: Command = {
  name: 'local',
  help: HELP,
  accepts: { actions: ACTIONS },
  async run(args, io) {
    const { action, help } = findAction(args, ACTIONS);
    if (help || action === undefined) {
      io.stdout(HELP);
      return help ? EXIT.ok : EXIT.invalid;
    }
    if (action === 'up') {
      const { values } = parseActionFlags(
        'local',
        args,
        { name: action, flags: ACTIONS.up, arguments: 0 },
        ACTIONS,
      );
      return localUp(io, {
        envFile: values['env-out'] ?? values['env-file'],
        dataDir: values['data-dir'],
        keep: values.keep ?? false,
        spokeAccounts: readSpokeAccounts(values.spoke ?? []),
      });
    }
    if (action === 'push') {
      const { values, positionals } = parseActionFlags(
        'local',
        args,
        { name: action, flags: ACTIONS.push, arguments: Number.POSITIVE_INFINITY },
        ACTIONS,
      );
      const [account] = readSpokeAccounts(values.account === undefined ? [] : [values.account], '--account');
      return localPush(io, readPushTargets(positionals.slice(1), values), values.json ?? false, account);
    }
    if (action === 'show') {
      const { values } = parseActionFlags(
        'local',
        args,
        { name: action, flags: ACTIONS.show, arguments: 0 },
        ACTIONS,
      );
      return localShow(io, values.json ?? false);
    }
    throw new InvalidInputError(
      'usage',
      `unknown action ${quoteInput(action)}`,
      'use local up, local push or local show',
    );
  },
};

/** 12-digit account ids, each checked; a bad one names the flag. */
function readSpokeAccounts(values: readonly string[], flag = '--spoke'): string[] {
  for (const value of values)
    if (!/^[0-9]{12}$/.test(value))
      throw new InvalidInputError(flag, `${quoteInput(value)} is not a 12-digit account id`);
  return [...new Set(values)];
}
