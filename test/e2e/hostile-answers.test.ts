/**
 * Peers that answer what they should not: GitHub and Argo CD answering HTML (a proxy's error page, a
 * 200 that is not JSON) or cut-off JSON, and ECR listing 20,000 tags over many pages. Each gives a clear
 * error that a retry can fix, or works; nothing is half-written, and the retry lands the update. The
 * faults last through every attempt within the invocation, so the error reaches the handler's answer.
 */

import type { ArgoCdFault } from '@ecr-image-updater/local/argocd/fake-argocd-server';
import type { FaultSpec } from '@ecr-image-updater/local/github/fake-github-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagePushHandler, type ImagePushResult } from '../../functions/image-push.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { expectIntact, gitApp, pushEvent, settle } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
const GIT_FILE = 'hostile-answers/.argocd-source-answers-git.yaml';
const QUICK_RETRIES = { maxAttempts: 2, backoff: { baseMs: 10, capMs: 50 } };
type GitHubStatusFault = Extract<FaultSpec, { kind: 'status' }>;
type ArgoCdStatusFault = Extract<ArgoCdFault, { kind: 'status' }>;

let scenario: LocalScenario;
let handler: (event: unknown) => Promise<ImagePushResult>;
let version = 0;
beforeAll(async () => {
  scenario = await LocalScenario.start();
  scenario.stack.argocd.putApplication(helmApp('answers-argo'));
  await scenario.register(gitApp('answers-git', 'hostile-answers/git', { path: 'hostile-answers' }), {
    name: 'answers-argo',
    images: [
      {
        image: `${ECR_HOST}/hostile-answers/argo`,
        helm: { imageName: 'image.repository', imageTag: 'image.tag' },
      },
    ],
    writeBack: { method: 'argocd', argocd: { sync: 'never' } },
  });
  // Two quick attempts within an invocation are enough to show what reaches the handler's answer.
  handler = createImagePushHandler({ ...scenario.deps(), transientRetries: QUICK_RETRIES });
});
afterAll(() => scenario.close());

/** Pushes the next version to `repository` and answers its event. */
function nextPush(repository: string) {
  version += 1;
  const tag = `1.0.${version}`;
  scenario.stack.ecr.pushImage({ repository, tag });
  return { tag, event: pushEvent(repository, tag, PUSH) };
}

const argoTag = () =>
  scenario.stack.argocd
    .application('answers-argo')
    ?.spec.source?.helm?.parameters?.find((p) => p.name === 'image.tag')?.value;

describe('GitHub answering HTML or cut-off JSON', () => {
  const html = (status: number, operationId: string, contentType?: string): GitHubStatusFault => ({
    kind: 'status',
    status,
    operationId,
    body: HTML,
    ...(contentType ? { contentType } : {}),
  });
  it.each([
    ['a 502 HTML page on reading the file', html(502, 'graphql'), false],
    [
      'a 503 HTML page with Retry-After on reading the file',
      { ...html(503, 'graphql'), retryAfterSeconds: 1 },
      false,
    ],
    ['a 200 HTML page on reading the file', html(200, 'graphql'), false],
    [
      'a 200 of cut-off JSON on reading the file',
      { ...html(200, 'graphql', 'application/json; charset=utf-8'), body: '{"data":{"repository":{"ref' },
      false,
    ],
    ['a 502 HTML page on writing the file', html(502, 'graphql'), true],
    ['a 200 HTML page on writing the file', html(200, 'graphql'), true],
  ] as ReadonlyArray<readonly [string, GitHubStatusFault, boolean]>)(
    'gives %s a clear, retryable error, and the retry lands the update',
    async (_what, fault, afterTheRead) => {
      const { tag, event } = nextPush('hostile-answers/git');
      const before = await scenario.file(GIT_FILE);
      // The read and the commit are both GraphQL requests: a fault for the commit lets the read through.
      if (afterTheRead) scenario.stack.github.injectFault({ operationId: 'graphql', kind: 'delay', ms: 0 });
      // Every attempt within the invocation meets it; the error surfaces, and Lambda's retry finds it gone.
      scenario.stack.github.injectFault({ ...fault, times: 20 });
      const first = await settle(handler, event);
      scenario.stack.github.clearFaults();
      expect(first).toHaveProperty('retry');
      const message = 'retry' in first ? first.retry.message : '';
      expect(message).toMatch(/answers-git: GitHub: /);
      expect(message).toMatch(new RegExp(`HTTP ${fault.status}|not JSON`));
      expect(message.length).toBeLessThan(600);
      expectIntact(before, await scenario.file(GIT_FILE), [`1.0.${version - 1}`]);
      expect(await settle(handler, event)).toEqual({
        result: { status: 'handled', apps: [{ app: 'answers-git', outcome: 'updated' }] },
      });
      expectIntact(undefined, await scenario.file(GIT_FILE), [tag]);
    },
  );
});

describe('Argo CD answering HTML or cut-off JSON', () => {
  const text = (
    status: number,
    operationId: string,
    body: string,
    contentType: string,
  ): ArgoCdStatusFault => ({
    kind: 'status',
    status,
    operationId,
    text: body,
    contentType,
  });
  it.each([
    ['a 502 HTML page on reading the Application', text(502, 'ApplicationService_Get', HTML, 'text/html')],
    ['a 200 HTML page on reading the Application', text(200, 'ApplicationService_Get', HTML, 'text/html')],
    [
      'a 200 of cut-off JSON on reading the Application',
      text(
        200,
        'ApplicationService_Get',
        '{"metadata":{"name":"answers-argo","resourceVers',
        'application/json',
      ),
    ],
    ['a 502 HTML page on patching', text(502, 'ApplicationService_Patch', HTML, 'text/html')],
    [
      'a 200 of cut-off JSON on patching',
      text(200, 'ApplicationService_Patch', '{"metadata":{"na', 'application/json'),
    ],
  ] as ReadonlyArray<readonly [string, ArgoCdStatusFault]>)(
    'gives %s a clear, retryable error, and the retry lands the update',
    async (_what, fault) => {
      const { tag, event } = nextPush('hostile-answers/argo');
      const before = argoTag();
      scenario.stack.argocd.injectFault({ ...fault, times: 20 });
      const first = await settle(handler, event);
      scenario.stack.argocd.clearFaults();
      expect(first).toHaveProperty('retry');
      const message = 'retry' in first ? first.retry.message : '';
      expect(message).toMatch(/answers-argo: Argo CD: /);
      expect(message).toMatch(new RegExp(`HTTP ${fault.status}|not JSON`));
      expect(message.length).toBeLessThan(600);
      expect(argoTag()).toBe(before);
      expect(await settle(handler, event)).toEqual({
        result: { status: 'handled', apps: [{ app: 'answers-argo', outcome: 'updated' }] },
      });
      expect(argoTag()).toBe(tag);
    },
  );
});

describe('a repository of 20,000 tags', () => {
  const REPOSITORY = 'hostile-answers/huge';
  beforeAll(() => {
    for (let i = 0; i < 20_000; i++)
      scenario.stack.ecr.pushImage({ repository: REPOSITORY, tag: `2.${i % 7}.${i}`, created: i });
  }, 120_000);

  it('reads every page of DescribeImages once and picks the highest version the constraint allows', async () => {
    await scenario.register(
      gitApp('answers-huge', REPOSITORY, { path: 'hostile-answers/huge' }, { constraint: '~2.3' }),
    );
    scenario.stack.ecr.clearCalls();
    const started = performance.now();
    const settled = await settle(handler, pushEvent(REPOSITORY, '2.0.0', PUSH));
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(settled).toEqual({
      result: { status: 'handled', apps: [{ app: 'answers-huge', outcome: 'updated' }] },
    });
    expect(scenario.stack.ecr.callCount('DescribeImages')).toBe(20);
    const highest = Math.max(...Array.from({ length: 20_000 }, (_, i) => i).filter((i) => i % 7 === 3));
    expectIntact(undefined, await scenario.file('hostile-answers/huge/.argocd-source-answers-huge.yaml'), [
      `2.3.${highest}`,
    ]);
  });
});
