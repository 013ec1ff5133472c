import { createConnection } from 'node:net';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { AwsJsonError, AwsJsonServer } from '@ecr-image-updater/local/aws-json-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

let server: AwsJsonServer;
let client: ECRClient;
let failNext: Error | undefined;

beforeEach(async () => {
  failNext = undefined;
  server = await AwsJsonServer.start({
    targetPrefix: TARGET_PREFIX,
    handlers: {
      DescribeRepositories: (input) => {
        if (failNext) throw failNext;
        return {
          repositories: [{ repositoryName: input.registryId ?? 'default', createdAt: 1_700_000_000.5 }],
        };
      },
    },
  });
  client = new ECRClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterEach(async () => {
  client.destroy();
  await server.close();
});

function describeRepositories() {
  return client.send(new DescribeRepositoriesCommand({ registryId: '111122223333' }));
}

function post(target: string, body: string): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
    body,
  });
}

describe('AwsJsonServer', () => {
  it('routes x-amz-target to its handler and answers JSON the SDK parses', async () => {
    const output = await describeRepositories();
    expect(output.repositories).toEqual([
      { repositoryName: '111122223333', createdAt: new Date(1_700_000_000_500) },
    ]);
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers with the AWS JSON 1.1 content type', async () => {
    const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}');
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({
      repositories: [{ repositoryName: 'default', createdAt: 1_700_000_000.5 }],
    });
  });

  it('reads an empty body as an empty input', async () => {
    const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, '');
    expect(response.status).toBe(200);
  });

  it('turns a thrown AwsJsonError into the exception class the SDK maps from __type', async () => {
    failNext = new AwsJsonError('RepositoryNotFoundException', 'The repository does not exist');
    const error = await describeRepositories().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect(error).toMatchObject({
      message: 'The repository does not exist',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('carries an error fields next to __type and message', async () => {
    failNext = new AwsJsonError('InvalidLayerPartException', 'bad part', 400, { lastValidByteReceived: 9 });
    const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}');
    expect(await response.json()).toEqual({
      __type: 'InvalidLayerPartException',
      message: 'bad part',
      lastValidByteReceived: 9,
    });
  });

  it('answers an unexpected handler failure with a 500 InternalFailure', async () => {
    failNext = new Error('handler bug');
    const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ __type: 'InternalFailure', message: 'handler bug' });
  });

  it('answers an unknown operation with 400 UnknownOperationException', async () => {
    for (const target of [`${TARGET_PREFIX}.DescribeNothing`, 'secretsmanager.GetSecretValue', '']) {
      const response = await post(target, '{}');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
    }
  });

  it('answers malformed JSON with 400 SerializationException', async () => {
    for (const body of ['{"registryId":', '[1, 2]', '"text"', 'null']) {
      const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
    }
  });

  it('answers 404 to anything but POST /', async () => {
    const response = await fetch(`${server.url}/v2/blobs/sha256:abc`);
    expect(response.status).toBe(404);
  });

  it('logs every call with its operation name and time', async () => {
    const before = Date.now();
    await describeRepositories();
    await describeRepositories();
    await post('secretsmanager.GetSecretValue', '{}');
    expect(server.callCount()).toBe(3);
    expect(server.callCount('DescribeRepositories')).toBe(2);
    expect(server.calls.map((call) => call.target)).toEqual([
      'DescribeRepositories',
      'DescribeRepositories',
      'secretsmanager.GetSecretValue',
    ]);
    expect(server.calls[0]?.at).toBeGreaterThanOrEqual(before);
    server.clearCalls();
    expect(server.callCount()).toBe(0);
  });

  it('has an injected 500 retried by the SDK, which then succeeds', async () => {
    server.injectFault({ target: 'DescribeRepositories', kind: 'status', status: 500 });
    const output = await describeRepositories();
    expect(output.$metadata.attempts).toBe(2);
    expect(server.callCount('DescribeRepositories')).toBe(2);
  });

  it('has an injected 400 ThrottlingException retried by the SDK', async () => {
    server.injectFault({
      kind: 'status',
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    const output = await describeRepositories();
    expect(output.$metadata.attempts).toBe(2);
  });

  it('surfaces a fault that outlasts the retries as the SDK exception with its status', async () => {
    server.injectFault({ kind: 'status', status: 503, type: 'ServiceUnavailable', times: 3 });
    const error = await describeRepositories().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ECRServiceException);
    expect(error).toMatchObject({
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503, attempts: 3 },
    });
  });

  it('surfaces a reset fault as a network error after the SDK retries', async () => {
    server.injectFault({ kind: 'reset', times: 5 });
    const error = await describeRepositories().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ECRServiceException);
    expect(error).toMatchObject({ code: 'ECONNRESET', $metadata: { attempts: 3 } });
    expect(server.callCount()).toBe(3);
    // Two resets are left for whatever calls next.
    await expect(post(`${TARGET_PREFIX}.DescribeRepositories`, '{}')).rejects.toThrow();
  });

  it('sends Retry-After with an injected fault that asks for it', async () => {
    server.injectFault({ kind: 'status', status: 429, type: 'ThrottlingException', retryAfterSeconds: 2 });
    const response = await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ __type: 'ThrottlingException', message: 'Injected fault.' });
  });

  it('consumes faults in order, each only on its target', async () => {
    server.injectFault({ target: 'ListImages', kind: 'status', status: 400, type: 'First' });
    server.injectFault({ kind: 'status', status: 400, type: 'Second' });
    server.injectFault({ kind: 'status', status: 400, type: 'Third' });
    const types = [];
    for (const operation of ['DescribeRepositories', 'ListImages', 'DescribeRepositories']) {
      types.push(
        ((await (await post(`${TARGET_PREFIX}.${operation}`, '{}')).json()) as { __type: string }).__type,
      );
    }
    expect(types).toEqual(['Second', 'First', 'Third']);
    expect((await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}')).status).toBe(200);
  });

  it('drops pending faults on clearFaults', async () => {
    server.injectFault({ kind: 'status', status: 500, times: 10 });
    server.clearFaults();
    expect((await post(`${TARGET_PREFIX}.DescribeRepositories`, '{}')).status).toBe(200);
  });

  it('answers late, then normally, with a delay fault', async () => {
    server.injectFault({ kind: 'delay', ms: 150 });
    const started = performance.now();
    await describeRepositories();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.callCount()).toBe(1);
  });

  it('adds latencyMs to every call, set at start or later', async () => {
    const slow = await AwsJsonServer.start({ targetPrefix: TARGET_PREFIX, latencyMs: 80 });
    const started = performance.now();
    await fetch(slow.url, { method: 'POST', headers: { 'x-amz-target': `${TARGET_PREFIX}.X` }, body: '{}' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    await slow.close();

    server.latencyMs = 100;
    const later = performance.now();
    await describeRepositories();
    expect(performance.now() - later).toBeGreaterThanOrEqual(90);
    server.latencyMs = 0;
    const fast = performance.now();
    await describeRepositories();
    expect(performance.now() - fast).toBeLessThan(90);
  });

  it('frees its port on close, even with a keep-alive connection open', async () => {
    await describeRepositories();
    const { port } = new URL(server.url);
    await server.close();
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection(Number(port), '127.0.0.1');
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    const again = await AwsJsonServer.start({ targetPrefix: TARGET_PREFIX, port: Number(port) });
    expect(again.url).toBe(`http://127.0.0.1:${port}`);
    await again.close();
  });

  it('closes promptly while a delayed call is pending', async () => {
    server.injectFault({ kind: 'delay', ms: 60_000 });
    const pending = post(`${TARGET_PREFIX}.DescribeRepositories`, '{}').catch((error: unknown) => error);
    await expect.poll(() => server.callCount()).toBe(1);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
