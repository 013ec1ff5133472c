/**
 * The updater's Lambda functions, built one way: the push function and the write queue's writer run the
 * same bundle (two of its exports, ./function-code.ts), each with a role and a log group of its own.
 * Prebuilt in the published package; bundled from source in this repository, where both functions
 * bundle the same entry with the same options, so CDK bundles once and stages one asset.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRY, functionBundling } from './function-bundling.ts';
import { type FunctionEntryPoint, prebuiltFunctionDir, prebuiltHandler } from './function-code.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/**
 * The most reserved concurrency the construct takes. Lambda refuses a reservation that leaves fewer than
 * 100 of the account's concurrent executions unreserved ("UnreservedConcurrentExecution below its
 * minimum value of [100]"; https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html),
 * and an account starts with 1,000: 900 is what a default account can give. The account's real limit,
 * and what other functions reserve, are known only at deploy; docs/deploy.md says how to read them.
 */
export const MAX_RESERVED_CONCURRENCY = 900;
export const RESERVED_CONCURRENCY_RULE = `from 1 to ${MAX_RESERVED_CONCURRENCY}`;
export const RESERVED_CONCURRENCY_WHY =
  "Lambda keeps 100 of the account's concurrency unreserved, 1,000 by default";

/** What both functions share: size, time limit, network and configuration. */
export type FunctionSettings = Pick<
  lambda.FunctionOptions,
  'memorySize' | 'timeout' | 'vpc' | 'vpcSubnets' | 'securityGroups' | 'environment'
>;

export interface UpdaterFunctionProps {
  readonly entryPoint: FunctionEntryPoint;
  readonly description: string;
  /** What the role is for, in its IAM description. */
  readonly roleDescription: string;
  readonly logRetention: logs.RetentionDays;
  readonly settings: FunctionSettings;
  readonly reservedConcurrency?: number | undefined;
}

export interface UpdaterFunction {
  readonly function: lambda.Function;
  /** The function's own role: it may write its logs, and nothing else until granted. */
  readonly role: iam.Role;
}

/** Creates `Logs`, `Role` and `Function` in `scope`. */
export function createUpdaterFunction(scope: Construct, props: UpdaterFunctionProps): UpdaterFunction {
  const reserved = props.reservedConcurrency;
  // A value known only at deploy (a parameter) is Lambda's to check.
  if (
    reserved !== undefined &&
    !Token.isUnresolved(reserved) &&
    !(Number.isInteger(reserved) && reserved >= 1 && reserved <= MAX_RESERVED_CONCURRENCY)
  )
    throw new Error(
      `reservedConcurrency: ${reserved} is not a whole number ${RESERVED_CONCURRENCY_RULE}; ${RESERVED_CONCURRENCY_WHY}`,
    );
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);

  const functionProps = {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    role,
    logGroup,
    description: props.description,
    ...props.settings,
    ...(props.reservedConcurrency === undefined
      ? {}
      : { reservedConcurrentExecutions: props.reservedConcurrency }),
  } satisfies Partial<lambda.FunctionProps>;
  const prebuilt = prebuiltFunctionDir();
  // With our lock file (a checkout of this repository) esbuild runs at its root; else where CDK finds one.
  const ownLockFile = existsSync(LOCK_FILE);
  const fn = prebuilt
    ? new lambda.Function(scope, 'Function', {
        ...functionProps,
        code: lambda.Code.fromAsset(prebuilt),
        handler: prebuiltHandler(props.entryPoint),
      })
    : new NodejsFunction(scope, 'Function', {
        ...functionProps,
        entry: FUNCTION_ENTRY,
        // NodejsFunction names the file itself: the handler becomes `index.<entryPoint>`.
        handler: props.entryPoint,
        ...(ownLockFile ? { projectRoot: PROJECT_ROOT, depsLockFilePath: LOCK_FILE } : {}),
        bundling: functionBundling(ownLockFile ? PROJECT_ROOT : undefined),
      });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions::AwsSolutions-L1',
    reason:
      'nodejs22.x on purpose: the runtime this release targets (esbuild target node22); moving to a newer runtime waits until the test suite runs on it.',
  });
  return { function: fn, role };
}
