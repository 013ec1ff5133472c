/**
 * The one line the CLI prints when a command fails on something outside it. The AWS clients of
 * cli/aws-context note on each error they throw which service, endpoint and table the call was for;
 * this reads the note back (through any `cause` an adapter wrapped the error in) and turns the failures
 * an operator fixes from their shell into what to check: an endpoint that does not answer (in local
 * mode: `local up` is not running) and a registry table that does not exist. Anything else keeps its
 * own message. Loaded with the CLI's entry point, so it imports no SDK.
 */
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { quoteInput } from '../lib/domain/errors.ts';

/** What an AWS call of the CLI was for, as its client knows it. */
export interface AwsCall {
  /** The service's name for people: DynamoDB, ECR, Secrets Manager, SQS. */
  readonly service: string;
  /** The endpoint the client was given, when one was (local peers, a VPC endpoint). */
  readonly endpoint?: string;
  /** Where that endpoint came from: `--endpoint` or the environment variable that named it. */
  readonly endpointFrom?: string;
  readonly region?: string;
  /** The DynamoDB table the call named. */
  readonly table?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

// A registered symbol, so that a note made by one copy of this module (the local package loads the
// product's cli/ through its exports) is read by another.
const NOTE = Symbol.for('ecr-image-updater.aws-call');

/** Remembers on a thrown error what the call was for (the first note wins: the innermost call's). */
export function noteAwsCall(error: unknown, call: AwsCall): void {
  if (typeof error === 'object' && error !== null && !Object.hasOwn(error, NOTE))
    Object.defineProperty(error, NOTE, { value: call });
}

/** The message for a command's failure: what failed and what to check, on one line. */
export function describeFailure(error: unknown, env: Env): string {
  const noted = findNote(error);
  if (noted) {
    const { cause, call } = noted;
    const unreachable = connectionFailure(cause);
    if (unreachable) return describeUnreachable(call, unreachable, env);
    if (call.service === 'DynamoDB' && call.table && nameOf(cause) === 'ResourceNotFoundException')
      return describeMissingTable(call, call.table);
  }
  return error instanceof Error ? error.message : String(error);
}

function findNote(error: unknown): { cause: unknown; call: AwsCall } | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++) {
    const call = (e as { [NOTE]?: AwsCall })[NOTE];
    if (call) return { cause: e, call };
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

// Node's codes for an endpoint that cannot be reached, and the SDK's name for one that did not answer.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Node's words for a connection that failed, or nothing when the error is not one. */
function connectionFailure(error: unknown): string | undefined {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  if (Array.isArray(e.errors)) {
    // Node tries each address of a name (IPv4 and IPv6) and reports them together.
    const inner = e.errors.map(connectionFailure).filter((m): m is string => m !== undefined);
    if (inner.length > 0) return inner.join(', ');
  }
  if ((typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) || e.name === 'TimeoutError')
    return typeof e.message === 'string' && e.message !== '' ? e.message : String(e.code ?? e.name);
  return undefined;
}

function describeUnreachable(call: AwsCall, detail: string, env: Env): string {
  if (!call.endpoint)
    return `cannot reach ${call.service} (the AWS endpoint of ${call.region ?? 'the default region'}): ${detail}; check the region, the network and any proxy`;
  const where = `${call.service} at ${call.endpoint}${call.endpointFrom ? ` (from ${call.endpointFrom})` : ''}`;
  // `local up` writes the local account among the endpoints; an endpoint from that environment is a peer.
  const localMode = env[ENVIRONMENT.localAccount] !== undefined && call.endpointFrom !== '--endpoint';
  return localMode
    ? `cannot reach ${where}: ${detail}; that is a local-mode endpoint, so ecr-image-updater local up is not running: start it (ecr-image-updater local up --env-out .local.env) and source the file it writes again, as the ports change each time`
    : `cannot reach ${where}: ${detail}; check that endpoint and the network`;
}

function describeMissingTable(call: AwsCall, table: string): string {
  const where = [call.region ? `in ${call.region}` : '', call.endpoint ? `at ${call.endpoint}` : '']
    .filter(Boolean)
    .join(' ');
  return `the registry table ${quoteInput(table)} was not found${where ? ` ${where}` : ''}: check the table name (--table or $${ENVIRONMENT.table}: the stack's RegistryTable output), the region (--region or $AWS_REGION: the stack's region) and that the credentials are for the stack's account`;
}

function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}
