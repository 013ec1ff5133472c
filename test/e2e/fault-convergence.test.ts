/**
 * Nothing lost, nothing doubled, whatever a peer does for a while: for DynamoDB, ECR, Secrets Manager,
 * GitHub and Argo CD, a 5xx (once, then for good), throttling with Retry-After, an answer later than the
 * client waits, and a dropped connection. The handler runs as Lambda runs it for EventBridge (three
 * attempts, then the dead-letter queue); each case ends with exactly one commit or one patch of the
 * right tag, within the invocation, on a retry, or on redriving the dead letter once the fault is gone.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  LOCAL_ARGOCD_SECRET,
  LOCAL_GIT_CONNECTION,
  LOCAL_GIT_PASSWORD,
  type LocalStack,
} from '@ecr-image-updater/local/local-stack';
import { TUTORIAL_REPO } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagePushHandler, type ImagePushResult } from '../../functions/image-push.ts';
import { ArgoCdApiClient } from '../../lib/adapters/argocd-api-client.ts';
import { readArgoCdToken } from '../../lib/adapters/argocd-client-connector.ts';
import { createAwsClient } from '../../lib/adapters/create-aws-client.ts';
import {
  type AwsClients,
  createImagePushDependencies,
} from '../../lib/adapters/create-image-push-dependencies.ts';
import { IsomorphicGitConnector } from '../../lib/adapters/isomorphic-git-connector.ts';
import { OctokitGitHubConnector } from '../../lib/adapters/octokit-github-connector.ts';
import { SecretsManagerSecretStore } from '../../lib/adapters/secrets-manager-secret-store.ts';
import type { ArgoCdApi, ArgoCdConnector } from '../../lib/app/ports.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { AsyncLambda, type Invocation } from '../support/async-lambda.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { gitApp, pushEvent, sourceParameter } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

/**
 * How long the clients wait for an answer here; the delay faults last longer. The function's clients
 * wait 10 s (AWS SDK, Octokit, Argo CD); the same settings, shortened, so the suite stays quick.
 */
const CLIENT_TIMEOUT_MS = 400;
const DELAY_MS = 1_200;
const FOR_GOOD = 10_000;

type Kind =
  | '5xx once'
  | '5xx for good'
  | 'throttled with Retry-After'
  | 'an answer past the timeout'
  | 'a reset';
const KINDS: readonly Kind[] = [
  '5xx once',
  '5xx for good',
  'throttled with Retry-After',
  'an answer past the timeout',
  'a reset',
];
type Peer = 'DynamoDB' | 'ECR' | 'Secrets Manager' | 'GitHub' | 'Argo CD';

/** The fault of each kind, as each peer's fake takes it, on the call that peer serves for a push. */
function inject(stack: LocalStack, peer: Peer, kind: Kind): void {
  const times = kind === '5xx for good' ? FOR_GOOD : 1;
  const common = (status5xx: number, throttle: { status: number; type?: string }) =>
    kind === '5xx once' || kind === '5xx for good'
      ? ({ kind: 'status', status: status5xx, times } as const)
      : kind === 'throttled with Retry-After'
        ? ({ kind: 'status', ...throttle, retryAfterSeconds: 1, times } as const)
        : kind === 'an answer past the timeout'
          ? ({ kind: 'delay', ms: DELAY_MS, times } as const)
          : ({ kind: 'reset', times } as const);
  switch (peer) {
    case 'DynamoDB':
      stack.dynamodb.injectFault({
        target: 'DynamoDB_20120810.Query',
        ...common(500, { status: 400 }),
      });
      return;
    case 'ECR':
      stack.ecr.injectFault({
        target: 'DescribeImages',
        ...common(500, { status: 400, type: 'ThrottlingException' }),
      });
      return;
    case 'Secrets Manager':
      stack.secrets.injectFault({
        target: 'GetSecretValue',
        ...common(500, { status: 400, type: 'ThrottlingException' }),
      });
      return;
    case 'GitHub':
      // GraphQL carries both the read and the commit: each fault hits whichever comes.
      stack.github.injectFault({ operationId: 'graphql', ...common(502, { status: 429 }) });
      return;
    case 'Argo CD':
      stack.argocd.injectFault({
        operationId: 'ApplicationService_Patch',
        ...common(503, { status: 429 }),
      });
      return;
  }
}

function clearFaults(stack: LocalStack): void {
  for (const peer of [stack.dynamodb, stack.ecr, stack.secrets, stack.github, stack.argocd])
    peer.clearFaults();
  stack.git?.clearFaults();
}

/** SDK clients built as the function builds them, with the answer timeout shortened to CLIENT_TIMEOUT_MS. */
function impatientClients(stack: LocalStack): AwsClients {
  const options = {
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestTimeoutMs: CLIENT_TIMEOUT_MS,
  };
  return {
    dynamodb: createAwsClient(DynamoDBClient, { ...options, endpoint: stack.dynamodb.endpoint }),
    secretsManager: createAwsClient(SecretsManagerClient, { ...options, endpoint: stack.secrets.url }),
    ecrFor: (region) => createAwsClient(ECRClient, { ...options, region, endpoint: stack.ecr.url }),
  };
}

/** The stack's Argo CD with a short timeout: the connector builds its clients with the 10 s default. */
class ImpatientArgoCdConnector implements ArgoCdConnector {
  constructor(
    private readonly stack: LocalStack,
    private readonly secrets: SecretsManagerSecretStore,
  ) {}

  async connect(): Promise<ArgoCdApi> {
    const token = readArgoCdToken(await this.secrets.get(LOCAL_ARGOCD_SECRET), LOCAL_ARGOCD_SECRET);
    return new ArgoCdApiClient({
      server: this.stack.argocd.url,
      token,
      timeoutMs: CLIENT_TIMEOUT_MS,
      patchTimeoutMs: CLIENT_TIMEOUT_MS,
    });
  }
}

/** A cold start: the wiring of the Lambda, pointed at the peers, every client with a short timeout. */
function coldLambda(scenario: LocalScenario): AsyncLambda<ImagePushResult> {
  const { stack } = scenario;
  const clients = impatientClients(stack);
  const deps = createImagePushDependencies(
    { tableName: stack.tableName, connections: stack.connections, concurrency: 8 },
    scenario.logger,
    clients,
  );
  const secrets = new SecretsManagerSecretStore({ client: clients.secretsManager });
  const github = new OctokitGitHubConnector({ secrets, timeoutMs: CLIENT_TIMEOUT_MS });
  const gitRemote = new IsomorphicGitConnector({ secrets, timeoutMs: CLIENT_TIMEOUT_MS });
  return new AsyncLambda(
    createImagePushHandler({
      ...deps,
      github,
      gitRemote,
      argocd: new ImpatientArgoCdConnector(stack, secrets),
    }),
  );
}

type Convergence =
  | 'converged within the invocation'
  | 'converged on a Lambda retry'
  | 'dead-lettered, then replayed';
const CASES = (['DynamoDB', 'ECR', 'Secrets Manager', 'GitHub', 'Argo CD'] as const).flatMap((peer) =>
  KINDS.map((kind, k) => [peer, kind, `conv-${peer.toLowerCase().replace(' ', '-')}-${k}`] as const),
);
const observed = new Map<string, Convergence>();

/** How the first invocation (and Lambda's retries of it) ended. */
function convergenceOf(first: Invocation<ImagePushResult>): Convergence {
  if (first.kind === 'dead-lettered') return 'dead-lettered, then replayed';
  return first.attempts === 1 ? 'converged within the invocation' : 'converged on a Lambda retry';
}

/**
 * What only Argo CD does: its Patch validates the spec against the repo server, so trouble there is a
 * 400 (util/argo/argo.go), and a project's sync window refuses a sync with a 403 (Server.Sync).
 */
type ArgoCdTrouble = 'repo server unavailable once' | 'manifests past the deadline for good';
const ARGOCD_TROUBLES: readonly ArgoCdTrouble[] = [
  'repo server unavailable once',
  'manifests past the deadline for good',
];
const ARGOCD_CASES = ARGOCD_TROUBLES.map((trouble, k) => [trouble, `conv-argocd-validation-${k}`] as const);
const WINDOWED = 'conv-argocd-sync-window';

/** What a plain git host (git http-backend behind Basic authentication) does on a bad day. */
type PlainGitTrouble =
  | '5xx once'
  | '5xx for good'
  | 'an answer past the timeout'
  | 'the branch moved between fetch and push'
  | 'a wrong password';
const PLAIN_GIT_TROUBLES: readonly PlainGitTrouble[] = [
  '5xx once',
  '5xx for good',
  'an answer past the timeout',
  'the branch moved between fetch and push',
  'a wrong password',
];
const PLAIN_GIT_CASES = PLAIN_GIT_TROUBLES.map((trouble, k) => [trouble, `conv-plain-git-${k}`] as const);
const PLAIN_GIT_REPO = 'platform/gitops';
const WRONG_GIT_SECRET = 'ecr-image-updater/wrong-git';

function injectPlainGit(stack: LocalStack, trouble: PlainGitTrouble): void {
  const host = stack.git!;
  if (trouble === '5xx once') host.inject({ kind: 'status', status: 502 });
  else if (trouble === '5xx for good') host.inject({ kind: 'status', status: 503, times: FOR_GOOD });
  else if (trouble === 'an answer past the timeout') host.inject({ kind: 'stall' });
  else if (trouble === 'the branch moved between fetch and push')
    host.inject({
      kind: 'move-branch',
      repository: PLAIN_GIT_REPO,
      branch: 'main',
      service: 'git-receive-pack',
      phase: 'exchange',
    });
}

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start({ gitHost: true });
  await scenario.stack.git!.repositories.create(PLAIN_GIT_REPO, { 'README.md': 'GitOps\n' });
  scenario.stack.secrets.putSecret(WRONG_GIT_SECRET, '{"username":"local","password":"not-the-password"}');
  scenario.stack.addConnection('git', {
    name: 'wrong-git',
    secret: WRONG_GIT_SECRET,
    repositories: ['*/*'],
    requireConsent: false,
  });
  for (const [peer, , name] of CASES) {
    if (peer === 'Argo CD') scenario.stack.argocd.putApplication(helmApp(name));
  }
  for (const [, name] of ARGOCD_CASES) scenario.stack.argocd.putApplication(helmApp(name));
  scenario.stack.argocd.putApplication(helmApp(WINDOWED, '1.0.0', 'windowed'));
  await scenario.register(
    ...[...ARGOCD_CASES.map(([, name]) => name), WINDOWED].map((name) => ({
      name,
      images: [
        {
          image: `${ECR_HOST}/conv/${name}`,
          helm: { imageName: 'image.repository', imageTag: 'image.tag' },
        },
      ],
      writeBack: {
        method: 'argocd',
        argocd: name === WINDOWED ? { project: 'windowed', sync: 'auto' } : { sync: 'never' },
      },
    })),
    ...CASES.map(([peer, , name]) =>
      peer === 'Argo CD'
        ? {
            name,
            images: [
              {
                image: `${ECR_HOST}/conv/${name}`,
                helm: { imageName: 'image.repository', imageTag: 'image.tag' },
              },
            ],
            writeBack: { method: 'argocd', argocd: { sync: 'never' } },
          }
        : gitApp(name, `conv/${name}`, { path: `conv/${name}` }),
    ),
    ...PLAIN_GIT_CASES.map(([trouble, name]) =>
      gitApp(name, `conv/${name}`, {
        connection: trouble === 'a wrong password' ? 'wrong-git' : LOCAL_GIT_CONNECTION,
        repo: PLAIN_GIT_REPO,
        path: `conv/${name}`,
      }),
    ),
  );
});
afterAll(() => scenario.close());

/** Commits that changed the app's file, and the tag the file holds. */
async function gitState(name: string) {
  const path = `conv/${name}/.argocd-source-${name}.yaml`;
  const log = await scenario.stack.github.log(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, TUTORIAL_REPO.branch);
  const text = await scenario.file(path);
  return {
    writes: log.filter((commit) => commit.files.includes(path)).length,
    tag: text === undefined ? undefined : sourceParameter(text, 'image.tag'),
  };
}

/** Patches that took effect, and the tag the Application holds. */
function argoState(name: string) {
  const app = scenario.stack.argocd.application(name);
  return {
    writes: Number(app?.metadata.generation ?? 0),
    tag: app?.spec.source?.helm?.parameters?.find((p) => p.name === 'image.tag')?.value,
  };
}

describe('faults on every peer, handled as Lambda handles an EventBridge event', () => {
  it.each(CASES)('%s, %s: converges to one write of the right tag', async (peer, kind, name) => {
    const state = () => (peer === 'Argo CD' ? argoState(name) : gitState(name));
    const before = await state();
    scenario.stack.ecr.pushImage({ repository: `conv/${name}`, tag: '1.0.1' });
    const event = pushEvent(`conv/${name}`, '1.0.1', PUSH);
    const lambda = coldLambda(scenario);

    inject(scenario.stack, peer, kind);
    const first = await lambda.invoke(event);
    clearFaults(scenario.stack);
    let final: Invocation<ImagePushResult> = first;
    if (first.kind === 'dead-lettered') {
      expect(first.attempts).toBe(3);
      expect(lambda.deadLetters).toEqual([{ event, error: first.errors[2] }]);
      expect(first.deadLetter.error).toBeInstanceOf(Error);
      [final] = (await lambda.redrive()) as [Invocation<ImagePushResult>];
      expect(lambda.deadLetters).toEqual([]);
    }
    if (kind === '5xx for good') expect(first.kind).toBe('dead-lettered');
    observed.set(`${peer}: ${kind}`, convergenceOf(first));

    expect(final.kind).toBe('succeeded');
    const { result } = final as Extract<typeof final, { kind: 'succeeded' }>;
    expect(result.status).toBe('handled');
    // `unchanged` when an earlier attempt's write landed though its answer was lost.
    expect(['updated', 'unchanged']).toContain(result.apps?.find((app) => app.app === name)?.outcome);
    const after = await state();
    expect(after.tag).toBe('1.0.1');
    expect(after.writes - before.writes).toBe(1);
  });
});

describe('Argo CD validating a patch, and sync windows', () => {
  it.each(ARGOCD_CASES)('%s: converges to one patch of the right tag', async (trouble, name) => {
    const before = argoState(name);
    scenario.stack.ecr.pushImage({ repository: `conv/${name}`, tag: '1.0.1' });
    const event = pushEvent(`conv/${name}`, '1.0.1', PUSH);
    const lambda = coldLambda(scenario);
    if (trouble === 'repo server unavailable once') scenario.stack.argocd.troubleRepoServer('unavailable', 1);
    else scenario.stack.argocd.troubleRepoServer('manifests-deadline-exceeded');
    const first = await lambda.invoke(event);
    clearFaults(scenario.stack);
    let final: Invocation<ImagePushResult> = first;
    if (first.kind === 'dead-lettered') [final] = (await lambda.redrive()) as [Invocation<ImagePushResult>];
    // A 400 of validation is retried, not dropped as a bad request.
    expect(first.kind).toBe(trouble === 'repo server unavailable once' ? 'succeeded' : 'dead-lettered');
    observed.set(`Argo CD: ${trouble}`, convergenceOf(first));
    expect(final.kind).toBe('succeeded');
    const after = argoState(name);
    expect(after.tag).toBe('1.0.1');
    expect(after.writes - before.writes).toBe(1);
  });

  it('a sync window: the patch lands, the sync is deferred, and nothing is retried', async () => {
    scenario.stack.argocd.setProject({ name: 'windowed', syncBlocked: true });
    scenario.stack.ecr.pushImage({ repository: `conv/${WINDOWED}`, tag: '1.0.1' });
    const first = await coldLambda(scenario).invoke(pushEvent(`conv/${WINDOWED}`, '1.0.1', PUSH));
    expect(first).toMatchObject({ kind: 'succeeded', attempts: 1 });
    const { result } = first as Extract<typeof first, { kind: 'succeeded' }>;
    expect(result.apps?.find((app) => app.app === WINDOWED)?.outcome).toBe('updated');
    expect(argoState(WINDOWED).tag).toBe('1.0.1');
    expect(scenario.stack.argocd.application(WINDOWED)?.operation).toBeUndefined();
  });
});

/** Our commits that changed the app's file on the plain git host, and the tag the file holds. */
async function plainGitState(name: string) {
  const path = `conv/${name}/.argocd-source-${name}.yaml`;
  const { repositories } = scenario.stack.git!;
  const log = await repositories.log(PLAIN_GIT_REPO, 'main');
  const text = await repositories.read(PLAIN_GIT_REPO, 'main', path);
  return {
    writes: log.filter((commit) => commit.author === 'ecr-image-updater' && commit.subject.includes(name))
      .length,
    tag: text === undefined ? undefined : sourceParameter(text, 'image.tag'),
  };
}

describe('a plain git host (git http-backend) on a bad day', () => {
  it.each(PLAIN_GIT_CASES)(
    '%s: converges to one commit of the right tag, or fails for good at once',
    async (trouble, name) => {
      const before = await plainGitState(name);
      const calls = scenario.stack.git!.calls.length;
      scenario.stack.ecr.pushImage({ repository: `conv/${name}`, tag: '1.0.1' });
      const event = pushEvent(`conv/${name}`, '1.0.1', PUSH);
      const lambda = coldLambda(scenario);
      injectPlainGit(scenario.stack, trouble);
      const first = await lambda.invoke(event);
      clearFaults(scenario.stack);
      observed.set(`plain git: ${trouble}`, convergenceOf(first));
      if (trouble === 'a wrong password') {
        // A credential a retry cannot fix: the app fails once, with the fix, and nothing asks again.
        expect(first).toMatchObject({ kind: 'succeeded', attempts: 1 });
        const { result } = first as Extract<typeof first, { kind: 'succeeded' }>;
        expect(result.apps?.find((app) => app.app === name)?.outcome).toBe('failed');
        const failure = scenario.logger.entries.findLast((entry) => entry.fields?.app === name);
        expect(JSON.stringify(failure)).toContain(WRONG_GIT_SECRET);
        // Neither password, nor the Basic credentials they make, in any log line or in the result.
        const said = JSON.stringify([scenario.logger.entries, first]);
        for (const secret of ['not-the-password', LOCAL_GIT_PASSWORD, 'bG9jYWw6'])
          expect(said).not.toContain(secret);
        expect(scenario.stack.git!.calls.slice(calls).map((call) => call.status)).toEqual([401]);
        expect((await plainGitState(name)).writes).toBe(before.writes);
        return;
      }
      let final: Invocation<ImagePushResult> = first;
      if (first.kind === 'dead-lettered') [final] = (await lambda.redrive()) as [Invocation<ImagePushResult>];
      if (trouble === '5xx for good') expect(first.kind).toBe('dead-lettered');
      else expect(first).toMatchObject({ kind: 'succeeded', attempts: 1 });
      expect(final.kind).toBe('succeeded');
      const after = await plainGitState(name);
      expect(after.tag).toBe('1.0.1');
      expect(after.writes - before.writes).toBe(1);
      if (trouble === 'the branch moved between fetch and push')
        expect(
          (await scenario.stack.git!.repositories.log(PLAIN_GIT_REPO, 'main')).map((c) => c.author),
        ).toContain('A Teammate');
    },
  );
});

afterAll(() => {
  if (process.env.PRINT_CONVERGENCE) console.table(Object.fromEntries(observed));
});
