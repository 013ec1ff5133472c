/**
 * A spoke of a hub updater (ImageUpdaterHub, the `spokes` of ImageUpdater): deployed in each account
 * and region whose ECR the hub follows, it forwards that account's ECR events of the watched
 * repositories to the hub's event bus, and holds the read role the hub's functions assume to read them.
 *
 * The forwarding rule targets the hub bus by ARN, in another account and, when the hub is elsewhere,
 * another region: EventBridge delivers to an event bus in another account or region with a role of the
 * sender's account that may `events:PutEvents` on it ("Sending and receiving events between AWS
 * accounts" and "Sending events between AWS Regions", EventBridge user guide; aws-events-targets'
 * EventBus target creates that role). The read role allows DescribeImages, BatchGetImage,
 * GetDownloadUrlForLayer and DescribeImageScanFindings on the watched repositories only, and trusts the
 * hub's account (narrowed to the hub functions' roles when their ARNs are given).
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SPOKE_READ_ROLE_NAME } from '../lib/adapters/environment.ts';
import { createDeadLetterQueue } from './dead-letter-queue.ts';
import { acknowledgeRepositoryWildcards, watchedRepositoryReads } from './function-grants.ts';
import { rulePattern, scanKind, type WatchedRepositories } from './watched-repositories.ts';

export interface ImageUpdaterSpokeProps {
  /** The hub's bus (`ImageUpdater.hub.bus.eventBusArn`), e.g. `arn:aws:events:eu-west-1:111111111111:event-bus/name`. */
  readonly hubEventBusArn: string;
  /** The repositories of this account and region whose events reach the hub. */
  readonly repositories: WatchedRepositories;
  /**
   * The read role is global to the account: `create` it in one region of the account, `attach` this
   * region's reads to it (created by the spoke of another region) in the others. Default: `create`.
   */
  readonly readRole?: 'create' | 'attach';
  /** Default: `ecr-image-updater-spoke-read`, the name the hub assumes unless it is given a role ARN. */
  readonly roleName?: string;
  /**
   * The hub functions' role ARNs (`ImageUpdater.functionRoleArns`): only they may assume the read role.
   * Default: any principal of the hub account that its own IAM allows `sts:AssumeRole` on the role.
   */
  readonly hubRoleArns?: readonly string[];
  /**
   * Forward completed image scans too (ECR basic and Amazon Inspector), so apps gated on a scan move
   * when a spoke's image is scanned. Default: true, as the hub's own `scanEvents`.
   */
  readonly scanEvents?: boolean;
}

// arn:<partition>:events:<region>:<account>:event-bus/<name>
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:([0-9]{12}):event-bus\/[\w.\-/]{1,256}$/;

export class ImageUpdaterSpoke extends Construct {
  readonly rule: events.Rule;
  /** The rules forwarding completed scans; none with `scanEvents: false`. */
  readonly scanRules: readonly events.Rule[];
  /** Where events the hub bus did not take end, after EventBridge's retries (24 hours). */
  readonly deadLetterQueue: sqs.Queue;
  /** The read role (imported by name with `readRole: 'attach'`). */
  readonly readRole: iam.IRole;
  readonly readPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: ImageUpdaterSpokeProps) {
    super(scope, id);
    const hubAccount = BUS_ARN.exec(props.hubEventBusArn)?.[1];
    if (!hubAccount) throw new Error(`hubEventBusArn: '${props.hubEventBusArn}' is not an event bus ARN`);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.account) && stack.account === hubAccount)
      throw new Error(
        `ImageUpdaterSpoke: the stack's account ${hubAccount} is the hub's; a spoke is another account`,
      );
    const roleName = props.roleName ?? SPOKE_READ_ROLE_NAME;

    const pattern = props.repositories.eventPattern();
    this.rule = new events.Rule(this, 'ForwardToHub', {
      description: `ECR events of ${props.repositories.describe(400)} forwarded to the image updater hub`,
      eventPattern: rulePattern(pattern),
    });
    const hubBus = events.EventBus.fromEventBusArn(this, 'HubBus', props.hubEventBusArn);
    this.deadLetterQueue = createDeadLetterQueue(this, 'ForwardDeadLetters', {
      reason:
        'This queue is the dead-letter queue of the forwarding rule: a dead-letter queue of its own would only move the problem; redrive its events to the hub bus once the hub takes them.',
    });
    const toHub = new targets.EventBus(hubBus, { deadLetterQueue: this.deadLetterQueue });
    this.rule.addTarget(toHub);
    // Completed scans are triggers as pushes are (the hub's scan rules take them from its bus).
    const scans = (props.scanEvents ?? true) ? props.repositories.scanEventPatterns() : [];
    this.scanRules = scans.map((scan, index) => {
      const rule = new events.Rule(this, `ForwardScansToHub${index === 0 ? '' : index + 1}`, {
        description: `Completed image scans (${scanKind(scan)}) of ${props.repositories.describe(350)} forwarded to the image updater hub`,
        eventPattern: rulePattern(scan),
      });
      rule.addTarget(toHub);
      return rule;
    });

    if ((props.readRole ?? 'create') === 'create') {
      const hubPrincipal = new iam.AccountPrincipal(hubAccount);
      this.readRole = new iam.Role(this, 'ReadRole', {
        roleName,
        description: 'ecr-image-updater: the hub reads the watched ECR repositories of this account',
        assumedBy: props.hubRoleArns?.length
          ? hubPrincipal.withConditions({ ArnEquals: { 'aws:PrincipalArn': [...props.hubRoleArns] } })
          : hubPrincipal,
      });
    } else {
      this.readRole = iam.Role.fromRoleName(this, 'ReadRole', roleName);
    }
    // A policy per region, named so, as every region's spoke attaches its own to the one role.
    this.readPolicy = new iam.Policy(this, 'ReadPolicy', {
      policyName: `ecr-image-updater-spoke-read-${stack.region}`,
      roles: [this.readRole],
      statements: [watchedRepositoryReads(this, props.repositories)],
    });
    acknowledgeRepositoryWildcards(this.readPolicy, this, props.repositories);
  }
}
