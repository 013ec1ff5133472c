/**
 * A local AWS STS that answers GetCallerIdentity, the one call the CLI makes to learn who registers an
 * app. STS speaks the AWS Query protocol: a form-encoded POST (`Action=GetCallerIdentity&Version=
 * 2011-06-15`) answered in XML. The answer's shape is the one on
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html (Arn, UserId, Account
 * in a GetCallerIdentityResult, the request id in ResponseMetadata), and errors are Query errors
 * (`<ErrorResponse><Error><Type/><Code/><Message/></Error>`), as the SDK's AwsQueryProtocol parses them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
}

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

  private constructor(
    private readonly server: LoopbackServer,
    options: FakeStsServerOptions,
  ) {
    this.identity = options.identity ?? LOCAL_CALLER_IDENTITY;
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
    } else if (action !== 'GetCallerIdentity') {
      send(response, 400, errorXml(400, 'InvalidAction', `Could not find operation ${action || '(none)'}.`));
    } else {
      send(response, 200, this.identityXml());
    }
  }

  private identityXml(): string {
    const { arn, userId, account } = this.identity;
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
