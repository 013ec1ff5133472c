/**
 * `ecr-image-updater redrive`: replays the dead-letter queue through the same use case as a push, once
 * the cause is fixed. It reads and explains first; `--apply` replays.
 */
import { createImagePushDependencies } from '../../lib/adapters/create-image-push-dependencies.ts';
import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import { MemoryLogger } from '../../lib/adapters/memory-logger.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { SqsDeadLetterQueue } from '../../lib/adapters/sqs-dead-letter-queue.ts';
import { type RedrivenMessage, redriveDeadLetters } from '../../lib/app/redrive-dead-letters.ts';
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { AWS_FLAGS, AWS_HELP, awsClients, sqsClient } from '../aws-context.ts';
import { type Command, parseFlags } from '../command.ts';
import { EXIT } from '../io.ts';

const HELP = `Usage: ecr-image-updater redrive [--apply] [--queue-url <url>] [--max <n>] [options]

Replays the events the dead-letter queue holds (what failed after every retry: Lambda's failure
records and EventBridge's undelivered events) through the same use case as a push. Given the write
queue's dead-letter queue (the stack's WriteDeadLetterQueueUrl output), it writes its queued git
writes again, as the writer would.

Without --apply it only reads: each message's event, where it came from and why it failed; the
messages stay. With --apply it replays them: a message is deleted once its event is handled (or
was handled already), and kept when an app still fails in a way a retry could fix. Run it without
--apply first.

Options:
  --apply             replay for real (default: read and explain only)
  --queue-url <url>   the dead-letter queue (default: $${ENVIRONMENT.deadLetterQueueUrl}; the stack's
                      DeadLetterQueueUrl output, or its WriteDeadLetterQueueUrl)
  --max <n>           the most messages to look at (default 100)
${AWS_HELP}  -h, --help          this help

It needs what the function needs (the table, ECR reads, the connections' secrets) and
sqs:ReceiveMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility on the queue.

Exit codes: 0 done (nothing kept); 1 messages kept or unreadable; 2 invalid input.
`;

const FROM = {
  lambda: 'the function',
  eventbridge: 'EventBridge',
  'write queue': 'the write queue',
} as const;

const FLAGS = {
  ...AWS_FLAGS,
  apply: { type: 'boolean' },
  'queue-url': { type: 'string' },
  max: { type: 'string' },
} as const;

export const redriveCommand: Command = {
  name: 'redrive',
  help: HELP,
  accepts: { flags: FLAGS },
  async run(args, io) {
    const { values, positionals } = parseFlags('redrive', args, FLAGS);
    if (values.help) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0)
      throw new InvalidInputError(
        'usage',
        `unexpected ${quoteInput(positionals.join(' '))}`,
        'see ecr-image-updater redrive --help',
      );
    const queueUrl = values['queue-url'] ?? io.env[ENVIRONMENT.deadLetterQueueUrl];
    if (!queueUrl)
      throw new InvalidInputError(
        '--queue-url',
        'no dead-letter queue named',
        `give --queue-url or set ${ENVIRONMENT.deadLetterQueueUrl} (the stack's DeadLetterQueueUrl output)`,
      );
    const max = Number(values.max ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 10_000)
      throw new InvalidInputError(
        '--max',
        `${quoteInput(values.max ?? '')} is not a whole number from 1 to 10000`,
      );
    const deps = createImagePushDependencies(
      readRuntimeConfig(io.env, values.table),
      new MemoryLogger(),
      awsClients(io, values),
    );
    const queue = new SqsDeadLetterQueue({ queueUrl, client: sqsClient(io, values) });
    const results = await redriveDeadLetters({ ...deps, queue }, { apply: values.apply === true, max });
    io.stdout(values.json ? `${JSON.stringify(results)}\n` : format(results, values.apply === true));
    return results.some((r) => r.verdict === 'kept' || r.verdict === 'unreadable') ? EXIT.failure : EXIT.ok;
  },
};

function format(results: readonly RedrivenMessage[], applied: boolean): string {
  if (results.length === 0) return 'the dead-letter queue is empty\n';
  const lines = results.flatMap((result) => [
    `${result.verdict}: ${result.event ?? `message ${result.messageId}`}`,
    ...(result.from ? [`  from ${FROM[result.from]}: ${result.cause}`] : []),
    ...result.detail.map((line) => `  ${line}`),
  ]);
  if (!applied)
    lines.push('', `${results.length} message(s) read and left in the queue; replay them with --apply`);
  return `${lines.join('\n')}\n`;
}
