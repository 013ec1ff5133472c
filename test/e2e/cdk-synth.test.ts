import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { functionBuildOptions } from '../../infra/function-bundling.ts';
import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// No credentials, no region, no profile: what a fresh clone on a laptop without AWS has.
const offline: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: mkdtempSync(join(tmpdir(), 'home-')),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const cdk = (args: readonly string[]) =>
  run(process.execPath, [join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), ...args], offline);

/**
 * The CDK app itself, as the cdk CLI runs it (the context arrives in CDK_CONTEXT_JSON), on a
 * configuration file named `name` that holds `text`.
 */
async function runApp(name: string, text: string): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));
  try {
    writeFileSync(join(dir, name), text);
    return await run(process.execPath, ['--import', 'tsx', join(ROOT, 'infra', 'app.ts')], {
      ...offline,
      CDK_CONTEXT_JSON: JSON.stringify({ config: join(dir, name) }),
      CDK_OUTDIR: join(dir, 'out'),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('npx cdk synth, offline with no credentials', () => {
  let synth: Run;
  beforeAll(async () => {
    synth = await cdk(['synth', '--quiet', '--output', out]);
  }, 120_000);

  it('synthesizes the stack and passes cdk-nag', () => {
    expect(synth.stderr).not.toMatch(/ERROR|Validation failed/);
    expect(synth.code).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'EcrImageUpdater.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::Events::Rule',
        'AWS::Lambda::Function',
        'AWS::DynamoDB::Table',
        'AWS::SQS::Queue',
        'AWS::CloudWatch::Dashboard',
      ]),
    );
  });

  it('prints no notice of feature flags left unconfigured', () => {
    expect(synth.stderr).not.toMatch(/feature flags? (is|are) not configured/);
  });

  it('sets in cdk.json every feature flag aws-cdk-lib recommends, at the value a new app gets', () => {
    const recommended = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8'),
    ) as Record<string, unknown>;
    const { context } = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8'));
    const differing = Object.entries(recommended)
      .filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value))
      .map(
        ([flag, value]) => `${flag}: ${JSON.stringify(context[flag])}, recommended ${JSON.stringify(value)}`,
      );
    expect(differing).toEqual([]);
  });

  it('keeps the logical IDs of the table and the queue that a deployed stack holds', () => {
    const template = JSON.parse(readFileSync(join(out, 'EcrImageUpdater.template.json'), 'utf8'));
    expect(template.Resources.UpdaterRegistryD117DB0B?.Type).toBe('AWS::DynamoDB::Table');
    expect(template.Resources.UpdaterDeadLetterQueueDE97F4F6?.Type).toBe('AWS::SQS::Queue');
  });

  it('bundles the handler into one minified ESM file with its source map, isomorphic-git in a file apart, and nothing else', () => {
    const assets = readdirSync(out).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const files = readdirSync(join(out, assets[0]!)).sort();
    expect(files).toEqual([
      'index.mjs',
      'index.mjs.map',
      'isomorphic-git.mjs',
      'isomorphic-git.mjs.map',
      'package.json',
    ]);
    expect(JSON.parse(readFileSync(join(out, assets[0]!, 'package.json'), 'utf8'))).toEqual({
      type: 'module',
      imports: { '#isomorphic-git': './isomorphic-git.mjs' },
    });
    const bundle = readFileSync(join(out, assets[0]!, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import{createRequire as __cr}from'node:module';")).toBe(true);
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000); // minified
    expect(bundle).not.toContain('dynalite');
    expect(bundle).not.toContain('aws-cdk-lib');
    // isomorphic-git is imported by name, on the first plain git write, not carried in index.mjs.
    expect(bundle).toContain('import("#isomorphic-git")');
    expect(bundle).not.toContain('One or more branches were not updated');
    expect(statSync(join(out, assets[0]!, 'index.mjs')).size).toBeGreaterThan(0);
  });

  it("is the bundle esbuild's API builds from infra/function-bundling.ts, the one the benchmark measures", async () => {
    const [asset] = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const shipped = readFileSync(join(out, asset!, 'index.mjs'), 'utf8');
    const { outputFiles } = await build({ ...functionBuildOptions(join(out, 'api-build')), write: false });
    expect(outputFiles.find((file) => file.path.endsWith('index.mjs'))?.text).toBe(shipped);
  });

  it('takes AWS credentials from the environment only, as Lambda gives them', () => {
    const [asset] = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const shipped = readFileSync(join(out, asset!, 'index.mjs'), 'utf8');
    expect(shipped).toContain('@aws-sdk/credential-provider-env - fromEnv');
    expect(shipped).not.toContain('defaultProvider::fromSSO');
  });

  it('refuses a configuration that cannot be deployed, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'repositories:\n  names: [Flask]\n');
    const bad = await cdk([
      'synth',
      '--quiet',
      '--output',
      join(dir, 'out'),
      '-c',
      `config=${join(dir, 'bad.yaml')}`,
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("repositories.names: 'Flask' is not an ECR repository name");
  }, 120_000);

  it('refuses a configuration of before connections with exit 2, saying where each field went', async () => {
    const result = await runApp(
      'old.yaml',
      'repositories: { names: [flask-app] }\ngithub: { secret: ecr-image-updater/github }\n',
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'ecr-image-updater: config.github: moved to connections; declare it as a GitHub connection: connections.github.<name> with secret, apiUrl and repositories (docs/connections.md)',
    ]);
  }, 60_000);

  it.each([
    [
      'a secret ARN without its suffix',
      'connections: { github: { gitops: { secret: "arn:aws:secretsmanager:us-west-2:123456789012:secret:gitops", repositories: [acme/gitops] } } }',
      "ecr-image-updater: config.connections.github.gitops.secret: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:gitops' is not a complete secret ARN",
    ],
    [
      'a repository name ECR refuses',
      'repositories: { names: [Flask] }',
      "ecr-image-updater: config.repositories.names: 'Flask' is not an ECR repository name",
    ],
  ])(
    'refuses %s with exit 2 and one line, not a stack trace',
    async (_what, yaml, line) => {
      const config = yaml.startsWith('repositories') ? yaml : `repositories: { names: [flask-app] }\n${yaml}`;
      const result = await runApp('limits.yaml', `${config}\n`);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(line)]);
    },
    60_000,
  );

  it('refuses a YAML configuration built to exhaust it with exit 2 and one line', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) {
      const previous = 'abcde'[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const result = await runApp('bomb.yaml', `${levels.join('\n')}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/bomb\.yaml: is not valid YAML \(Excessive alias count/),
    ]);
  }, 60_000);
});

describe('the bundled handler, run as Lambda would run it', () => {
  let scenario: LocalScenario;
  beforeAll(async () => {
    scenario = await LocalScenario.start();
  });
  afterAll(() => scenario.close());

  it('commits the tag that a push allows, through the local peers', async () => {
    const [asset] = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const bundle = join(out, asset!, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    await scenario.register(structuredClone(flaskApp));
    const image = scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.2' });
    const event = JSON.parse(
      readFileSync(new URL('../fixtures/ecr-events/push-tagged.json', import.meta.url), 'utf8'),
    );
    event.account = scenario.stack.accountId;
    event.region = scenario.stack.region;
    event.detail['image-digest'] = (await image).digest;
    const script = `const { handler } = await import(${JSON.stringify(bundle)});
console.log('RESULT ' + JSON.stringify(await handler(JSON.parse(process.env.EVENT), { awsRequestId: 'r-1' })));`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      ...offline,
      ...scenario.stack.env(),
      ECR_IMAGE_UPDATER_SERVICE: 'bundle-test',
      EVENT: JSON.stringify(event),
    });
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `RESULT ${JSON.stringify({ status: 'handled', apps: [{ app: 'flask-app', outcome: 'updated' }] })}`,
    );
    const logged = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(logged).toContainEqual(
      expect.objectContaining({
        service: 'bundle-test',
        app: 'flask-app',
        outcome: 'updated',
        function_request_id: 'r-1',
      }),
    );
    expect(logged).toContainEqual(expect.objectContaining({ Service: 'bundle-test', AppsUpdated: 1 }));
    const source = parse((await scenario.file('flask-app/.argocd-source-flask-app.yaml'))!);
    expect(source.helm.parameters).toContainEqual({ name: 'image.tag', value: '1.0.2', forcestring: true });
    expect(source.helm.parameters).toContainEqual({
      name: 'image.name',
      value: `${ECR_HOST}/flask-app`,
      forcestring: true,
    });
  });
});

/** A queue of git writes that keeps what SendMessageBatch sends, answering as SQS does (AWS JSON 1.0). */
async function writeQueueCatcher() {
  const sent: Array<{ MessageBody: string; MessageGroupId: string; MessageDeduplicationId: string }> = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      response.writeHead(target === 'AmazonSQS.SendMessageBatch' ? 200 : 400, {
        'content-type': 'application/x-amz-json-1.0',
      });
      if (target !== 'AmazonSQS.SendMessageBatch') {
        response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target }));
        return;
      }
      const { Entries: entries } = JSON.parse(text) as {
        Entries: Array<(typeof sent)[number] & { Id: string }>;
      };
      sent.push(...entries);
      // The SDK checks each body's MD5 against SQS's answer.
      const md5 = (body: string) => createHash('md5').update(body).digest('hex');
      response.end(
        JSON.stringify({
          Successful: entries.map((e, i) => ({
            Id: e.Id,
            MessageId: `m-${sent.length + i}`,
            MD5OfMessageBody: md5(e.MessageBody),
          })),
          Failed: [],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    sent,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("the bundled writer, run as Lambda would run it on the write queue's batch", () => {
  let scenario: LocalScenario;
  beforeAll(async () => {
    scenario = await LocalScenario.start();
  });
  afterAll(() => scenario.close());

  it('commits the write the bundled push function queued', async () => {
    const [asset] = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const bundle = join(out, asset!, 'index.mjs');
    await scenario.register(structuredClone(flaskApp));
    const image = await scenario.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.3' });
    const event = JSON.parse(
      readFileSync(new URL('../fixtures/ecr-events/push-tagged.json', import.meta.url), 'utf8'),
    );
    Object.assign(event, { account: scenario.stack.accountId, region: scenario.stack.region });
    event.detail = { ...event.detail, 'image-tag': '1.0.3', 'image-digest': image.digest };
    const queue = await writeQueueCatcher();
    const invoke = (entryPoint: string, input: unknown) =>
      run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { ${entryPoint} } = await import(${JSON.stringify(bundle)});
console.log('RESULT ' + JSON.stringify(await ${entryPoint}(JSON.parse(process.env.INPUT), { awsRequestId: 'r-2' })));`,
        ],
        {
          ...offline,
          ...scenario.stack.env(),
          AWS_ENDPOINT_URL_SQS: queue.endpoint,
          // As the stack sets them: the push function's environment has the queue, the writer's not.
          ...(entryPoint === 'handler'
            ? { [ENVIRONMENT.writeQueueUrl]: `${queue.endpoint}/${scenario.stack.accountId}/writes.fifo` }
            : {}),
          INPUT: JSON.stringify(input),
        },
      );
    const before = await scenario.file('flask-app/.argocd-source-flask-app.yaml');
    let pushed: Run;
    try {
      pushed = await invoke('handler', event);
    } finally {
      await queue.close();
    }
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout.trim().split('\n').at(-1)).toBe(
      `RESULT ${JSON.stringify({ status: 'handled', apps: [{ app: 'flask-app', outcome: 'queued' }] })}`,
    );
    expect(await scenario.file('flask-app/.argocd-source-flask-app.yaml')).toBe(before);
    expect(queue.sent).toHaveLength(1);
    const [message] = queue.sent;

    // The record as Lambda's SQS event source hands a FIFO message over.
    const batch = {
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'r-1',
          body: message!.MessageBody,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(Date.now()),
            SequenceNumber: '18849496460467696128',
            MessageGroupId: message!.MessageGroupId,
            MessageDeduplicationId: message!.MessageDeduplicationId,
            SenderId: 'AROAEXAMPLE:push',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: createHash('md5').update(message!.MessageBody).digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${scenario.stack.region}:${scenario.stack.accountId}:writes.fifo`,
          awsRegion: scenario.stack.region,
        },
      ],
    };
    const written = await invoke('writeHandler', batch);
    expect(written.stderr).toBe('');
    const lines = written.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`RESULT ${JSON.stringify({ batchItemFailures: [] })}`);
    const logged = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(logged).toContainEqual(expect.objectContaining({ QueuedAppsEvaluated: 1, AppsUpdated: 1 }));
    const source = parse((await scenario.file('flask-app/.argocd-source-flask-app.yaml'))!);
    expect(source.helm.parameters).toContainEqual({ name: 'image.tag', value: '1.0.3', forcestring: true });
  });
});

// What DynamoDB answers when no app follows the repository and the event is new.
const EMPTY_ANSWERS: Readonly<Record<string, unknown>> = {
  Query: { Count: 0, ScannedCount: 0, Items: [] },
  BatchWriteItem: { UnprocessedItems: {} },
};

describe("the bundled handler's AWS credentials", () => {
  it("signs its calls with the role's credentials that Lambda puts in the environment", async () => {
    const calls: Array<{ target: string; authorization: string; sessionToken: string }> = [];
    const dynamodb = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const target = String(request.headers['x-amz-target'] ?? '');
        calls.push({
          target,
          authorization: String(request.headers.authorization ?? ''),
          sessionToken: String(request.headers['x-amz-security-token'] ?? ''),
        });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(EMPTY_ANSWERS[target.split('.')[1] ?? ''] ?? {}));
      });
    });
    await new Promise<void>((resolve) => dynamodb.listen(0, '127.0.0.1', resolve));
    try {
      const [asset] = readdirSync(out).filter((name) => name.startsWith('asset.'));
      const bundle = join(out, asset!, 'index.mjs');
      const event = JSON.parse(
        readFileSync(new URL('../fixtures/ecr-events/push-tagged.json', import.meta.url), 'utf8'),
      );
      const script = `const { handler } = await import(${JSON.stringify(bundle)});
console.log('RESULT ' + JSON.stringify(await handler(JSON.parse(process.env.EVENT))));`;
      const result = await run(process.execPath, ['--input-type=module', '-e', script], {
        ...offline,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'ASIAROLEFROMENV',
        AWS_SECRET_ACCESS_KEY: 'secret-from-the-environment',
        AWS_SESSION_TOKEN: 'session-from-the-environment',
        AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`,
        [ENVIRONMENT.table]: 'registry',
        EVENT: JSON.stringify(event),
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`RESULT ${JSON.stringify({ status: 'handled', apps: [] })}`);
    } finally {
      await new Promise((resolve) => dynamodb.close(resolve));
    }
    expect(calls.map((call) => call.target)).toContain('DynamoDB_20120810.Query');
    for (const call of calls) {
      expect(call.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=ASIAROLEFROMENV\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, /,
      );
      expect(call.sessionToken).toBe('session-from-the-environment');
    }
  });
});
