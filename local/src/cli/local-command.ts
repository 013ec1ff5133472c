import { rm, writeFile } from 'node:fs/promises';
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
import { InvalidInputError } from 'ecr-image-updater/lib/domain/errors';
import { deliverPush } from '../deliver-push.ts';
import { lambdaFailureRecord } from '../lambda-failure-record.ts';
import { LocalStack } from '../local-stack.ts';
import { describeDelivery } from '../tutorial/describe-delivery.ts';
import { flaskAppApplication } from '../tutorial/flask-app-application.ts';
import { flaskAppChart, TUTORIAL_APP_PATH, TUTORIAL_REPO } from '../tutorial/flask-app-chart.ts';

const HELP = `Usage: ecr-image-updater local <up|push> [options]

Local mode: the whole flow on embedded peers, with no AWS account and no Docker.

  local up [--env-out <path>] [--keep] [--data-dir <dir>]
      Starts DynamoDB (dynalite), ECR, Secrets Manager and a GitHub backed by real git repositories
      (seeded with the tutorial's devopscube/argocd-image-updater and its flask-app chart) and an Argo CD
      API (holding the Application of examples/argocd-application.yaml), prints the
      environment that points the CLI at them as export lines, writes it to --env-out (a file to
      source), and runs until Ctrl-C, which stops the peers and removes what they made (unless --keep).
      (--env-file is accepted too where Node lets it through: Node 20 takes --env-file for itself.)

  local push <repository>:<tag> [--platforms linux/amd64,linux/arm64] [--digest sha256:...] [--json]
      Pushes an image to the local ECR over its API (several platforms push an image index; --digest
      tags an image ECR already holds) and delivers the events ECR emits through the same handler the
      Lambda runs, printing what each app did. Needs the environment of local up.

Options:
  -h, --help          this help

Example, in two shells:
  $ ecr-image-updater local up --env-out .local.env
  $ source .local.env
  $ ecr-image-updater apps register -f examples/flask-app.yaml
  $ ecr-image-updater local push flask-app:1.0.2
  $ git -C "$${ENVIRONMENT.gitopsDir}/devopscube/argocd-image-updater.git" log --oneline
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
      return up(io, values['env-out'] ?? values['env-file'], values.keep ?? false, values['data-dir']);
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
    throw new InvalidInputError('usage', `unknown action '${action}'`, 'use local up or local push');
  },
};

async function up(
  io: CliIo,
  envFile: string | undefined,
  keep: boolean,
  dataDir: string | undefined,
): Promise<number> {
  const stack = await LocalStack.start({ ...(dataDir ? { dataDir } : {}), keepData: keep });
  const files = Object.entries(flaskAppChart(stack.registryHost)).map(([path, text]) => [
    `${TUTORIAL_APP_PATH}/${path}`,
    text,
  ]);
  if (!(await stack.github.hasRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name))) {
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      defaultBranch: TUTORIAL_REPO.branch,
      files: Object.fromEntries(files),
    });
  }
  const application = flaskAppApplication();
  if (!stack.argocd.application(application.metadata.name)) stack.argocd.putApplication(application);
  const exports = Object.entries(stack.env()).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  if (envFile) await writeFile(envFile, `${exports.join('\n')}\n`);
  io.stdout(
    [
      'Local peers are up (Ctrl-C stops them):',
      `  DynamoDB         ${stack.dynamodb.endpoint}`,
      `  ECR              ${stack.ecr.url}  (registry ${stack.registryHost})`,
      `  Secrets Manager  ${stack.secrets.url}`,
      `  GitHub           ${stack.github.url}  (repositories in ${stack.github.dataDir})`,
      `  Argo CD          ${stack.argocd.url}  (holds the Application of examples/argocd-application.yaml)`,
      '',
      envFile
        ? `Environment written to ${envFile}; in another shell: source ${envFile}`
        : 'Environment (paste into another shell):',
      ...exports,
      '',
      'ready',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stack.close();
  if (envFile && !keep) await rm(envFile, { force: true });
  io.stdout(
    keep
      ? `stopped; kept ${stack.github.dataDir}${envFile ? ` and ${envFile}` : ''}\n`
      : 'stopped; removed what the peers made\n',
  );
  return EXIT.ok;
}

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
      `'${target ?? ''}' is not <repository>:<tag>`,
      'e.g. ecr-image-updater local push flask-app:1.0.2',
    );
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new InvalidInputError('--digest', `'${digest}' is not a sha256 digest`);
  const accountId = io.env[ENVIRONMENT.localAccount];
  if (!io.env.AWS_ENDPOINT_URL_ECR || !accountId) {
    throw new InvalidInputError(
      'environment',
      'no local peers are known',
      'run ecr-image-updater local up --env-out .local.env, then source .local.env',
    );
  }
  const logger = new MemoryLogger();
  const clients = awsClients(io);
  const deps = createImagePushDependencies(readRuntimeConfig(io.env), logger, clients);
  const delivered = await deliverPush(clients.ecr, (event) => handleImagePush(deps, event), {
    accountId,
    region: io.env.AWS_REGION ?? 'us-west-2',
    repository: match[1]!,
    tag: match[2]!,
    ...(platforms
      ? {
          platforms: platforms
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        }
      : {}),
    ...(digest ? { digest } : {}),
  });
  // As the deployed function does after Lambda's retries: an event that still has a failure a retry
  // could fix goes to the dead-letter queue, for redrive.
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
  if (queueUrl && deadLettered.length > 0)
    lines.push(
      `  sent to the dead-letter queue, as Lambda does after its retries: ecr-image-updater redrive replays it`,
    );
  io.stdout(json ? `${JSON.stringify(delivered)}\n` : `${lines.join('\n')}\n`);
  const failed = delivered.deliveries.some(
    (d) => d.outcome.kind === 'handled' && d.outcome.apps.some((a) => a.kind === 'failed'),
  );
  return failed ? EXIT.failure : EXIT.ok;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
