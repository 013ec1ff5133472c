/**
 * Bad input of any kind gets a clear error or a skip with a reason, never a crash and never a corrupted
 * file: malformed events through the real handler, tags crafted against YAML, target files that are not
 * what they should be, and registrations that try to leave the repository. Peers answering HTML and huge
 * tag lists are in hostile-answers.test.ts.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentImages, renderArgoCdApp } from '@ecr-image-updater/local/render/render-argocd-app';
import { flaskAppChart } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createImagePushHandler, type ImagePushResult } from '../../functions/image-push.ts';
import { parseVersion } from '../../lib/domain/tags/version.ts';
import { hostileEvents, PUSH } from '../fixtures/hostile/events.ts';
import { exhaustingRegistrations } from '../fixtures/hostile/registration-files.ts';
import { escapingRegistrations } from '../fixtures/hostile/registration-paths.ts';
import { hostileTags } from '../fixtures/hostile/tags.ts';
import { hostileTargetFiles } from '../fixtures/hostile/target-files.ts';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import {
  expectIntact,
  gitApp,
  parseBothWays,
  pushEvent,
  type Settled,
  settle,
  sourceParameter,
  valueAt,
} from '../support/hostile-checks.ts';
import { itWithLayerBinaries, needsLayerBinaries } from '../support/layer-binaries.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

const SOURCE = 'flask-app/.argocd-source-flask-app.yaml';
const REPO = { owner: 'devopscube', name: 'argocd-image-updater' };

let scenario: LocalScenario;
let handler: (event: unknown) => Promise<ImagePushResult>;
beforeAll(async () => {
  // About bad input, not throughput: these cases send some 130 writes to GitHub within seconds, past its
  // 80 content-creating requests a minute, which the product meets by failing retryably
  // (test/integration/adapters/github-repository.test.ts) rather than by waiting here.
  scenario = await LocalScenario.start({ github: { rateLimits: false } });
  await scenario.register(structuredClone(flaskApp));
  await scenario.push('flask-app', '1.0.0');
  await scenario.push('flask-app', '1.0.2');
  handler = createImagePushHandler(scenario.deps());
});
afterAll(() => scenario.close());

const appOutcomes = (settled: Settled) =>
  'result' in settled ? Object.fromEntries((settled.result.apps ?? []).map((a) => [a.app, a.outcome])) : {};

describe('hostile EventBridge events, through the Lambda handler', () => {
  it.each(hostileEvents)('answers %s without a crash', async (_what, build, expected) => {
    const before = await scenario.file(SOURCE);
    const logged = scenario.logger.entries.length;
    const settled = await settle(handler, build());
    expect(settled).toHaveProperty('result');
    const { result } = settled as { result: ImagePushResult };
    if ('ignored' in expected) {
      expect(result).toEqual({ status: 'ignored', reason: expect.stringContaining(expected.ignored) });
      expect(result.reason!.length).toBeLessThan(200);
      expect(result.reason).not.toMatch(/\n/);
    } else {
      expect(result.status).toBe('handled');
    }
    for (const line of scenario.logger.lines().slice(logged)) expect(line.length).toBeLessThan(2_000);
    expectIntact(before, await scenario.file(SOURCE), ['1.0.0', '1.0.2']);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('source');
  });
});

describe('tags crafted against YAML, as DescribeImages could list them', () => {
  const repositoryOf = (i: number) => `hostile-tags/t${i}`;
  const valuesOf = (i: number) => `hostile-tags/t${i}/values.yaml`;
  // The tutorial chart's values, pointed at the case's repository.
  const valuesText = (i: number, tag: string) =>
    flaskAppChart(ECR_HOST)
      ['values.yaml']!.replace('/flask-app\n', `/${repositoryOf(i)}\n`)
      .replace('tag: "1.0.0"', `tag: ${tag}`);
  beforeAll(async () => {
    const files: Record<string, string> = {};
    hostileTags.forEach((tag, i) => {
      scenario.stack.ecr.pushImage({ repository: repositoryOf(i), tag, created: i + 1 });
      files[valuesOf(i)] = valuesText(i, '"0.0.1"');
    });
    await scenario.stack.github.commitFiles(REPO.owner, REPO.name, { files, message: 'hostile tags' });
    await scenario.register(
      ...hostileTags.flatMap((_tag, i) => [
        gitApp(`tag-${i}`, repositoryOf(i), { path: `hostile-tags/t${i}` }, { strategy: 'newest-build' }),
        gitApp(
          `tag-${i}-values`,
          repositoryOf(i),
          { path: `hostile-tags/t${i}`, target: 'helmvalues' },
          { strategy: 'newest-build', helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
        ),
        gitApp(`tag-${i}-semver`, repositoryOf(i), { path: `hostile-tags/t${i}/semver` }),
      ]),
    );
  });

  // The event carries a well-formed tag (ECR would never emit these); the handler reads the tags itself.
  it.each(hostileTags.map((tag, i) => [JSON.stringify(tag).slice(0, 40), tag, i] as const))(
    'writes %s so YAML reads back the same string, and semver takes it only if it is a version',
    async (_shown, tag, i) => {
      const settled = await settle(handler, pushEvent(repositoryOf(i), 'probe', PUSH));
      // Without a constraint, semver takes releases only: `2001-12-14` reads as 2001.0.0-12-14.
      const semver = parseVersion(tag)?.prerelease === '' ? 'updated' : 'unchanged';
      expect(appOutcomes(settled)).toEqual({
        [`tag-${i}`]: 'updated',
        [`tag-${i}-values`]: 'updated',
        [`tag-${i}-semver`]: semver,
      });
      const source = await scenario.file(`hostile-tags/t${i}/.argocd-source-tag-${i}.yaml`);
      expect(sourceParameter(source!, 'image.tag')).toBe(tag);
      const values = parseBothWays((await scenario.file(valuesOf(i)))!);
      expect(values).toEqual(parseBothWays(valuesText(i, JSON.stringify(tag))));
      expect((values as { image: { tag: unknown } }).image.tag).toBe(tag);
      const semverFile = await scenario.file(`hostile-tags/t${i}/semver/.argocd-source-tag-${i}-semver.yaml`);
      expect(semverFile === undefined ? undefined : sourceParameter(semverFile, 'image.tag')).toBe(
        semver === 'updated' ? tag : undefined,
      );
    },
  );

  it.each([128, 300])('acts on the event of a %i-character tag, pushed over the ECR API', async (length) => {
    const tag = `v${'1'.repeat(length - 1)}`;
    const repository = `hostile-tags/long-${length}`;
    await scenario.register(
      gitApp(`long-${length}`, repository, { path: repository }, { strategy: 'newest-build' }),
    );
    const delivered = await scenario.push(repository, tag);
    expect(delivered.deliveries.at(-1)?.outcome).toMatchObject({
      kind: 'handled',
      apps: [{ app: `long-${length}`, kind: 'updated' }],
    });
    const source = await scenario.file(`${repository}/.argocd-source-long-${length}.yaml`);
    expect(sourceParameter(source!, 'image.tag')).toBe(tag);
  });

  itWithLayerBinaries.each([
    'yes',
    'No',
    'null',
    '~',
    '1e3',
    '0x10',
    '0o17',
    '010',
    '1_000',
    '1.10',
    '.inf',
    '1:20',
    '2001-12-14',
  ])(
    needsLayerBinaries('renders %s with the real helm from the values file as the same tag'),
    async (tag) => {
      const i = hostileTags.indexOf(tag);
      const values = (await scenario.file(valuesOf(i)))!;
      const manifests = await renderArgoCdApp({
        files: { ...flaskAppChart(ECR_HOST), 'values.yaml': values },
        releaseName: `tag-${i}`,
      });
      expect(deploymentImages(manifests)).toEqual([`${ECR_HOST}/${repositoryOf(i)}:${tag}`]);
    },
  );
});

describe('target files that are not what they should be', () => {
  // Each file in a repository of its own: apps that share a repository and branch share one commit.
  const where = (kind: 'source' | 'values', i: number) => ({ owner: 'hostile-files', name: `${kind}-${i}` });
  beforeAll(async () => {
    for (const [i, [, text]] of hostileTargetFiles.entries()) {
      scenario.stack.ecr.pushImage({ repository: `hostile-files/f${i}`, tag: '1.0.1' });
      await scenario.stack.github.createRepository('hostile-files', `source-${i}`, {
        files: { [`app/.argocd-source-file-${i}.yaml`]: text },
      });
      await scenario.stack.github.createRepository('hostile-files', `values-${i}`, {
        files: { 'app/values.yaml': text },
      });
    }
    await scenario.register(
      ...hostileTargetFiles.flatMap((_file, i) => [
        gitApp(`file-${i}`, `hostile-files/f${i}`, { repo: `hostile-files/source-${i}`, path: 'app' }),
        gitApp(
          `file-${i}-values`,
          `hostile-files/f${i}`,
          { repo: `hostile-files/values-${i}`, path: 'app', target: 'helmvalues' },
          { helm: { imageName: 'image.repository', imageTag: 'image.tag' } },
        ),
      ]),
    );
  });

  it.each(
    hostileTargetFiles.map(([what, text, source, values], i) => [what, i, text, source, values] as const),
  )(
    'handles %s: refused with the reason and left byte for byte, or edited into valid YAML',
    async (_what, i, text, sourceExpectation, valuesExpectation) => {
      const logged = scenario.logger.entries.length;
      const settled = await settle(handler, pushEvent(`hostile-files/f${i}`, '1.0.1', PUSH));
      expect(settled).toHaveProperty('result');
      const failures = scenario.logger.entries.slice(logged).filter((entry) => entry.level === 'error');
      const checks = [
        [`file-${i}`, where('source', i), `app/.argocd-source-file-${i}.yaml`, sourceExpectation],
        [`file-${i}-values`, where('values', i), 'app/values.yaml', valuesExpectation],
      ] as const;
      for (const [app, repo, path, expected] of checks) {
        const after = await scenario.file(path, repo);
        if ('refused' in expected) {
          expect(appOutcomes(settled)[app]).toBe('failed');
          const failure = failures.find((entry) => entry.fields.app === app);
          expect(failure?.fields).toMatchObject({ reason: 'invalid-target', retryable: false });
          expect(failure?.message).toContain(expected.refused);
          expect(failure?.message).toContain('nothing was written');
          expect(after).toBe(text);
        } else {
          expect(appOutcomes(settled)[app]).toBe('updated');
          const tag = path.endsWith('values.yaml')
            ? valueAt(after!, ['image', 'tag'])
            : sourceParameter(after!, 'image.tag');
          expect(tag).toBe('1.0.1');
        }
      }
    },
  );
});

describe('registrations that try to leave the repository', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = scenario.stack.env();
  });

  it.each(escapingRegistrations)(
    'refuses %s with exit code 2 and stores nothing',
    async (_what, git, message) => {
      const document = gitApp('escaper', 'flask-app', git);
      const result = await runCli(['apps', 'register', '-f', '-'], JSON.stringify(document), env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect((await runCli(['apps', 'show', 'escaper'], '', env)).code).toBe(1);
    },
  );
});

describe('registration files built to exhaust the CLI', () => {
  // register, register --dry-run and a second -f read the file through the same bounds.
  const good = join(mkdtempSync(join(tmpdir(), 'hostile-')), 'good.yaml');
  writeFileSync(good, stringify({ ...flaskApp, name: 'good-first' }));
  const reads = [
    ['apps register -f -', ['-f', '-'], ''],
    ['apps register --dry-run -f -', ['--dry-run', '-f', '-'], ''],
    ['apps register -f good.yaml -f -', ['-f', good, '-f', '-'], '-: '],
  ] as const;
  const cases = exhaustingRegistrations.flatMap((registration) =>
    reads.map(([how, args, source]) => [...registration, how, args, source] as const),
  );
  it.each(cases)(
    'refuses %s quickly, with exit code 2, one short line naming the field and the limit, storing nothing (%s)',
    async (_what, text, field, limit, _how, args, source) => {
      const env = scenario.stack.env();
      const before = (await runCli(['apps', 'list', '--json'], '', env)).stdout;
      const started = performance.now();
      const result = await runCli(['apps', 'register', ...args], text, env);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      const named = field === '--file' ? field : `${source}${field}`;
      expect(result.stderr.startsWith(`ecr-image-updater apps: ${named}: `)).toBe(true);
      expect(result.stderr).toContain(limit);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.length).toBeLessThan(1024);
      expect((await runCli(['apps', 'list', '--json'], '', env)).stdout).toBe(before);
    },
  );
});
