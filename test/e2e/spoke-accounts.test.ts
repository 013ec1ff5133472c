import { deliverPush } from '@ecr-image-updater/local/deliver-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { flaskApp } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';

// A hub (the local stack's account) with one spoke; the spoke's ECR is read only through its role.
const SPOKE = '210987654321';
const UNLISTED = '555555555555';
const SPOKE_HOST = `${SPOKE}.dkr.ecr.us-west-2.amazonaws.com`;
const SOURCE = 'flask-app/.argocd-source-flask-app.yaml';

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start({ spokeAccounts: [SPOKE] });
});
afterAll(() => scenario.close());

describe('a push in a spoke account, end to end on the local peers', () => {
  it('moves an app registered in the hub, reading the spoke through one AssumeRole for two events', async () => {
    const { stack } = scenario;
    await scenario.register({
      ...structuredClone(flaskApp),
      images: [{ image: `${SPOKE_HOST}/flask-app:~1.0` }],
    });
    // Built once, as the Lambda builds its dependencies once per cold start.
    const deps = scenario.deps();
    const handle = (event: unknown) => handleImagePush(deps, event);
    const push = (tag: string) =>
      deliverPush(stack.spokeEcrClient(SPOKE), handle, {
        accountId: SPOKE,
        region: stack.region,
        repository: 'flask-app',
        tag,
      });
    const assumed = () => stack.sts.calls.filter((call) => call === 'AssumeRole').length;

    const first = await push('1.0.0');
    expect(first.deliveries.at(-1)!.outcome).toMatchObject({
      kind: 'handled',
      push: { accountId: SPOKE },
      apps: [{ app: 'flask-app', kind: 'updated', changes: [{ to: '1.0.0' }] }],
    });
    await push('1.0.1');

    expect(parse((await scenario.file(SOURCE))!).helm.parameters).toContainEqual({
      name: 'image.tag',
      value: '1.0.1',
      forcestring: true,
    });
    expect(assumed()).toBe(1);
  });

  it("keeps the hub's own role out of the spoke's registry, as ECR does without a repository policy", async () => {
    const { stack } = scenario;
    const pushing = deliverPush(stack.clients().ecr, () => Promise.reject(new Error('not reached')), {
      accountId: SPOKE,
      region: stack.region,
      repository: 'flask-app',
      tag: '1.0.9',
    });
    await expect(pushing).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('ignores a push from an account the hub does not list, saying why', async () => {
    const { stack } = scenario;
    const delivered = await deliverPush(stack.spokeEcrClient(UNLISTED), scenario.handle, {
      accountId: UNLISTED,
      region: stack.region,
      repository: 'flask-app',
      tag: '1.0.5',
    });
    expect(delivered.deliveries.at(-1)!.outcome).toEqual({
      kind: 'ignored',
      id: expect.any(String),
      code: 'unlisted-account',
      reason: `account ${UNLISTED} is not a spoke of hub ${stack.accountId}; list it in the hub's spokes to follow its pushes`,
    });
  });
});
