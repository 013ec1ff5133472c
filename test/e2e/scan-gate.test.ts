import { randomUUID } from 'node:crypto';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { ecrScanEvent } from '@ecr-image-updater/local/ecr-push-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatHistory } from '../../cli/commands/history-output.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const APP = 'gated-app';
const SOURCE = `flask-app/.argocd-source-${APP}.yaml`;

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  await scenario.stack.clients().ecr.send(
    new CreateRepositoryCommand({
      repositoryName: 'gated',
      imageScanningConfiguration: { scanOnPush: true },
    }),
  );
  // As ECR does: the scan on push runs after the push, in progress until it is done.
  scenario.stack.ecr.scansCompleteAtPush = false;
  await scenario.register({
    name: APP,
    images: [{ image: `${ECR_HOST}/gated:~1.4`, scanGate: { CRITICAL: 0, HIGH: 2 } }],
    writeBack: {
      method: 'git',
      git: { repo: 'devopscube/argocd-image-updater', branch: 'main', path: 'flask-app' },
    },
  });
});
afterAll(() => scenario.close());

const deployedTag = async () => {
  const text = await scenario.file(SOURCE);
  return text === undefined ? undefined : parse(text).helm.parameters[1].value;
};

/** The image's scan completes with `findings`, and ECR announces it. */
function completeScan(tag: string, findings: Record<string, number>) {
  const digest = scenario.stack.ecr.setScan('gated', tag, { status: 'COMPLETE', findings });
  return ecrScanEvent(
    { digest, tags: [tag], status: 'COMPLETE', findings },
    {
      accountId: scenario.stack.accountId,
      region: scenario.stack.region,
      repository: 'gated',
      time: new Date(),
      newId: randomUUID,
    },
  );
}

describe('an app gated on the scan', () => {
  it('moves nothing on a push whose scan has not completed, saying why', async () => {
    const pushed = await scenario.push('gated', '1.4.1', { provenance: false });
    expect(pushed.deliveries.at(-1)!.outcome).toMatchObject({
      apps: [
        {
          app: APP,
          kind: 'unchanged',
          images: [{ kind: 'none', reason: expect.stringContaining('scan-gate') }],
        },
      ],
    });
    expect(await deployedTag()).toBeUndefined();
  });

  it('moves the moment the scan completes within the gate, once however often the event comes', async () => {
    const event = completeScan('1.4.1', { HIGH: 2, MEDIUM: 9 });
    const first = await scenario.handle(event);
    expect(first).toMatchObject({
      kind: 'handled',
      apps: [{ app: APP, kind: 'updated', changes: [{ to: '1.4.1' }] }],
    });
    expect(await deployedTag()).toBe('1.4.1');
    expect(await scenario.handle(event)).toMatchObject({ kind: 'ignored', code: 'duplicate' });
    const commits = (await scenario.log()).filter((c) => c.message.includes('gated'));
    expect(commits).toHaveLength(1);
  });

  it('stays where it is when a newer image is over the gate, naming the counts in the history', async () => {
    await scenario.push('gated', '1.4.2', { provenance: false });
    const outcome = await scenario.handle(completeScan('1.4.2', { CRITICAL: 1, HIGH: 3 }));
    expect(outcome).toMatchObject({ apps: [{ app: APP, kind: 'unchanged' }] });
    expect(await deployedTag()).toBe('1.4.1');
    const history = formatHistory(APP, await scenario.stack.audit().history(APP, { limit: 10 }));
    expect(history).toContain('basic scan of 1.4.2 completed in');
    expect(history).toContain(
      '1 scan findings over the gate: 1 CRITICAL (at most 0), 3 HIGH (at most 2) (1.4.2)',
    );
    expect(history).toContain('1 scan not complete (IN_PROGRESS) (1.4.1)');
  });
});
