import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOCAL_DEAD_LETTER_QUEUE, LocalStack } from '@ecr-image-updater/local/local-stack';
import {
  TUTORIAL_REPO,
  tutorialConsentFile,
  tutorialRepositoryFiles,
} from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { runTutorial, type TutorialResult } from '@ecr-image-updater/local/tutorial/run-tutorial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ECR_HOST, flaskApp } from '../fixtures/registrations.ts';
import { closedPortUrl } from '../support/closed-port.ts';
import { itWithLayerBinaries, needsLayerBinaries } from '../support/layer-binaries.ts';
import { startLocalUp, stopEveryLocalUp } from '../support/local-up.ts';
import { runBinary, runCli } from '../support/run-cli.ts';

const execFileAsync = promisify(execFile);

describe('ecr-image-updater demo (npm start)', () => {
  const image = '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app';
  let output = '';
  let result: TutorialResult;
  beforeAll(async () => {
    result = await runTutorial((text) => {
      output += text;
    });
  });

  it('replays the seed tutorial through git and through Argo CD', () => {
    expect(result).toMatchObject({ git: { commits: 4, pulls: 1 }, argocd: { tag: '1.0.2' } });
    expect(output).toContain('ignored: untagged push (a platform manifest of an image index)');
    expect(output).toContain(`flask-app: no change (${image} already at 1.0.2)`);
    expect(output).toMatch(
      /flask-app: committed (\w{7}) on main \(1\.0\.2 -> 1\.0\.3\)\n.*\n\s+flask-values: committed \1 on main/,
    );
    expect(output).toContain(
      'flask-preview: proposed in pull request #1 from ecr-image-updater/flask-preview/argocd-source ((unset) -> 1.0.4)',
    );
    expect(output).toContain(
      `ecr-image-updater/allow-images: ${image} (its owners' consent to that image being written into it)`,
    );
    expect(output).toContain('flask-argocd: patched Application flask-argocd (1.0.0 -> 1.0.2)');
    // Every file a command to copy names is in this repository, at the path the command gives.
    const named = [...output.matchAll(/\$ ecr-image-updater .*/g)].flatMap(([line]) =>
      [...line.matchAll(/\bexamples\/[\w.-]+/g)].map(([file]) => file),
    );
    expect(named).toEqual(expect.arrayContaining(['examples/flask-app.yaml', 'examples/flask-values.yaml']));
    expect(named.filter((file) => !existsSync(new URL(`../../${file}`, import.meta.url)))).toEqual([]);
  });

  it('says in demo --help every step, push and app the tutorial runs', async () => {
    const help = await runCli(['demo', '--help']);
    expect(help.code).toBe(0);
    const pushed = new Set(
      [...output.matchAll(/^ *event ECR Image Action PUSH SUCCESS flask-app:(\S+) /gm)].map((m) => m[1]!),
    );
    expect([...pushed].sort()).toEqual(['1.0.0', '1.0.2', '1.0.3', '1.0.4', '2.0.0']);
    expect([...pushed].filter((tag) => !help.stdout.includes(tag))).toEqual([]);
    const apps = new Set([...output.matchAll(/^ +registered ([\w-]+) /gm)].map((m) => m[1]!));
    expect([...apps].sort()).toEqual(['flask-app', 'flask-argocd', 'flask-preview', 'flask-values']);
    expect([...apps].filter((app) => !help.stdout.includes(app))).toEqual([]);
    const steps = (text: string, line: RegExp) => [...text.matchAll(line)].map((m) => Number(m[1]));
    expect(steps(help.stdout, /^ +(\d+)\. /gm)).toEqual(steps(output, /^(\d+)\. /gm));
  });

  itWithLayerBinaries(
    needsLayerBinaries('renders what the git and the Argo CD paths landed with the real helm'),
    () => {
      expect(result.git.images).toEqual([`${image}:1.0.4`]);
      expect(result.argocd.images).toEqual([`${image}:1.0.2`]);
      expect(output).toContain(`Deployment flask-argocd, container flask-app: image ${image}:1.0.2`);
    },
  );
});

describe('ecr-image-updater local push', () => {
  let stack: LocalStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await LocalStack.start();
    env = stack.env();
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      files: tutorialRepositoryFiles(stack.registryHost),
    });
    await runCli(['apps', 'register', '-f', '-'], stringify(flaskApp), env);
  });
  afterAll(() => stack.close());

  it('pushes to the local ECR and prints what each app did', async () => {
    const result = await runCli(['local', 'push', 'flask-app:1.0.1'], '', env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^event ECR Image Action PUSH SUCCESS flask-app:1\.0\.1 sha256:[0-9a-f]{12}\.\.\.\n {2}flask-app: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.1\)\n$/,
    );
  });

  it('retags an image ECR holds by digest, and prints JSON for scripts', async () => {
    const [image] = stack.ecr.images('flask-app');
    const result = await runCli(
      ['local', 'push', 'flask-app:1.0.5', '--digest', image!.digest, '--json'],
      '',
      env,
    );
    const delivered = JSON.parse(result.stdout);
    expect(delivered.pushed.digest).toBe(image!.digest);
    expect(delivered.deliveries[0].outcome.apps[0]).toMatchObject({
      kind: 'updated',
      changes: [{ from: '1.0.1', to: '1.0.5' }],
    });
  });

  it.each([
    [
      ['local', 'push', 'flask-app'],
      "usage: 'flask-app' is not <repository>:<tag>; e.g. ecr-image-updater local push flask-app:1.0.2",
    ],
    [['local', 'push', 'flask-app:1.0.0', '--digest', 'md5:x'], "--digest: 'md5:x' is not a sha256 digest"],
    [
      ['local', 'push', 'x:1.0.0', '--platforms', 'linux'],
      "--platforms[0]: 'linux' is not a platform; write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7",
    ],
    [
      ['local', 'push', 'x:1.0.0', '--platforms', 'linux/amd64,linux/arm64,linux/amd64'],
      "--platforms[2]: 'linux/amd64' is given twice; name each platform once",
    ],
    [
      ['local', 'push', 'x:1.0.0', '--platforms', ' , '],
      '--platforms: names no platform; e.g. --platforms linux/amd64,linux/arm64',
    ],
  ])('exits 2 on %j, naming the option and the fix', async (args, message) => {
    const result = await runCli(args, '', env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`ecr-image-updater local: ${message}\n`);
    expect(result.stdout).toBe('');
  });

  it("prints every app's outcome, failures last, and exits 1 when one failed", async () => {
    const orphan = {
      ...structuredClone(flaskApp),
      name: 'aaa-orphan',
      writeBack: { method: 'git', git: { repo: 'acme/deleted-repo', path: 'x' } },
    };
    await runCli(['apps', 'register', '-f', '-'], stringify(orphan), env);
    const result = await runCli(['local', 'push', 'flask-app:1.0.7'], '', env);
    await runCli(['apps', 'remove', 'aaa-orphan'], '', env);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS flask-app:1\.0\.7 /),
      expect.stringMatching(/^ {2}flask-app: committed [0-9a-f]{7} on main \(1\.0\.5 -> 1\.0\.7\)$/),
      expect.stringMatching(/^ {2}aaa-orphan: failed \(GitHub: .*\)$/),
      '',
    ]);
  });

  it('shows an app gated on the scan waiting on the push and moving when the scan event arrives', async () => {
    const gated = {
      ...structuredClone(flaskApp),
      name: 'gated',
      images: [{ image: `${ECR_HOST}/gated-local:~1.4`, scanGate: { CRITICAL: 0, HIGH: 2 } }],
    };
    // The owners let the gated image write under flask-app/ too (docs/write-back.md, consent).
    await stack.github.commitFiles(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      files: {
        '.ecr-image-updater.yaml': `${tutorialConsentFile(stack.registryHost)}  - images: [${ECR_HOST}/gated-local]\n    paths: [flask-app]\n`,
      },
      message: 'consent to gated-local',
    });
    await runCli(['apps', 'register', '-f', '-'], stringify(gated), env);
    const clean = await runCli(['local', 'push', 'gated-local:1.4.1', '--scan-findings', 'HIGH=1'], '', env);
    const over = await runCli(
      ['local', 'push', 'gated-local:1.4.2', '--scan-findings', 'critical=1'],
      '',
      env,
    );
    await runCli(['apps', 'remove', 'gated'], '', env);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout.split('\n')).toEqual([
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS gated-local:1\.4\.1 /),
      expect.stringMatching(
        /^ {2}gated: no change \(.*gated-local: none of the 1 tags passes scan-gate CRITICAL<=0,HIGH<=2\)$/,
      ),
      'event ECR Image Scan COMPLETE gated-local:1.4.1 (1 HIGH)',
      expect.stringMatching(/^ {2}gated: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.4\.1\)$/),
      '',
    ]);
    expect(over.stdout.split('\n')).toEqual([
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS gated-local:1\.4\.2 /),
      expect.stringMatching(/^ {2}gated: no change \(.*gated-local already at 1\.4\.1\)$/),
      'event ECR Image Scan COMPLETE gated-local:1.4.2 (1 CRITICAL)',
      expect.stringMatching(/^ {2}gated: no change \(.*gated-local already at 1\.4\.1\)$/),
      '',
    ]);
  });

  it('says once what becomes of a failed event: no retry in local mode, the dead-letter queue', async () => {
    stack.github.injectFault({ kind: 'status', status: 502, times: 100 });
    const result = await runCli(['local', 'push', 'flask-app:1.0.6'], '', env);
    stack.github.clearFaults();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS flask-app:1\.0\.6 sha256:/),
      expect.stringMatching(/^ {2}flask-app: failed, may succeed on retry \(GitHub: .*502/),
      '  local mode does not retry as Lambda does: the event is in the local dead-letter queue; ecr-image-updater redrive --apply replays it once the cause is fixed',
      '',
    ]);
    expect(stack.sqs.messages(LOCAL_DEAD_LETTER_QUEUE)).toHaveLength(1);
  });

  it('says local up is not running when the environment names peers that are gone', async () => {
    const url = await closedPortUrl();
    const result = await runCli(['local', 'push', 'flask-app:1.0.0'], '', {
      ...env,
      AWS_ENDPOINT_URL_ECR: url,
    });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^ecr-image-updater local: cannot reach ECR at http:\/\/127\.0\.0\.1:\d+ \(from \$AWS_ENDPOINT_URL_ECR\): connect ECONNREFUSED .*; that is a local-mode endpoint, so ecr-image-updater local up is not running: start it/,
      ),
      '',
    ]);
  });

  it.each([[['local', 'push', 'flask-app:1.0.0']], [['local', 'show']]])(
    'says to start the peers first when their environment is missing (%j)',
    async (args) => {
      const result = await runCli(args, '', {});
      expect(result).toMatchObject({ code: 2 });
      expect(result.stderr).toContain(
        'no local peers are known; run ecr-image-updater local up --env-out .local.env',
      );
    },
  );
});

describe('ecr-image-updater local up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-up-'));
  afterAll(async () => {
    await stopEveryLocalUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the peers until Ctrl-C, for commands in another process (git and Argo CD), then removes what it made', async () => {
    const envFile = join(dir, 'local.env');
    const up = await startLocalUp(envFile);
    const { env } = up;
    const output = up.output();
    expect(output).toContain(`export AWS_ENDPOINT_URL_ECR=${env.AWS_ENDPOINT_URL_ECR}`);
    expect(output).toContain(`dead-letter queue ${env.ECR_IMAGE_UPDATER_DLQ_URL}`);
    const peers = [...output.matchAll(/^ {2}(\w[\w ]*?) {2,}http/gm)].map((m) => m[1]!);
    expect(peers).toEqual(['DynamoDB', 'ECR', 'Secrets Manager', 'SQS', 'GitHub', 'Argo CD', 'git host']);
    const help = (await runCli(['local', '--help'])).stdout;
    expect(peers.filter((peer) => !help.includes(peer))).toEqual([]);
    expect(help).toContain('dead-letter queue');
    const registered = await runBinary(['apps', 'register', '-f', '-'], stringify(flaskApp), env);
    expect(registered.code).toBe(0);
    const pushed = await runBinary(['local', 'push', 'flask-app:1.0.3'], '', env);
    expect(pushed.stdout).toContain('flask-app: committed');
    const gitops = join(env.ECR_IMAGE_UPDATER_GITOPS_DIR!, 'devopscube', 'argocd-image-updater.git');
    expect(existsSync(gitops)).toBe(true);
    const imported = await runBinary(
      ['apps', 'import', 'examples/argocd-application.yaml', '--account', '123456789012'],
      '',
      env,
    );
    // The README's flow: the Application of the example sits beside the git app instead of replacing it.
    expect(imported.stdout).toMatch(
      /^registered flask-argocd \(revision 1\): .* through the default Argo CD connection\n/,
    );
    const pushedAgain = await runBinary(['local', 'push', 'flask-app:1.0.4'], '', env);
    expect(pushedAgain.stdout).toContain('flask-app: committed');
    expect(pushedAgain.stdout).toContain('flask-argocd: patched Application flask-argocd ((unset) -> 1.0.4)');

    // The same app through the plain git host (git http-backend): the commit is there for plain git log.
    expect((await runBinary(['apps', 'register', '-f', 'examples/flask-plain-git.yaml'], '', env)).code).toBe(
      0,
    );
    const pushedPlain = await runBinary(['local', 'push', 'flask-app:1.0.5'], '', env);
    expect(pushedPlain.stdout).toContain('flask-plain-git: committed');
    // The README's gated app: it waits on the push, and moves on the scan's event.
    expect((await runBinary(['apps', 'register', '-f', 'examples/flask-scan-gate.yaml'], '', env)).code).toBe(
      0,
    );
    const scanned = await runBinary(
      ['local', 'push', 'flask-app:1.0.6', '--scan-findings', 'HIGH=1'],
      '',
      env,
    );
    const gatedLines = scanned.stdout.split('\n').filter((line) => /^event |flask-gated/.test(line));
    expect(gatedLines).toEqual([
      expect.stringMatching(/^event ECR Image Action PUSH SUCCESS flask-app:1\.0\.6 /),
      expect.stringMatching(
        /^ {2}flask-gated: no change \(.*none of the \d+ tags passes scan-gate CRITICAL<=0,HIGH<=2\)$/,
      ),
      'event ECR Image Scan COMPLETE flask-app:1.0.6 (1 HIGH)',
      expect.stringMatching(/^ {2}flask-gated: queued for the writer \(.*flask-app -> 1\.0\.6\)$/),
      expect.stringMatching(/^ {2}flask-gated: committed [0-9a-f]{7} on main \(\(unset\) -> 1\.0\.6\)$/),
    ]);
    const served = env.ECR_IMAGE_UPDATER_GIT_HOST_DIR;
    expect(output).toContain(`repositories in ${served})`);
    const log = spawnSync(
      'git',
      ['--git-dir', join(served!, 'devopscube', 'argocd-image-updater.git'), 'log', '--format=%an %s', '-1'],
      { encoding: 'utf8' },
    );
    expect(log.stdout).toMatch(/^ecr-image-updater .*flask-plain-git/);

    const state = /^Local state in (\S+): removed when it stops \(--keep or --data-dir keeps it\)$/m.exec(
      output,
    )?.[1];
    expect(state).toBeDefined();
    expect(await up.stop()).toBe(0);
    expect(up.output()).toContain(`stopped; removed the local state (${state}); removed ${envFile}`);
    expect(existsSync(envFile)).toBe(false);
    expect(existsSync(state!)).toBe(false);
    expect(existsSync(gitops)).toBe(false);
  });

  it('shows the Applications and the open pull requests by hand: local show, and the curl lines of the docs', async () => {
    const up = await startLocalUp(join(dir, 'show.env'));
    const { env } = up;
    await runBinary(['apps', 'register', '-f', 'examples/flask-preview.yaml'], '', env);
    await runBinary(
      ['apps', 'import', 'examples/argocd-application.yaml', '--account', '123456789012'],
      '',
      env,
    );
    const pushed = await runBinary(['local', 'push', 'flask-app:1.0.5'], '', env);
    expect(pushed.stdout).toContain('flask-argocd: patched Application flask-argocd');
    const title = 'build(flask-preview): update flask-app to 1.0.5';

    const shown = await runBinary(['local', 'show'], '', env);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toContain(
      [
        '  Application argocd/flask-argocd',
        '    source https://github.com/devopscube/argocd-image-updater.git flask-app',
        '      helm parameter image.name=123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app',
        '      helm parameter image.tag=1.0.5',
      ].join('\n'),
    );
    expect(shown.stdout).toContain(
      [
        '  devopscube/argocd-image-updater: 1 open pull request',
        `    #1 ${title} (ecr-image-updater/flask-preview/argocd-source -> main)`,
      ].join('\n'),
    );
    const json = JSON.parse((await runBinary(['local', 'show', '--json'], '', env)).stdout);
    expect(json.pullRequests).toMatchObject([
      { repository: 'devopscube/argocd-image-updater', number: 1, title },
    ]);

    const development = readFileSync(new URL('../../docs/development.md', import.meta.url), 'utf8');
    const curls = [...development.matchAll(/^curl .*$/gm)].map(([line]) => line);
    expect(curls).toHaveLength(2);
    const [application, pulls] = await Promise.all(
      curls.map((line) =>
        execFileAsync('sh', ['-c', `${line} --silent --fail`], { env: { ...process.env, ...env } }),
      ),
    );
    expect(JSON.parse(application!.stdout).spec.source.helm.parameters).toContainEqual(
      expect.objectContaining({ name: 'image.tag', value: '1.0.5' }),
    );
    expect(JSON.parse(pulls!.stdout).map((pull: { title: string }) => pull.title)).toEqual([title]);
    expect(await up.stop()).toBe(0);
    const after = await runBinary(['local', 'show'], '', env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(
      `cannot reach the local Argo CD at ${env.ECR_IMAGE_UPDATER_LOCAL_ARGOCD_SERVER}/api/v1/applications (ECONNREFUSED); is local up still running?`,
    );
  });

  it('keeps the local state in --data-dir and resumes it: registrations, history, images and repositories', async () => {
    const envFile = join(dir, 'data.env');
    const dataDir = join(dir, 'state');
    const first = await startLocalUp(envFile, ['--data-dir', dataDir]);
    expect(first.output()).toContain(
      `Local state in ${dataDir}: kept when it stops; local up --data-dir ${dataDir} resumes it`,
    );
    expect((await runBinary(['apps', 'register', '-f', '-'], stringify(flaskApp), first.env)).code).toBe(0);
    const pushed = await runBinary(['local', 'push', 'flask-app:1.0.3', '--json'], '', first.env);
    const { digest } = JSON.parse(pushed.stdout).pushed;
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain(
      `stopped; the local state is in ${dataDir} (local up --data-dir ${dataDir} resumes it); removed ${envFile}`,
    );

    const second = await startLocalUp(envFile, ['--data-dir', dataDir]);
    expect(second.output()).toContain(`Local state in ${dataDir}, resumed where the last local up stopped`);
    const listed = await runBinary(['apps', 'list'], '', second.env);
    expect(listed.stdout).toContain('flask-app');
    const history = await runBinary(['history', 'flask-app'], '', second.env);
    expect(history.stdout).toContain('1.0.3');
    // The registration recorded who made it, through the STS local up exports (AWS_ENDPOINT_URL_STS).
    expect(history.stdout.split('\n')[0]).toMatch(
      /^flask-app: revision 1, registered by arn:aws:iam::123456789012:user\/local-developer at \S+Z$/,
    );
    // The image pushed before the restart is still in ECR: tag it again by its digest.
    const retagged = await runBinary(
      ['local', 'push', 'flask-app:1.0.5', '--digest', digest],
      '',
      second.env,
    );
    expect(retagged).toMatchObject({ code: 0 });
    expect(retagged.stdout).toMatch(/flask-app: committed [0-9a-f]{7} on main \(1\.0\.3 -> 1\.0\.5\)/);
    expect(await second.stop()).toBe(0);
  });

  it('keeps the temporary state folder and the env file with --keep, for --data-dir to resume', async () => {
    const envFile = join(dir, 'keep.env');
    const up = await startLocalUp(envFile, ['--keep']);
    const state = /^Local state in (\S+): kept when it stops; local up --data-dir \1 resumes it$/m.exec(
      up.output(),
    )?.[1];
    expect(state).toBeDefined();
    expect(await up.stop()).toBe(0);
    expect(up.output()).toContain(
      `stopped; the local state is in ${state} (local up --data-dir ${state} resumes it); kept ${envFile}`,
    );
    expect(existsSync(join(state!, 'github', 'devopscube', 'argocd-image-updater.git'))).toBe(true);
    expect(existsSync(join(state!, 'peers.json'))).toBe(true);
    expect(existsSync(envFile)).toBe(true);
    rmSync(state!, { recursive: true, force: true });
  });
});
