import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { CONSENT_FILE_NAME } from 'ecr-image-updater/lib/domain/consent/consent-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { DecisionRecord } from '../../lib/app/decision-record.ts';
import { runCli } from '../support/run-cli.ts';

// Apps burst-1 to burst-3 follow the ECR repositories burst/1 to burst/3, each writing to a GitOps
// repository of its own, so that what is asserted here is the delivery, not a race on one branch.
const APPS = 3;

describe('ecr-image-updater local push, several images at once', () => {
  let stack: LocalStack;
  let env: Record<string, string>;
  const history = async (app: string): Promise<DecisionRecord[]> =>
    JSON.parse((await runCli(['history', app, '--json'], '', env)).stdout);
  const register = (document: object) => runCli(['apps', 'register', '-f', '-'], stringify(document), env);
  const burstApp = (n: number) => ({
    name: `burst-${n}`,
    images: [{ image: `${stack.registryHost}/burst/${n}:~1.0` }],
    writeBack: { method: 'git', git: { repo: `burst/gitops-${n}`, branch: 'main', path: 'app' } },
  });

  beforeAll(async () => {
    stack = await LocalStack.start();
    env = stack.env();
    for (let n = 1; n <= APPS; n++) {
      await stack.github.createRepository('burst', `gitops-${n}`, {
        files: {
          [CONSENT_FILE_NAME]: `allow:\n  - images: [${stack.registryHost}/burst/*]\n`,
          'app/README.md': 'burst\n',
        },
      });
      expect((await register(burstApp(n))).code).toBe(0);
    }
  });
  afterAll(() => stack.close());

  it('pushes every image first, then delivers the events at once: one block each, failures last, then the totals', async () => {
    // burst-3 writes to a repository that does not exist (its default branch, which cannot be read): it
    // fails, the others go on.
    const orphan = {
      ...burstApp(3),
      writeBack: { method: 'git', git: { repo: 'acme/deleted-repo', path: 'app' } },
    };
    expect((await register(orphan)).code).toBe(0);
    // Each GitHub call takes 100 ms, so an invocation lasts a few hundred: long enough to see overlap.
    stack.github.latencyMs = 100;
    const result = await runCli(
      ['local', 'push', 'burst/3:1.0.1', 'burst/1:1.0.1', 'burst/2:1.0.1'],
      '',
      env,
    );
    stack.github.latencyMs = 0;
    expect((await register(burstApp(3))).code).toBe(0);

    expect(result).toMatchObject({ code: 1, stderr: '' });
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^event ECR Image Action PUSH SUCCESS burst\/1:1\.0\.1 sha256:[0-9a-f]{12}\.\.\.$/,
      ),
      expect.stringMatching(/^ {2}burst-1: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.1\)$/),
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS burst\/2:1\.0\.1 /),
      expect.stringMatching(/^ {2}burst-2: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.1\)$/),
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS burst\/3:1\.0\.1 /),
      expect.stringMatching(/^ {2}burst-3: failed \(GitHub: .*\)$/),
      expect.stringMatching(
        /^3 images pushed and 3 events delivered, 3 at a time, in \d+\.\d\d s: 2 apps updated, 0 unchanged, 0 skipped, 1 failed$/,
      ),
      '',
    ]);
    const written = await stack.github.readFile(
      'burst',
      'gitops-2',
      'main',
      'app/.argocd-source-burst-2.yaml',
    );
    expect(written).toContain(`value: ${stack.registryHost}/burst/2\n`);
    expect(written).toContain('value: 1.0.1\n');

    const decisions = await Promise.all([1, 2, 3].map(async (n) => (await history(`burst-${n}`))[0]!));
    const received = decisions.map((decision) => decision.timings.receivedAt);
    const finished = decisions.map((decision) => decision.timings.finishedAt);
    // Every invocation had started before any of them finished: the three ran at the same time.
    expect(Math.max(...received)).toBeLessThan(Math.min(...finished));
    // And every image was in ECR before the first event was delivered, as a CI job's pushes land.
    const pushedAt = [1, 2, 3].flatMap((n) => stack.ecr.images(`burst/${n}`).map((image) => image.pushedAt));
    expect(Math.max(...pushedAt)).toBeLessThanOrEqual(Math.min(...received));
  });

  it('delivers one event at a time with --concurrency 1', async () => {
    stack.github.latencyMs = 20;
    const result = await runCli(
      ['local', 'push', 'burst/1:1.0.2', 'burst/2:1.0.2', 'burst/3:1.0.2', '--concurrency', '1'],
      '',
      env,
    );
    stack.github.latencyMs = 0;
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /\n3 images pushed and 3 events delivered, 1 at a time, in \d+\.\d\d s: 3 apps updated, 0 unchanged, 0 skipped, 0 failed\n$/,
    );
    const decisions = await Promise.all([1, 2, 3].map(async (n) => (await history(`burst-${n}`))[0]!));
    const byStart = decisions.map(({ timings }) => timings).sort((a, b) => a.receivedAt - b.receivedAt);
    for (let i = 1; i < byStart.length; i++)
      expect(byStart[i]!.receivedAt).toBeGreaterThanOrEqual(byStart[i - 1]!.finishedAt);
  });

  it('pushes n generated images with --generate, --repository-prefix and --tag', async () => {
    const result = await runCli(
      ['local', 'push', '--generate', '4', '--repository-prefix', 'burst/', '--tag', '1.0.3'],
      '',
      env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('  burst-3: committed');
    expect(result.stdout).toMatch(
      /\nevent ECR Image Action PUSH SUCCESS burst\/4:1\.0\.3 sha256:\S+\n {2}no app follows this repository\n/,
    );
    expect(result.stdout).toMatch(
      /\n4 images pushed and 4 events delivered, 4 at a time, in \d+\.\d\d s: 3 apps updated, 0 unchanged, 0 skipped, 0 failed\n$/,
    );
    expect([1, 2, 3, 4].map((n) => stack.ecr.images(`burst/${n}`).flatMap((image) => image.tags))).toEqual(
      [1, 2, 3, 4].map(() => expect.arrayContaining(['1.0.3'])),
    );
  });

  it('prints a list for scripts with --json, one entry per image, its events with their outcomes', async () => {
    const result = await runCli(
      ['local', 'push', 'burst/1:1.0.4', 'burst/2:1.0.4', '--platforms', 'linux/amd64,linux/arm64', '--json'],
      '',
      env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const delivered = JSON.parse(result.stdout);
    expect(delivered).toHaveLength(2);
    expect(delivered.map((push: { deliveries: unknown[] }) => push.deliveries.length)).toEqual([3, 3]);
    expect(delivered[1].deliveries[2].outcome.apps[0]).toMatchObject({
      app: 'burst-2',
      kind: 'updated',
      changes: [{ from: '1.0.3', to: '1.0.4' }],
    });
  });

  const sha = `sha256:${'0'.repeat(64)}`;
  it.each([
    [
      ['local', 'push'],
      'usage: no image to push; name one or more <repository>:<tag> (flask-app:1.0.2), or generate them (--generate 50 --repository-prefix burst/ --tag 1.0.1)',
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', 'burst/1:1.0.1'],
      "usage: 'burst/1:1.0.1' is given twice; name each image once",
    ],
    [
      ['local', 'push', 'burst//1:1.0.1'],
      "usage: 'burst//1:1.0.1' is not <repository>:<tag>; e.g. ecr-image-updater local push flask-app:1.0.2",
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', 'burst/2:1.0.1', '--digest', sha],
      '--digest: tags one image ECR already holds; name one <repository>:<tag> with it',
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', '--tag', '1.0.2'],
      '--tag: goes with --generate; a named image carries its own (flask-app:1.0.2); generated images take it: --generate 50 --repository-prefix burst/ --tag 1.0.1',
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', '--repository-prefix', 'burst/'],
      '--repository-prefix: goes with --generate; a named image carries its own (flask-app:1.0.2); generated images take it: --generate 50 --repository-prefix burst/ --tag 1.0.1',
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', '--generate', '2', '--tag', '1.0.1'],
      "--generate: makes up the images, and 'burst/1:1.0.1' names one; give named images or --generate, not both",
    ],
    [
      ['local', 'push', '--generate', '0', '--tag', '1.0.1'],
      "--generate: '0' is not a whole number from 1 to 1000; e.g. --generate 50 --repository-prefix burst/ --tag 1.0.1",
    ],
    [
      ['local', 'push', '--generate', '1001', '--tag', '1.0.1'],
      "--generate: '1001' is not a whole number from 1 to 1000; e.g. --generate 50 --repository-prefix burst/ --tag 1.0.1",
    ],
    [
      ['local', 'push', '--generate', '2.5', '--tag', '1.0.1'],
      "--generate: '2.5' is not a whole number from 1 to 1000; e.g. --generate 50 --repository-prefix burst/ --tag 1.0.1",
    ],
    [
      ['local', 'push', '--generate', '5'],
      '--tag: missing: --generate needs the tag to push; e.g. --generate 50 --repository-prefix burst/ --tag 1.0.1',
    ],
    [
      ['local', 'push', '--generate', '5', '--tag', '.1'],
      "--tag: '.1' is not an image tag; use up to 128 letters, digits, _ . and -, not starting with . or -, e.g. 1.0.1",
    ],
    [
      ['local', 'push', '--generate', '5', '--tag', '1.0.1', '--repository-prefix', 'Burst/'],
      "--repository-prefix: 'Burst/' followed by a number is not an ECR repository name; use lowercase letters and digits, separated by one of . _ - / (256 characters in all), e.g. burst/ or burst-",
    ],
    [
      ['local', 'push', 'burst/1:1.0.1', '--concurrency', '0'],
      "--concurrency: '0' is not a whole number from 1 to 1000; e.g. --concurrency 10",
    ],
  ])('exits 2 on %j, naming the argument or option and the fix', async (args, message) => {
    const result = await runCli(args, '', env);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(`ecr-image-updater local: ${message}\n`);
  });

  it('exits 2 on more than 1000 images at once', async () => {
    const images = Array.from({ length: 1001 }, (_, n) => `burst/${n}:1.0.1`);
    const result = await runCli(['local', 'push', ...images], '', env);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('ecr-image-updater local: usage: 1001 images; push at most 1000 at once\n');
  });
});
