/**
 * A local AWS STS that answers GetCallerIdentity, the one call the CLI makes to learn who registers an
 * app, and AssumeRole, the hub's way into a spoke account's ECR
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): only roles added with
 * `addRole` exist, and only callers of the accounts a role trusts may assume it. STS speaks the AWS Query protocol: a form-encoded POST (`Action=GetCallerIdentity&Version=
 * 2011-06-15`) answered in XML. The answer's shape is the one on
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html (Arn, UserId, Account
 * in a GetCallerIdentityResult, the request id in ResponseMetadata), and errors are Query errors
 * (`<ErrorResponse><Error><Type/><Code/><Message/></Error>`), as the SDK's AwsQueryProtocol parses them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf } from './aws-json-server.ts';
import type { AwsWireFault } from './aws-wire-fault.ts';
import { FaultQueue, waitUnlessClosed } from './fault-queue.ts';
import { LoopbackServer } from './http/loopback-server.ts';
import { readBody } from './http/read-body.ts';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const BODY_LIMIT = { maxBytes: 64 * 1024, drain: true } as const;

/** Who the caller is, as GetCallerIdentity tells it. */
export interface CallerIdentity {
  readonly arn: string;
  readonly userId: string;
  readonly account: string;
}

export interface FakeStsServerOptions {
  /** Default: the IAM user `local-developer` of account 123456789012. */
  readonly identity?: CallerIdentity;
  readonly port?: number;
  /** The clock of credentials' expiry, epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** A role that AssumeRole may answer for: who may assume it, and for how long at most. */
export interface FakeRole {
  /** Accounts whose principals the role's trust policy admits. */
  readonly trustedAccounts: readonly string[];
  /** The role's MaxSessionDuration in seconds (IAM's default 3600). */
  readonly maxSessionSeconds?: number;
}

/** What an access key the fake issued stands for. */
interface IssuedKey {
  readonly account: string;
  readonly roleArn: string;
  readonly sessionName: string;
}

const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/((?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64}))$/;
// RoleSessionName: 2 to 64 characters of [\w+=,.@-] (AssumeRole's request parameters).
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** A fault of the next matching calls: `target` is an action name (`GetCallerIdentity`). */
export type StsFault = AwsWireFault;

export const LOCAL_CALLER_IDENTITY: CallerIdentity = {
  arn: 'arn:aws:iam::123456789012:user/local-developer',
  userId: 'AIDALOCALDEVELOPER0001',
  account: '123456789012',
};

export class FakeStsServer {
  /** Who every caller is; tests change it to play another team. */
  identity: CallerIdentity;
  /** Latency added to every call, in ms. */
  latencyMs = 0;
  readonly #faults = new FaultQueue<StsFault>(
    (fault, action) => fault.target === undefined || fault.target === action,
  );
  readonly #calls: string[] = [];
  readonly #roles = new Map<string, FakeRole>();
  readonly #issued = new Map<string, IssuedKey>();
  readonly #now: () => number;

  private constructor(
    private readonly server: LoopbackServer,
    options: FakeStsServerOptions,
  ) {
    this.identity = options.identity ?? LOCAL_CALLER_IDENTITY;
    this.#now = options.now ?? Date.now;
    server.serve((request, response) => this.serve(request, response));
  }

  static async start(options: FakeStsServerOptions = {}): Promise<FakeStsServer> {
    const server = await LoopbackServer.listen(options.port === undefined ? {} : { port: options.port });
    return new FakeStsServer(server, options);
  }

  get url(): string {
    return this.server.url;
  }

  /** The actions received so far, faulted ones included, oldest first. */
  get calls(): readonly string[] {
    return this.#calls;
  }

  /** Creates the role `roleArn` (as IAM's CreateRole with a trust policy would) for AssumeRole. */
  addRole(roleArn: string, role: FakeRole): void {
    if (!ROLE_ARN.test(roleArn)) throw new Error(`${roleArn} is not a role ARN`);
    this.#roles.set(roleArn, role);
  }

  /** The account of an access key this fake issued; `undefined` for any other key. */
  readonly accountOfKey = (accessKeyId: string): string | undefined => this.#issued.get(accessKeyId)?.account;

  injectFault(fault: StsFault): void {
    this.#faults.inject(fault);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, BODY_LIMIT);
    const form = new URLSearchParams(body ?? '');
    const action = form.get('Action') ?? '';
    this.#calls.push(action);
    const fault = (await waitUnlessClosed(this.latencyMs, this.server.closing))
      ? this.#faults.take(action)
      : { kind: 'reset' as const };
    if (
      fault?.kind === 'reset' ||
      (fault?.kind === 'delay' && !(await waitUnlessClosed(fault.ms, this.server.closing)))
    ) {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const code = fault.type ?? (fault.status >= 500 ? 'InternalFailure' : 'InjectedFault');
      send(response, fault.status, errorXml(fault.status, code, fault.message ?? 'Injected fault.'));
    } else if (request.method !== 'POST' || body === undefined) {
      send(response, 400, errorXml(400, 'InvalidAction', 'STS takes a form-encoded POST.'));
    } else if (form.get('Version') !== VERSION) {
      send(response, 400, errorXml(400, 'InvalidParameterValue', `Version must be ${VERSION}.`));
    } else if (action === 'AssumeRole') {
      const answer = this.assumeRole(form, this.callerIdentity(request));
      send(response, answer.status, answer.xml);
    } else if (action !== 'GetCallerIdentity') {
      send(response, 400, errorXml(400, 'InvalidAction', `Could not find operation ${action || '(none)'}.`));
    } else {
      send(response, 200, this.identityXml(this.callerIdentity(request)));
    }
  }

  // Keys this fake issued are their assumed role's session; any other key is `identity`.
  private callerIdentity(request: IncomingMessage): CallerIdentity {
    const key = callerOf(request).accessKeyId;
    const issued = key === undefined ? undefined : this.#issued.get(key);
    if (!issued) return this.identity;
    const name = ROLE_ARN.exec(issued.roleArn)?.[3] ?? 'role';
    return {
      arn: `arn:aws:sts::${issued.account}:assumed-role/${name}/${issued.sessionName}`,
      userId: `AROA${issued.account}:${issued.sessionName}`,
      account: issued.account,
    };
  }

  private assumeRole(form: URLSearchParams, caller: CallerIdentity): { status: number; xml: string } {
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const durationText = form.get('DurationSeconds');
    const duration = durationText === null ? 3600 : Number(durationText);
    const role = this.#roles.get(roleArn);
    const invalid = (message: string) => ({ status: 400, xml: errorXml(400, 'ValidationError', message) });
    if (!ROLE_ARN.test(roleArn))
      return invalid(
        `1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint`,
      );
    if (!SESSION_NAME.test(sessionName))
      return invalid(
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`,
      );
    // A role that does not exist, or whose trust policy does not admit the caller, answers the same
    // AccessDenied (403), so a caller cannot tell which.
    if (!role?.trustedAccounts.includes(caller.account))
      return {
        status: 403,
        xml: errorXml(
          403,
          'AccessDenied',
          `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        ),
      };
    if (!Number.isInteger(duration) || duration < 900 || duration > (role.maxSessionSeconds ?? 3600))
      return invalid(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
    const account = ROLE_ARN.exec(roleArn)![1]!;
    const accessKeyId = `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
    this.#issued.set(accessKeyId, { account, roleArn, sessionName });
    const expiration = new Date(this.#now() + duration * 1000).toISOString();
    const name = ROLE_ARN.exec(roleArn)![3]!;
    return {
      status: 200,
      xml: `<AssumeRoleResponse xmlns="${NAMESPACE}">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(name)}/${escapeXml(sessionName)}</Arn>
      <AssumedRoleId>AROA${account}:${escapeXml(sessionName)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${randomUUID().replace(/-/g, '')}</SecretAccessKey>
      <SessionToken>${randomUUID()}${randomUUID()}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`,
    };
  }

  private identityXml(identity: CallerIdentity): string {
    const { arn, userId, account } = identity;
    return `<GetCallerIdentityResponse xmlns="${NAMESPACE}">
  <GetCallerIdentityResult>
    <Arn>${escapeXml(arn)}</Arn>
    <UserId>${escapeXml(userId)}</UserId>
    <Account>${escapeXml(account)}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`;
  }
}

function errorXml(status: number, code: string, message: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}">
  <Error>
    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`;
}

function send(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(xml);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
