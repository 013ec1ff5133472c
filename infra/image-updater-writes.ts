/**
 * The write queue and its writer: git writes coalesced per GitOps branch, Argo CD writes one
 * Application at a time. The push function queues one message per app in a FIFO queue, grouped by
 * branch or by Argo CD Application (lib/app/queued-write.ts); the writer takes batches of up to 10,
 * re-evaluates each app against its tags as they are then, makes one commit per branch and one patch
 * per Application (lib/app/write-queued-apps.ts). FIFO order within a group means the writer never
 * races itself on a branch or an Application. A write that failed comes back after the visibility
 * timeout; an Argo CD write whose sync is pending sooner, as the writer hides it for less
 * (PENDING_SYNC_WAIT_SECONDS in lib/app/write-queued-apps.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import { type FunctionAccess, grantWriter } from './function-grants.ts';
import { createUpdaterFunction, type FunctionSettings } from './updater-function.ts';

export interface ImageUpdaterWritesProps {
  /** The writer's settings: the push function's (the construct gives it the queue's URL). */
  readonly settings: FunctionSettings & { readonly timeout: Duration };
  readonly logRetention: logs.RetentionDays;
  readonly access: FunctionAccess;
}

/**
 * Receives before a message goes to the dead-letter queue. A message comes back when the writer hands
 * it back (a failure a retry may fix: GitHub unavailable or rate-limited, a race lost five times in one
 * invocation) or crashes, and each time after the visibility timeout: 5 receives are about an hour at
 * the default 2-minute timeout (12-minute visibility), which outlasts GitHub's secondary rate limits
 * and short outages. The bound matters because a failing message holds up its branch: FIFO delivers
 * nothing more of its group until it is deleted or moved.
 */
export const WRITE_MAX_RECEIVE_COUNT = 5;

/**
 * The writer's concurrency cap. FIFO already limits it to the number of branches with messages waiting
 * ("Configuring scaling behavior for SQS event source mappings", Lambda Developer Guide); a batch holds
 * at most 10 messages of one app each, so an invocation has at most 10 GitHub requests in flight, and 10
 * invocations stay within GitHub's 100 concurrent requests ("Rate limits for the REST API", secondary
 * rate limits: shared by REST and GraphQL). The cap is the event source mapping's, not reserved
 * concurrency: a throttled invocation would hand its messages back and count a receive.
 */
export const WRITER_MAX_CONCURRENCY = 10;

export class ImageUpdaterWrites extends Construct {
  /** The FIFO queue of writes, one message group per GitOps branch or Argo CD Application. */
  readonly queue: sqs.Queue;
  /** Where a write goes after {@link WRITE_MAX_RECEIVE_COUNT} receives (FIFO, as SQS requires of a FIFO queue's). */
  readonly deadLetterQueue: sqs.Queue;
  /** The writer: the push function's bundle, entry point `writeHandler`. */
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: ImageUpdaterWritesProps) {
    super(scope, id);
    // For a FIFO queue the retention restarts when a message moves to its dead-letter queue ("Setting-up
    // dead-letter queue retention in Amazon SQS", SQS Developer Guide): 14 days from then.
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', {
      fifo: true,
      reason:
        "This queue is the write queue's dead-letter queue. A dead-letter queue of its own would only move the problem; its depth alarms.",
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      // The push function gives each message its id (trigger, repository, app): a retried push sends
      // the same id and SQS drops it within 5 minutes, though the body differs (it carries the time it
      // was queued), so content-based deduplication would not.
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // "Set the source queue's visibility timeout to at least six times the configuration timeout on
      // your function", so Lambda can retry a throttled batch ("Creating and configuring an Amazon SQS
      // event source mapping", Lambda Developer Guide, from "Using Lambda with Amazon SQS").
      visibilityTimeout: Duration.seconds(6 * props.settings.timeout.toSeconds()),
      // A write may wait as long as SQS keeps anything while the writer cannot run: an old message is
      // harmless, since the writer chooses the tag when it writes.
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WRITE_MAX_RECEIVE_COUNT },
    });

    const writer = createUpdaterFunction(this, {
      entryPoint: 'writeHandler',
      description:
        'ecr-image-updater: writes the queued git writes of a GitOps branch in one commit, each app at the tag its strategy allows now',
      roleDescription:
        "ecr-image-updater writer: consumes the write queue; reads the watched ECR repositories, the apps' registrations and the connections' secrets",
      logRetention: props.logRetention,
      settings: props.settings,
      // No reserved concurrency: FIFO delivers one batch at a time per branch, so writes to a branch are
      // serialized by the queue, not by capping the function; WRITER_MAX_CONCURRENCY bounds the rest.
    });
    this.function = writer.function;
    grantWriter(writer.role, this, props.access);
    // The writer never sends: the URL is for ChangeMessageVisibility on the writes it hands back to wait
    // on a running Argo CD sync, which the event source's consume grant below allows.
    this.function.addEnvironment(ENVIRONMENT.writeQueueUrl, this.queue.queueUrl);
    // Grants the role the consume actions (receive, delete, change visibility, attributes) on this
    // queue. No batching window: "Batching window is not supported for FIFO queues" ("Lambda parameters
    // for Amazon SQS event source mappings", Lambda Developer Guide); writes that arrive while a batch is
    // in flight wait for the next one, which is what coalesces a burst. Partial batch responses: the
    // writer hands back only what should be retried (with the rest of its group, as FIFO requires).
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: WRITER_MAX_CONCURRENCY,
      }),
    );
  }

  /**
   * Lets the push function queue writes: `sqs:SendMessage` on this queue only. It sends with
   * SendMessageBatch, which has no action of its own: SendMessage's permission covers it ("Amazon SQS
   * batch actions", SQS Developer Guide).
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage'],
      resourceArns: [this.queue.queueArn],
    });
  }
}
