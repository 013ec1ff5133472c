import { deliverPush } from '@ecr-image-updater/local/deliver-push';
import { TUTORIAL_REPO } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { flaskApp } from '../fixtures/registrations.ts';
import { appSecret, generateAppKeyPair, keyMaterial } from '../support/github-app-keys.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const APP_ID = 501;
const keys = generateAppKeyPair();
const stranger = generateAppKeyPair();
const LOOKUP = 'apps/get-repo-installation';
const MINT = 'apps/create-installation-access-token';

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  scenario.stack.github.registerApp({
    appId: APP_ID,
    publicKeyPem: keys.publicKeyPem,
    slug: 'ecr-image-updater',
    installations: [{ account: TUTORIAL_REPO.owner, repositories: [TUTORIAL_REPO.name] }],
  });
  scenario.stack.secrets.putSecret('github-app', appSecret(APP_ID, keys.privateKeyPem));
  scenario.stack.secrets.putSecret('github-app-old-key', appSecret(APP_ID, stranger.privateKeyPem));
  for (const secret of ['github-app', 'github-app-old-key'])
    scenario.stack.addConnection('github', {
      name: secret,
      secret,
      repositories: [`${TUTORIAL_REPO.owner}/${TUTORIAL_REPO.name}`],
      requireConsent: false,
    });
});
afterAll(() => scenario.close());

/** An app of the tutorial that writes through the connection whose credentials are in `secret`. */
function appWith(name: string, secret: string) {
  const document = structuredClone(flaskApp) as unknown as { name: string; writeBack: { git: object } };
  document.name = name;
  document.writeBack.git = { ...document.writeBack.git, connection: secret };
  return document;
}

/** Pushes with the wiring built once, as a warm Lambda keeps it between invocations. */
function warmLambda() {
  const deps = scenario.deps();
  const handle = (event: unknown) => handleImagePush(deps, event);
  return (tag: string) =>
    deliverPush(scenario.stack.clients().ecr, handle, {
      accountId: scenario.stack.accountId,
      region: scenario.stack.region,
      repository: 'flask-app',
      tag,
    });
}

describe('git write-back as a GitHub App, end to end on the local peers', () => {
  it('commits as the app, finding its installation and minting its token once for two pushes', async () => {
    await scenario.register(appWith('flask-app', 'github-app'));
    scenario.stack.github.clearCalls();
    const push = warmLambda();
    const first = await push('1.0.1');
    const second = await push('1.0.2');
    for (const delivered of [first, second])
      expect(delivered.deliveries.at(-1)?.outcome).toMatchObject({
        kind: 'handled',
        apps: [{ app: 'flask-app', kind: 'updated' }],
      });
    const source = parse((await scenario.file('flask-app/.argocd-source-flask-app.yaml'))!);
    expect(source.helm.parameters).toContainEqual({ name: 'image.tag', value: '1.0.2', forcestring: true });
    const [latest, previous] = await scenario.log();
    expect(latest?.message.split('\n')[0]).toBe('build(flask-app): update flask-app to 1.0.2');
    expect(previous?.message.split('\n')[0]).toBe('build(flask-app): update flask-app to 1.0.1');
    // GraphQL commits are authored by the credential's owner and committed as GitHub's web commits are.
    expect(latest?.author.name).toBe('ecr-image-updater[bot]');
    expect(latest?.committer.name).toBe('GitHub');

    const github = scenario.stack.github;
    expect(github.callCount(LOOKUP)).toBe(1);
    expect(github.callCount(MINT)).toBe(1);
    // Each push reads the file and writes it, with the token minted for the first.
    expect(github.callCount()).toBe(2 + 2 * 2);
    expect(github.invalidCalls()).toEqual([]);
    await scenario.stack.registry().remove('flask-app');
  });

  it("fails only the app whose key is not the app's, clearly and for good", async () => {
    await scenario.register(appWith('fresh-key', 'github-app'), appWith('old-key', 'github-app-old-key'));
    const delivered = await warmLambda()('1.0.3');
    const outcome = delivered.deliveries.at(-1)!.outcome;
    if (outcome.kind !== 'handled') throw new Error(`the push was ${outcome.kind}`);
    const byApp = Object.fromEntries(outcome.apps.map((app) => [app.app, app]));
    expect(byApp['fresh-key']).toMatchObject({ kind: 'updated' });
    expect(byApp['old-key']).toMatchObject({ kind: 'failed', retryable: false, reason: 'denied' });
    const error = byApp['old-key']?.kind === 'failed' ? byApp['old-key'].error : '';
    expect(error).toContain(`GitHub App ${APP_ID}`);
    expect(error).toContain('A JSON web token could not be decoded');
    expect(error).toContain('check appId and privateKey in the credentials secret');
    for (const line of keyMaterial(stranger.privateKeyPem)) expect(error).not.toContain(line);
    expect(await scenario.file('flask-app/.argocd-source-old-key.yaml')).toBeUndefined();
    expect(scenario.logger.lines().join('\n')).not.toMatch(/ghs_|BEGIN RSA|eyJhbGciOi/);
  });
});
