import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { awsClients, sqsClient } from 'ecr-image-updater/cli/aws-context';
import { type Command, findAction, parseActionFlags } from 'ecr-image-updater/cli/command';
import { type CliIo, EXIT } from 'ecr-image-updater/cli/io';
import { createImagePushDependencies } from 'ecr-image-updater/lib/adapters/create-image-push-dependencies';
import { ENVIRONMENT } from 'ecr-image-updater/lib/adapters/environment';
import { MemoryLogger } from 'ecr-image-updater/lib/adapters/memory-logger';
import { readRuntimeConfig } from 'ecr-image-updater/lib/adapters/runtime-config';
import { handleImagePush } from 'ecr-image-updater/lib/app/handle-image-push';
import { RetryableFailureError, retryableFailures, summarizeApp } from 'ecr-image-updater/lib/app/outcomes';
import { InvalidInputError, quoteInput } from 'ecr-image-updater/lib/domain/errors';
import { parsePlatforms } from 'ecr-image-updater/lib/domain/tags/tag-filters';
import { deliverPush } from '../deliver-push.ts';
import { lambdaFailureRecord } from '../lambda-failure-record.ts';
import { describeDelivery } from '../tutorial/describe-delivery.ts';
import { localShow } from './local-show.ts';
import { localUp } from './local-up.ts';
import { noLocalPeersError } from './no-local-peers.ts';

const HELP = `Usage: ecr-image-updater local <up|push|show> [options]

Local mode: the whole flow on embedded peers, with no AWS account and no Docker.

  local up [--env-out <path>] [--data-dir <dir>] [--keep]
      Starts DynamoDB (dynalite, holding the registry table), ECR, Secrets Manager, SQS (the
      dead-letter queue that local push feeds and redrive reads), a GitHub backed by real git
      repositories (seeded with the tutorial's devopscube/argocd-image-updater and its flask-app chart)
      and an Argo CD API (holding the Application of examples/argocd-application.yaml), prints the
      environment that points the CLI at them as export lines, and runs until Ctrl-C.
      --env-out <path>  also writes the environment to <path>, to source in another shell
                        (--env-file is another spelling where Node lets it through: Node 20 takes
                        --env-file for itself)
      --data-dir <dir>  keeps the local state in <dir> (made when missing) and resumes from it: the
                        registrations and their history, ECR's images, Argo CD's Applications, the
                        dead-letter queue's messages, and the git repositories with their pull
                        requests. The registry and the repositories are written as they change; the
                        images, Applications and messages when local up stops. The Secrets Manager
                        tokens are seeded on every start, and the ports change: source the new env file.
      --keep            after Ctrl-C keeps the env file, and without --data-dir the temporary state
                        folder (resume it with --data-dir); by default both are removed

  local push <repository>:<tag> [--platforms linux/amd64,linux/arm64] [--digest sha256:...] [--json]
      Pushes an image to the local ECR over its API (several platforms push an image index; --digest
      tags an image ECR already holds) and delivers the events ECR emits through the same handler the
      Lambda runs, printing what each app did. An event that still fails in a way a retry could fix
      goes to the dead-letter queue, as the deployed function's does after Lambda's retries:
      ecr-image-updater redrive shows and replays it. Needs the environment of local up.

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
  $ git -C "$${ENVIRONMENT.gitopsDir}/devopscube/argocd-image-updater.git" log --oneline
  $ ecr-image-updater local show
`;

const ACTIONS = {
  up: {
    'env-out': { type: 'string' },
    'env-file': { type: 'string' },
    keep: { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  push: {
    platforms: { type: 'string' },
    digest: { type: 'string' },
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
      });
    }
    if (action === 'push') {
      const { values, positionals } = parseActionFlags(
        'local',
        args,
        { name: action, flags: ACTIONS.push, arguments: 1 },
        ACTIONS,
      );
      return push(io, positionals[1], values.platforms, values.digest, values.json ?? false);
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

async function push(
  io: CliIo,
  target: string | undefined,
  platforms: string | undefined,
  digest: string | undefined,
  json: boolean,
): Promise<number> {
  const match = /^([a-z0-9][a-z0-9._/-]*):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(target ?? '');
  if (!match)
    throw new InvalidInputError(
      'usage',
      `${quoteInput(target ?? '')} is not <repository>:<tag>`,
      'e.g. ecr-image-updater local push flask-app:1.0.2',
    );
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new InvalidInputError('--digest', `${quoteInput(digest)} is not a sha256 digest`);
  const platformList = platforms === undefined ? undefined : parsePlatformList(platforms);
  const accountId = io.env[ENVIRONMENT.localAccount];
  if (!io.env.AWS_ENDPOINT_URL_ECR || !accountId) {
    throw noLocalPeersError();
  }
  const logger = new MemoryLogger();
  const clients = awsClients(io);
  const deps = createImagePushDependencies(readRuntimeConfig(io.env), logger, clients);
  const delivered = await deliverPush(clients.ecr, (event) => handleImagePush(deps, event), {
    accountId,
    region: io.env.AWS_REGION ?? 'us-west-2',
    repository: match[1]!,
    tag: match[2]!,
    ...(platformList ? { platforms: platformList } : {}),
    ...(digest ? { digest } : {}),
  });
  // Local mode does not retry an invocation as Lambda does (twice, with backoff): an event that still
  // has a failure a retry could fix goes straight to the dead-letter queue, for redrive.
  const deadLettered = delivered.deliveries.flatMap(({ event, outcome }) => {
    const retry = outcome.kind === 'handled' ? retryableFailures(outcome.apps) : [];
    return retry.length > 0 ? [{ event, retry }] : [];
  });
  const queueUrl = io.env[ENVIRONMENT.deadLetterQueueUrl];
  if (queueUrl)
    for (const { event, retry } of deadLettered) {
      const error = new RetryableFailureError(retry);
      await sqsClient(io).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: lambdaFailureRecord(
            event,
            { errorType: error.name, errorMessage: error.message },
            {
              functionArn: `arn:aws:lambda:${event.region}:${event.account}:function:ecr-image-updater`,
              at: new Date(),
            },
          ),
        }),
      );
    }
  const lines = describeDelivery(delivered, summarizeApp);
  if (deadLettered.length > 0)
    lines.push(
      queueUrl
        ? '  local mode does not retry as Lambda does: the event is in the local dead-letter queue; ecr-image-updater redrive --apply replays it once the cause is fixed'
        : `  local mode does not retry as Lambda does, and no dead-letter queue is set ($${ENVIRONMENT.deadLetterQueueUrl}): push again once the cause is fixed`,
    );
  io.stdout(json ? `${JSON.stringify(delivered)}\n` : `${lines.join('\n')}\n`);
  const failed = delivered.deliveries.some(
    (d) => d.outcome.kind === 'handled' && d.outcome.apps.some((a) => a.kind === 'failed'),
  );
  return failed ? EXIT.failure : EXIT.ok;
}

// --platforms as `local push` takes it: os/arch[/variant], comma-separated, each once.
function parsePlatformList(text: string): string[] {
  const list = text
    .split(',')
    .map((platform) => platform.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new InvalidInputError(
      '--platforms',
      'names no platform',
      'e.g. --platforms linux/amd64,linux/arm64',
    );
  parsePlatforms(list, '--platforms');
  const twice = list.findIndex((platform, index) => list.indexOf(platform) !== index);
  if (twice !== -1)
    throw new InvalidInputError(
      `--platforms[${twice}]`,
      `${quoteInput(list[twice]!)} is given twice`,
      'name each platform once',
    );
  return list;
}
