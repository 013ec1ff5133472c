import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createImagePushHandler, RetryableFailureError } from '../../functions/image-push.ts';
import { PowertoolsMetrics } from '../../lib/adapters/powertools-metrics.ts';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import { keepingLines } from '../support/capture-output.ts';
import { itWithLayerBinaries, needsLayerBinaries } from '../support/layer-binaries.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

const SOURCE = 'flask-app/.argocd-source-flask-app.yaml';
const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/ecr-events/${name}`, import.meta.url), 'utf8'));

let scenario: LocalScenario;
beforeAll(async () => {
  scenario = await LocalScenario.start();
});
afterAll(() => scenario.close());

describe('an ECR push, end to end on the local peers', () => {
  it('runs the seed tutorial: 1.0.0 and 1.0.2 are committed, 2.0.0 is outside ~1.0, children are ignored', async () => {
    await scenario.register(structuredClone(flaskApp));

    const first = await scenario.push('flask-app', '1.0.0');
    // buildx pushes the image and its provenance attestation untagged, then the index that tags them.
    expect(first.deliveries.map((d) => d.outcome.kind)).toEqual(['ignored', 'ignored', 'handled']);
    const firstOutcome = first.deliveries.at(-1)!.outcome;
    expect(firstOutcome.kind === 'handled' && firstOutcome.apps[0]).toMatchObject({
      kind: 'updated',
      changes: [{ to: '1.0.0' }],
    });
    expect(parse((await scenario.file(SOURCE))!)).toEqual({
      helm: {
        parameters: [
          { name: 'image.name', value: `${ECR_HOST}/flask-app`, forcestring: true },
          { name: 'image.tag', value: '1.0.0', forcestring: true },
        ],
      },
    });

    await scenario.push('flask-app', '1.0.2');

    const outside = await scenario.push('flask-app', '2.0.0', { platforms: ['linux/amd64', 'linux/arm64'] });
    expect(outside.deliveries.map((d) => d.outcome.kind)).toEqual([
      'ignored',
      'ignored',
      'ignored',
      'ignored',
      'handled',
    ]);
    expect(outside.deliveries[0]!.outcome).toMatchObject({
      reason: 'untagged push (a platform manifest of an image index)',
    });
    const last = outside.deliveries.at(-1)!.outcome;
    expect(last.kind === 'handled' && last.apps[0]).toEqual({
      app: 'flask-app',
      kind: 'unchanged',
      images: [{ image: `${ECR_HOST}/flask-app`, kind: 'current', version: '1.0.2' }],
    });

    const log = await scenario.log();
    expect(log.map((c) => c.message.split('\n')[0])).toEqual([
      'build(flask-app): update flask-app to 1.0.2',
      'build(flask-app): update flask-app to 1.0.0',
      expect.any(String),
    ]);
    expect(log[0]?.message).toContain(`- ${ECR_HOST}/flask-app: 1.0.0 -> 1.0.2`);
    expect(log[0]?.message).toMatch(new RegExp(`Image-Digest: ${ECR_HOST}/flask-app@sha256:[0-9a-f]{64}`));
    expect(scenario.stack.github.invalidCalls()).toEqual([]);
  });

  itWithLayerBinaries(
    needsLayerBinaries('renders the committed 1.0.2 with the real helm, as Argo CD would'),
    async () => {
      expect(await scenario.renderedImages()).toEqual([`${ECR_HOST}/flask-app:1.0.2`]);
    },
  );

  it.each([
    ['push-untagged-child.json', 'untagged push (a platform manifest of an image index)'],
    ['push-failed.json', "push result 'FAILURE'"],
    ['delete.json', "action 'DELETE' is not a push"],
  ])('ignores %s through the Lambda handler, with the reason', async (file, reason) => {
    const handler = createImagePushHandler(scenario.deps());
    expect(await handler(sample(file))).toEqual({ status: 'ignored', reason });
  });

  it('keeps a newest-build app on its image when a signature and a chart are pushed after it', async () => {
    await scenario.register({
      ...structuredClone(flaskApp),
      name: 'signed-app',
      images: [{ image: `${ECR_HOST}/signed-app`, strategy: 'newest-build' }],
    });
    const image = await scenario.push('signed-app', 'build-1');
    const signed = await scenario.push('signed-app', 'unused', {
      artifact: { kind: 'cosign-signature', signs: image.pushed.digest },
    });
    const signatureTag = `${image.pushed.digest.replace(':', '-')}.sig`;
    expect(signed.deliveries.map((d) => d.event.detail)).toEqual([
      {
        result: 'SUCCESS',
        'repository-name': 'signed-app',
        'image-digest': signed.pushed.digest,
        'action-type': 'PUSH',
        // cosign's manifest has an OCI image config: only the tag tells it from an image.
        'artifact-media-type': 'application/vnd.oci.image.config.v1+json',
        'manifest-media-type': 'application/vnd.oci.image.manifest.v1+json',
        'image-tag': signatureTag,
      },
    ]);
    const chart = await scenario.push('signed-app', 'unused', {
      artifact: { kind: 'helm-chart', name: 'signed-app', version: '9.9.9' },
    });
    expect(chart.deliveries[0]!.event.detail['artifact-media-type']).toBe(
      'application/vnd.cncf.helm.config.v1+json',
    );
    for (const { deliveries } of [signed, chart]) {
      const outcome = deliveries.at(-1)!.outcome;
      expect(outcome.kind === 'handled' && outcome.apps[0]).toEqual({
        app: 'signed-app',
        kind: 'unchanged',
        images: [{ image: `${ECR_HOST}/signed-app`, kind: 'current', version: 'build-1' }],
      });
    }
    const file = parse((await scenario.file('flask-app/.argocd-source-signed-app.yaml'))!);
    expect(file.helm.parameters[1]).toEqual({ name: 'image.tag', value: 'build-1', forcestring: true });
    const history = await runCli(['history', 'signed-app', '--limit', '1'], '', scenario.stack.env());
    expect(history.stdout).toContain('an artifact, not an image: a Helm chart');
    expect(history.stdout).toContain('an artifact, not an image: a cosign signature tag');
  });

  it('answers a push no app follows without touching ECR or GitHub', async () => {
    scenario.stack.ecr.clearCalls();
    scenario.stack.github.clearCalls();
    const handler = createImagePushHandler(scenario.deps());
    expect(await handler(sample('push-index-tagged.json'))).toEqual({ status: 'handled', apps: [] });
    expect(scenario.stack.ecr.callCount()).toBe(0);
    expect(scenario.stack.github.callCount()).toBe(0);
  });
});

describe('failures and races', () => {
  let local: LocalScenario;
  beforeAll(async () => {
    local = await LocalScenario.start();
    await local.stack.github.createRepository('acme', 'other-gitops', { files: { 'web/README.md': 'x' } });
  });
  afterAll(() => local.close());

  it("resolves a race on the branch (GitHub's STALE_DATA) by reading again, keeping what the other writer wrote", async () => {
    await local.register({ ...structuredClone(flaskApp), name: 'racer' });
    await local.push('flask-app', '1.0.0');
    let raced = false;
    local.stack.github.beforeWrite = async () => {
      if (raced) return;
      raced = true;
      const text = await local.file('flask-app/.argocd-source-racer.yaml');
      await local.stack.github.commitFiles('devopscube', 'argocd-image-updater', {
        files: { 'flask-app/.argocd-source-racer.yaml': `${text}# a teammate's note\n` },
        message: 'a teammate edits the file',
      });
    };
    const delivered = await local.push('flask-app', '1.0.1');
    local.stack.github.beforeWrite = undefined;
    const outcome = delivered.deliveries.at(-1)!.outcome;
    expect(outcome.kind === 'handled' && outcome.apps[0]).toMatchObject({ kind: 'updated', attempts: 2 });
    const text = (await local.file('flask-app/.argocd-source-racer.yaml'))!;
    expect(text).toContain("# a teammate's note");
    expect(parse(text).helm.parameters[1]).toEqual({ name: 'image.tag', value: '1.0.1', forcestring: true });
    // The mutation of the 1.0.0 push, the one that lost the race (STALE_DATA) and the one that landed.
    const mutations = local.stack.github.graphqlCalls.filter((call) => call.operation === 'mutation');
    expect(mutations.length).toBeGreaterThanOrEqual(3);
    await local.stack.registry().remove('racer');
  });

  it('lets one app whose repository is gone fail without stopping another app in the same event', async () => {
    await local.register(
      { ...structuredClone(flaskApp), name: 'healthy' },
      {
        ...structuredClone(flaskApp),
        name: 'orphan',
        writeBack: { method: 'git', git: { repo: 'acme/deleted-repo', path: 'x' } },
      },
    );
    const { metrics, lines } = keepingLines(
      new PowertoolsMetrics({ namespace: 'EcrImageUpdater', service: 'updater' }),
    );
    const handler = createImagePushHandler(local.deps(), metrics);
    await local.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.7' });
    const pushedAt = new Date(Date.now() - 1500).toISOString();
    const result = await handler({
      ...sample('push-tagged.json'),
      id: 'event-1.0.7',
      time: pushedAt,
      detail: { ...sample('push-tagged.json').detail, 'image-tag': '1.0.7' },
    });
    expect(result).toEqual({
      status: 'handled',
      apps: [
        { app: 'healthy', outcome: 'updated' },
        { app: 'orphan', outcome: 'failed' },
      ],
    });
    expect(loggedFailure(local, 'orphan', 'not-found')).toBe(true);
    const [updated, failed] = lines.map((line) => JSON.parse(line));
    expect(updated).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'EcrImageUpdater', Dimensions: [['Service']] }] },
      Service: 'updater',
      AppsUpdated: 1,
    });
    // EMF takes a value or a list of values; Powertools writes one value as a number.
    expect([updated.PushToWriteBackLatency].flat()[0]).toBeGreaterThanOrEqual(1500);
    expect(failed).toMatchObject({ Service: 'updater', Reason: 'not-found', AppsFailed: 1 });
    await local.stack.registry().remove('orphan');
  });

  it('records each app of a repository that cannot be read as failed, with the reason, instead of throwing', async () => {
    // An app imported with a wrong --account: ECR has no such repository in that account.
    await local.register({
      ...structuredClone(flaskApp),
      name: 'wrong-account',
      images: [{ image: '999999999999.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0' }],
    });
    const handler = createImagePushHandler(local.deps());
    const result = await handler({
      ...sample('push-tagged.json'),
      id: 'event-wrong-account',
      account: '999999999999',
    });
    expect(result).toEqual({ status: 'handled', apps: [{ app: 'wrong-account', outcome: 'failed' }] });
    const [decision] = await local.stack.audit().history('wrong-account', { limit: 1 });
    expect(decision).toMatchObject({
      outcome: 'failed',
      summary: expect.stringContaining('repository 999999999999/us-west-2/flask-app does not exist'),
    });
    await local.stack.registry().remove('wrong-account');
  });

  it('fails the apps of a repository the role may not read, for good, naming the permission', async () => {
    const allow = local.stack.ecr.denyAccess({ repository: 'flask-app', operations: ['DescribeImages'] });
    const handler = createImagePushHandler(local.deps());
    const result = await handler({ ...sample('push-tagged.json'), id: 'event-denied' });
    allow();
    // Handled, not thrown: no retry of the event can grant the permission.
    expect(result).toMatchObject({ status: 'handled', apps: [{ app: 'healthy', outcome: 'failed' }] });
    const [decision] = await local.stack.audit().history('healthy', { limit: 1 });
    expect(decision).toMatchObject({
      outcome: 'failed',
      summary: expect.stringContaining('the role may not call ecr:DescribeImages on'),
    });
    expect(loggedFailure(local, 'healthy', 'denied')).toBe(true);
  });

  it('fails the invocation when a retry can help, and the retry finishes the job', async () => {
    const handler = createImagePushHandler(local.deps());
    local.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.8' });
    // A 502 for a moment is retried within the invocation; one that lasts fails it.
    local.stack.github.injectFault({ operationId: 'graphql', kind: 'status', status: 502, times: 4 });
    const event = {
      ...sample('push-tagged.json'),
      id: 'event-1.0.8',
      detail: { ...sample('push-tagged.json').detail, 'image-tag': '1.0.8' },
    };
    await expect(handler(event)).rejects.toBeInstanceOf(RetryableFailureError);
    expect(await handler(event)).toEqual({
      status: 'handled',
      apps: [{ app: 'healthy', outcome: 'updated' }],
    });
    expect(await handler(event)).toEqual({
      status: 'ignored',
      reason: expect.stringMatching(/^a repeated delivery of event .+, handled at /),
    });
  });

  it('does not retry a branch a ruleset keeps for pull requests, and its history says to open one', async () => {
    await local.register({ ...structuredClone(flaskApp), name: 'ruled' });
    await local.stack.github.setRepositoryPolicy('devopscube', 'argocd-image-updater', {
      rulesetBranches: ['main'],
    });
    try {
      await local.stack.ecr.pushImage({ repository: 'flask-app', tag: '1.0.9' });
      local.stack.github.clearCalls();
      const result = await createImagePushHandler(local.deps())({
        ...sample('push-tagged.json'),
        id: 'event-ruled',
        detail: { ...sample('push-tagged.json').detail, 'image-tag': '1.0.9' },
      });
      // Handled, not thrown: no Lambda retry and no dead letter for what no retry can fix.
      expect(result).toMatchObject({ status: 'handled' });
      expect(result.status === 'handled' && result.apps).toContainEqual({ app: 'ruled', outcome: 'failed' });
      expect(local.stack.github.graphqlCalls.filter((c) => c.operation === 'mutation')).toHaveLength(1);
      const [decision] = await local.stack.audit().history('ruled', { limit: 1 });
      expect(decision).toMatchObject({
        outcome: 'failed',
        summary: expect.stringContaining('set writeBack.git.pullRequest: true'),
      });
    } finally {
      await local.stack.github.setRepositoryPolicy('devopscube', 'argocd-image-updater', {});
      await local.stack.registry().remove('ruled');
    }
  });

  it('holds a paused app where it is until it is resumed', async () => {
    await local.stack.registry().setPaused('healthy', true);
    const paused = await local.push('flask-app', '1.0.9');
    expect(paused.deliveries.at(-1)!.outcome).toMatchObject({ apps: [{ app: 'healthy', kind: 'skipped' }] });
    expect(parse((await local.file('flask-app/.argocd-source-healthy.yaml'))!).helm.parameters[1].value).toBe(
      '1.0.8',
    );
    await local.stack.registry().setPaused('healthy', false);
    const resumed = await local.push('flask-app', '1.0.10');
    expect(resumed.deliveries.at(-1)!.outcome).toMatchObject({
      apps: [{ app: 'healthy', kind: 'updated', changes: [{ from: '1.0.8', to: '1.0.10' }] }],
    });
  });

  it('keeps a manual pin above the constraint (noDowngrade)', async () => {
    await local.stack.github.commitFiles('devopscube', 'argocd-image-updater', {
      files: {
        'flask-app/.argocd-source-healthy.yaml':
          'helm:\n  parameters:\n  - name: image.tag\n    value: 1.1.0\n    forcestring: true\n',
      },
      message: 'pin 1.1.0 by hand',
    });
    const delivered = await local.push('flask-app', '1.0.11');
    expect(delivered.deliveries.at(-1)!.outcome).toMatchObject({
      apps: [{ kind: 'unchanged', images: [{ kind: 'hold' }] }],
    });
  });

  it('never writes the GitHub token into a log line', async () => {
    expect(local.logger.lines().join('\n')).not.toContain('local-github-token');
  });
});

/** Whether the logger has the line of `app`'s failure for `reason`, not retryable. */
function loggedFailure(scenario: LocalScenario, app: string, reason: string): boolean {
  return scenario.logger
    .lines()
    .some(
      (line) =>
        line.includes(`"app":"${app}"`) &&
        line.includes(`"reason":"${reason}"`) &&
        line.includes('"retryable":false'),
    );
}
