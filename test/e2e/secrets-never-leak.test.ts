/**
 * No secret reaches a log line, an error, a handler result, a metric, a commit or the registry table:
 * not the GitHub token, not the Argo CD token, not a GitHub App's private key, not the JWTs and
 * installation tokens made from it, not the wrong tokens an operator stored by mistake. The scenario
 * runs successes and failures alike: 401s, 5xx, dropped connections, on every peer that sees a secret.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_ARGOCD_TOKEN, LOCAL_GITHUB_TOKEN } from '@ecr-image-updater/local/local-stack';
import { TUTORIAL_REPO } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagePushHandler } from '../../functions/image-push.ts';
import { PowertoolsMetrics } from '../../lib/adapters/powertools-metrics.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { keepingLines } from '../support/capture-output.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../support/github-app-keys.ts';
import { gitApp, pushEvent, SECRET_SHAPES } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const APP_ID = 777;
const keys = generateAppKeyPair();
const WRONG_GITHUB_TOKEN = `ghp_${randomBytes(27).toString('base64url')}`;
const WRONG_ARGOCD_TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"intruder"}').toString('base64url')}.${randomBytes(24).toString('base64url')}`;
const SECRETS = [LOCAL_GITHUB_TOKEN, LOCAL_ARGOCD_TOKEN, WRONG_GITHUB_TOKEN, WRONG_ARGOCD_TOKEN];
/** A JWT (the Argo CD token, a GitHub App's) or an installation token, whoever minted it. */

const REPOSITORIES = ['leak/git', 'leak/app', 'leak/argo'] as const;
const argoApp = (name: string, connection?: string) => ({
  name,
  images: [
    { image: `${ECR_HOST}/leak/argo`, helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
  ],
  writeBack: { method: 'argocd', argocd: { sync: 'never', ...(connection ? { connection } : {}) } },
});

let scenario: LocalScenario;
const { metrics, lines: corpus } = keepingLines(
  new PowertoolsMetrics({ namespace: 'EcrImageUpdater', service: 'leak' }),
);
beforeAll(async () => {
  scenario = await LocalScenario.start();
  const { stack } = scenario;
  stack.github.registerApp({
    appId: APP_ID,
    publicKeyPem: keys.publicKeyPem,
    slug: 'leak-test',
    installations: [{ account: TUTORIAL_REPO.owner, repositories: [TUTORIAL_REPO.name] }],
  });
  stack.secrets.putSecret('leak/github-app', appSecret(APP_ID, keys.privateKeyPem));
  stack.secrets.putSecret('leak/wrong-github', JSON.stringify({ token: WRONG_GITHUB_TOKEN }));
  stack.secrets.putSecret('leak/wrong-argocd', WRONG_ARGOCD_TOKEN);
  const everything = { repositories: ['*/*'], requireConsent: false };
  stack.addConnection('github', { name: 'leak-app', secret: 'leak/github-app', ...everything });
  stack.addConnection('github', { name: 'leak-wrong-github', secret: 'leak/wrong-github', ...everything });
  stack.addConnection('argocd', {
    name: 'leak-wrong-argocd',
    tokenSecret: 'leak/wrong-argocd',
    insecure: false,
    projects: ['*'],
    appNamespaces: ['*'],
    requireConsent: false,
  });
  stack.argocd.putApplication(helmApp('leak-argo'));
  stack.argocd.putApplication(helmApp('leak-wrong-argo'));
  await scenario.register(
    gitApp('leak-git', 'leak/git', { path: 'leak/git' }),
    gitApp('leak-wrong-git', 'leak/git', { path: 'leak/wrong', connection: 'leak-wrong-github' }),
    gitApp('leak-app', 'leak/app', { path: 'leak/app', connection: 'leak-app' }),
    argoApp('leak-argo'),
    argoApp('leak-wrong-argo', 'leak-wrong-argocd'),
  );
});
afterAll(() => scenario.close());

/** A cold start of the handler; quick retries within an invocation, as what they retry is not the point. */
const lambda = () =>
  createImagePushHandler(
    { ...scenario.deps(), transientRetries: { maxAttempts: 2, backoff: { baseMs: 10, capMs: 50 } } },
    metrics,
  );

/** Handles a push of the next tag to every repository, keeping whatever the handler answered or threw. */
let round = 0;
async function pushEverywhere(handler = lambda()) {
  round += 1;
  for (const repository of REPOSITORIES) {
    scenario.stack.ecr.pushImage({ repository, tag: `1.0.${round}` });
    try {
      corpus.push(JSON.stringify(await handler(pushEvent(repository, `1.0.${round}`, PUSH))));
    } catch (error) {
      corpus.push(`${String(error)}\n${(error as Error).stack}\n${inspect(error, { depth: null })}`);
    }
  }
}

describe('secrets, across successes and failures', () => {
  it('never appear in a log line, an error, a result, a metric, a commit or the registry', async () => {
    const { github, argocd, secrets } = scenario.stack;
    const warm = lambda();
    await pushEverywhere(warm);
    const rounds: ReadonlyArray<() => void> = [
      () => github.injectFault({ kind: 'status', status: 401, operationId: 'graphql', times: 50 }),
      () => github.injectFault({ kind: 'status', status: 500, times: 50 }),
      () => github.injectFault({ kind: 'reset', times: 50 }),
      () => {
        github.revokeInstallationTokens();
        github.injectFault({
          kind: 'status',
          status: 401,
          operationId: 'apps/create-installation-access-token',
          times: 50,
        });
      },
      () => argocd.injectFault({ kind: 'status', status: 401, times: 50 }),
      () => argocd.injectFault({ kind: 'status', status: 503, times: 50 }),
      () => argocd.injectFault({ kind: 'reset', times: 50 }),
    ];
    for (const fault of rounds) {
      fault();
      await pushEverywhere(warm);
      github.clearFaults();
      argocd.clearFaults();
    }
    // A cold start reads the secrets again, so Secrets Manager's failures reach the wiring.
    for (const fault of [
      { kind: 'status', status: 500, times: 50 } as const,
      { kind: 'reset', times: 50 } as const,
    ]) {
      secrets.injectFault(fault);
      await pushEverywhere();
      secrets.clearFaults();
    }
    await pushEverywhere(warm);

    corpus.push(...scenario.logger.lines());
    for (const branch of await github.branches(TUTORIAL_REPO.owner, TUTORIAL_REPO.name)) {
      const log = await github.log(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, branch.name);
      corpus.push(...log.map((commit) => JSON.stringify(commit)));
    }
    corpus.push(JSON.stringify(argocd.applications()));
    const table = await scenario.stack
      .clients()
      .dynamodb.send(new ScanCommand({ TableName: scenario.stack.tableName }));
    corpus.push(JSON.stringify(table.Items));

    const text = corpus.join('\n');
    // The failures did happen, and were reported.
    for (const seen of [
      'Bad credentials',
      'HTTP 401',
      'HTTP 500',
      'HTTP 503',
      'Secrets Manager',
      'committed',
    ])
      expect(text).toContain(seen);
    for (const secret of [...SECRETS, ...keyMaterial(keys.privateKeyPem)]) expect(text).not.toContain(secret);
    for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
  });
});
