import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { flaskAppChart, TUTORIAL_REPO } from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { runTutorial, type TutorialResult } from '@ecr-image-updater/local/tutorial/run-tutorial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { flaskApp } from '../fixtures/registrations.ts';
import { itWithLayerBinaries, needsLayerBinaries } from '../support/layer-binaries.ts';
import { BIN, runBinary, runCli } from '../support/run-cli.ts';

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
    expect(output).toContain('flask-argocd: patched Application flask-argocd (1.0.0 -> 1.0.2)');
    // Every file a command to copy names is in this repository, at the path the command gives.
    const named = [...output.matchAll(/\$ ecr-image-updater .*/g)].flatMap(([line]) =>
      [...line.matchAll(/\bexamples\/[\w.-]+/g)].map(([file]) => file),
    );
    expect(named).toEqual(expect.arrayContaining(['examples/flask-app.yaml', 'examples/flask-values.yaml']));
    expect(named.filter((file) => !existsSync(new URL(`../../${file}`, import.meta.url)))).toEqual([]);
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
    const files = Object.fromEntries(
      Object.entries(flaskAppChart(stack.registryHost)).map(([p, t]) => [`flask-app/${p}`, t]),
    );
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, { files });
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
    [['local', 'push', 'flask-app'], "'flask-app' is not <repository>:<tag>"],
    [['local', 'push', 'flask-app:1.0.0', '--digest', 'md5:x'], "--digest: 'md5:x' is not a sha256 digest"],
  ])('exits 2 on %j', async (args, message) => {
    const result = await runCli(args, '', env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('says to start the peers first when their environment is missing', async () => {
    const result = await runCli(['local', 'push', 'flask-app:1.0.0'], '', {});
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain(
      'no local peers are known; run ecr-image-updater local up --env-out .local.env',
    );
  });
});

describe('ecr-image-updater local up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-up-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the peers until Ctrl-C, for commands in another process (git and Argo CD), then removes what it made', async () => {
    const envFile = join(dir, 'local.env');
    const child = spawn(process.execPath, [BIN, 'local', 'up', '--env-out', envFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local up did not get ready: ${output}`)), 20_000);
      child.stdout.on('data', () => {
        if (output.includes('\nready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const env = Object.fromEntries(
      readFileSync(envFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => /^export ([A-Z_]+)=(.*)$/.exec(line)!.slice(1) as [string, string]),
    );
    expect(output).toContain(`export AWS_ENDPOINT_URL_ECR=${env.AWS_ENDPOINT_URL_ECR}`);
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
      /^registered flask-argocd \(revision 1\): .* through the default Argo CD server\n/,
    );
    const pushedAgain = await runBinary(['local', 'push', 'flask-app:1.0.4'], '', env);
    expect(pushedAgain.stdout).toContain('flask-app: committed');
    expect(pushedAgain.stdout).toContain('flask-argocd: patched Application flask-argocd ((unset) -> 1.0.4)');

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped; removed what the peers made');
    expect(existsSync(envFile)).toBe(false);
    expect(existsSync(gitops)).toBe(false);
  });
});
