/**
 * A connection's server that answers with a redirect (301, 302, 307, 308) to another host never makes
 * the function take a credential there: not the GitHub token, not a GitHub App's JWT or installation
 * token, not the Argo CD token. The redirect is not followed at all, since the other host could answer
 * "success" to a write it never did; the app fails, not retryably, naming only the other host.
 */
import { LOCAL_ARGOCD_TOKEN, LOCAL_GITHUB_TOKEN } from '@ecr-image-updater/local/local-stack';
import { TUTORIAL_REPO } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { ElsewhereServer } from '../support/elsewhere-server.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../support/github-app-keys.ts';
import { gitApp, pushEvent, SECRET_SHAPES } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const APP_ID = 4242;
const keys = generateAppKeyPair();
/** A JWT (Argo CD's, a GitHub App's) or an installation token, whoever minted it. */
const REDIRECTS = [301, 302, 307, 308] as const;

let scenario: LocalScenario;
let elsewhere: ElsewhereServer;
beforeAll(async () => {
  [scenario, elsewhere] = await Promise.all([LocalScenario.start(), ElsewhereServer.start()]);
  const { stack } = scenario;
  stack.github.registerApp({
    appId: APP_ID,
    publicKeyPem: keys.publicKeyPem,
    slug: 'redirect-test',
    installations: [{ account: TUTORIAL_REPO.owner, repositories: [TUTORIAL_REPO.name] }],
  });
  stack.secrets.putSecret('redirect/github-app', appSecret(APP_ID, keys.privateKeyPem));
  stack.addConnection('github', {
    name: 'redirect-app',
    secret: 'redirect/github-app',
    repositories: ['*/*'],
    requireConsent: false,
  });
  stack.argocd.putApplication(helmApp('redirect-argo'));
  await scenario.register(
    gitApp('redirect-token', 'redirect/token', { path: 'redirect/token' }),
    gitApp('redirect-app', 'redirect/app', {
      path: 'redirect/app',
      connection: 'redirect-app',
    }),
    {
      name: 'redirect-argo',
      images: [
        {
          image: `${ECR_HOST}/redirect/argo`,
          helm: { imageName: 'image.repository', imageTag: 'image.tag' },
        },
      ],
      writeBack: { method: 'argocd', argocd: { sync: 'never' } },
    },
  );
});
afterAll(async () => {
  await Promise.all([scenario?.close(), elsewhere?.close()]);
});

/** A cold start's use case; quick retries, so a redirect taken for retryable costs no time. */
const handle = (event: unknown) =>
  handleImagePush(
    { ...scenario.deps(), transientRetries: { maxAttempts: 2, backoff: { baseMs: 10, capMs: 50 } } },
    event,
  );

let round = 0;
/** Pushes the next tag of `repository` with `redirect` queued on its peer; the app's outcome and all text. */
async function pushRedirected(repository: string, redirect: () => void) {
  round += 1;
  const tag = `1.0.${round}`;
  scenario.stack.ecr.pushImage({ repository, tag });
  const logged = scenario.logger.lines().length;
  redirect();
  const settled = await handle(pushEvent(repository, tag, PUSH));
  scenario.stack.github.clearFaults();
  scenario.stack.argocd.clearFaults();
  const text = [JSON.stringify(settled), ...scenario.logger.lines().slice(logged)].join('\n');
  const outcome = settled.kind === 'handled' ? settled.apps : settled;
  return { outcome, text };
}

function expectRefused(outcome: unknown, text: string, secrets: readonly string[]) {
  expect(outcome).toMatchObject([{ kind: 'failed', retryable: false }]);
  const [failed] = outcome as Array<{ error: string }>;
  expect(failed?.error).toContain(`redirect to ${elsewhere.host}`);
  expect(text).not.toContain('do-not-repeat');
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
  expect(elsewhere.requests).toEqual([]);
}

const githubRedirect = (status: number, operationId?: string) => () =>
  scenario.stack.github.injectFault({
    kind: 'status',
    status,
    times: 50,
    ...(operationId ? { operationId } : {}),
    headers: { location: elsewhere.location('/repos/devopscube/argocd-image-updater/contents') },
    body: '',
  });

describe('a connection’s server redirecting to another host', () => {
  describe.each(REDIRECTS)('with HTTP %i', (status) => {
    it('keeps the GitHub token home, and the git write-back fails', async () => {
      const { outcome, text } = await pushRedirected('redirect/token', githubRedirect(status));
      expectRefused(outcome, text, [LOCAL_GITHUB_TOKEN]);
    });

    it.each([
      ['finding the installation', 'apps/get-repo-installation'],
      ['minting the installation token', 'apps/create-installation-access-token'],
      ['reading the files (GraphQL)', 'graphql'],
    ])(
      'keeps a GitHub App’s JWT and token home when %s, and the write-back fails',
      async (_, operationId) => {
        const { outcome, text } = await pushRedirected('redirect/app', githubRedirect(status, operationId));
        expectRefused(outcome, text, keyMaterial(keys.privateKeyPem));
      },
    );

    it.each([
      ['reading', 'ApplicationService_Get'],
      ['patching', 'ApplicationService_Patch'],
    ])(
      'keeps the Argo CD token home when %s the Application, and the write-back fails',
      async (_, operationId) => {
        const { outcome, text } = await pushRedirected('redirect/argo', () =>
          scenario.stack.argocd.injectFault({
            kind: 'status',
            status,
            operationId,
            times: 50,
            text: '',
            headers: { location: elsewhere.location('/api/v1/applications/redirect-argo') },
          }),
        );
        expectRefused(outcome, text, [LOCAL_ARGOCD_TOKEN]);
        expect(
          scenario.stack.argocd.applications().find((app) => app.metadata.name === 'redirect-argo'),
        ).toMatchObject({
          spec: {
            source: { helm: { parameters: expect.arrayContaining([{ name: 'image.tag', value: '1.0.0' }]) } },
          },
        });
      },
    );
  });
});
