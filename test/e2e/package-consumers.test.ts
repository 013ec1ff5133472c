import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installPacked,
  NOT_AT_RUN_TIME,
  type PackedProduct,
  packProduct,
  ROOT,
  readJson,
} from '../support/packed-product.ts';

/** The prebuilt function's files: the bundle, isomorphic-git apart (ADR 0005) and the package.json naming it. */
const FUNCTION_FILES = [
  'index.mjs',
  'index.mjs.map',
  'isomorphic-git.mjs',
  'isomorphic-git.mjs.map',
  'package.json',
];

const work = mkdtempSync(join(tmpdir(), 'consumers-'));
let packed: PackedProduct;
beforeAll(() => {
  packed = packProduct(work);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const offline: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: mkdtempSync(join(tmpdir(), 'home-')),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  CDK_DISABLE_VERSION_CHECK: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
};

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: offline, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function consumer(name: string, files: Record<string, string>): string {
  const folder = join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(folder, file, '..'), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  return folder;
}

interface Template {
  readonly Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

function resources(template: Template, type: string) {
  return Object.values(template.Resources).filter((r) => r.Type === type);
}

/** The function's asset in cdk.out is the package's prebuilt bundle, byte for byte. */
function expectPrebuiltFunction(app: string, template: Template): void {
  const [fn] = resources(template, 'AWS::Lambda::Function').filter(
    (r) => r.Properties.Handler === 'index.handler',
  );
  expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
  const key = (fn?.Properties.Code as { S3Key?: string } | undefined)?.S3Key ?? '';
  const asset = join(app, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
  expect(readdirSync(asset).sort()).toEqual(FUNCTION_FILES);
  expect(readFileSync(join(asset, 'index.mjs'))).toEqual(
    readFileSync(join(app, 'node_modules', 'ecr-image-updater', 'dist', 'function', 'index.mjs')),
  );
  // The write queue's writer runs the same prebuilt bundle at its other export.
  const [writer] = resources(template, 'AWS::Lambda::Function').filter(
    (r) => r.Properties.Handler === 'index.writeHandler',
  );
  expect(writer?.Properties.Code).toEqual(fn?.Properties.Code);
}

function expectUpdaterResources(template: Template): void {
  const [rule] = resources(template, 'AWS::Events::Rule');
  expect(rule?.Properties.EventPattern).toMatchObject({
    source: ['aws.ecr'],
    'detail-type': ['ECR Image Action'],
    detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': ['flask-app'] },
  });
  expect(resources(template, 'AWS::DynamoDB::Table')).toHaveLength(1);
}

const APP_SOURCE = `
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Consumer');
new ImageUpdater(stack, 'Updater', { repositories: WatchedRepositories.named('flask-app') });
app.synth();
`;

describe('the packed product', () => {
  it('is a small tarball of compiled JavaScript, declarations and the prebuilt function', () => {
    expect(packed.bytes).toBeLessThan(2_000_000);
    expect(packed.files).toContain('dist/function/index.mjs');
    expect(packed.files).toContain('dist/function/isomorphic-git.mjs');
    expect(packed.files).toContain('dist/function/package.json');
    expect(packed.files).toContain('dist/infra/index.cjs');
    expect(packed.files).toContain('dist/infra/index.d.ts');
    expect(packed.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packed.files.filter((f) => /^(test|bench|local|node_modules)\//.test(f))).toEqual([]);
  });

  it('depends at run time on none of the local peers, a TypeScript loader or the CDK', () => {
    const runtime = Object.keys(packed.manifest.dependencies ?? {});
    expect(runtime.filter((name) => NOT_AT_RUN_TIME.includes(name))).toEqual([]);
    expect(runtime).not.toContain('aws-cdk-lib');
    expect(packed.manifest.peerDependencies).toMatchObject({
      'aws-cdk-lib': expect.any(String),
      constructs: expect.any(String),
    });
  });

  it('installs with its runtime dependencies only and answers --help and select', () => {
    const folder = consumer('cli', {
      'package.json': '{"name":"cli-user","version":"1.0.0","private":true}\n',
      'tags.json': JSON.stringify([{ tag: '1.0.0' }, { tag: '1.0.3' }, { tag: '1.1.0' }]),
    });
    installPacked(folder, packed);
    const bin = join(folder, 'node_modules', '.bin', 'ecr-image-updater');
    const help = run(bin, ['--help'], folder);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: ecr-image-updater <command>');
    const select = run(bin, ['select', '--image', 'flask-app:~1.0', '--candidates', 'tags.json'], folder);
    expect(select).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(select.stdout)).toEqual({ tag: '1.0.3' });
  });

  it('names the package to add when local or demo is run without it', () => {
    const folder = consumer('no-local', { 'package.json': '{"name":"no-local","version":"1.0.0"}\n' });
    installPacked(folder, packed);
    const local = run(join(folder, 'node_modules', '.bin', 'ecr-image-updater'), ['demo'], folder);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(
      "'demo' runs on the local peers, which are in the package @ecr-image-updater/local",
    );
    expect(local.stderr).toContain('npm install --save-dev @ecr-image-updater/local');
  });
});

describe('a CDK app that uses the construct', () => {
  const cdk = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

  it('synthesizes in TypeScript run by ts-node, the cdk init shape (CommonJS)', () => {
    const app = consumer('ts-app', {
      'package.json': '{"name":"ts-app","version":"0.1.0","bin":{"ts-app":"bin/ts-app.js"}}\n',
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['es2022'],
          strict: true,
          skipLibCheck: true,
          typeRoots: ['./node_modules/@types'],
          types: ['node'],
        },
        exclude: ['node_modules', 'cdk.out'],
      }),
      'cdk.json': JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/ts-app.ts' }),
      'bin/ts-app.ts': `import * as cdk from 'aws-cdk-lib';
import { ImageUpdater, WatchedRepositories } from 'ecr-image-updater/infra';
${APP_SOURCE}`,
    });
    installPacked(app, packed, [
      'aws-cdk-lib',
      'constructs',
      'ts-node',
      ['typescript', 'typescript-5'],
      '@types/node',
    ]);
    symlinkSync(join('..', 'ts-node', 'dist', 'bin.js'), join(app, 'node_modules', '.bin', 'ts-node'));
    const synth = run(process.execPath, [cdk, 'synth', '--quiet'], app);
    expect(synth.stderr).not.toMatch(/error/i);
    expect(synth.code).toBe(0);
    const template = readJson<Template>(join(app, 'cdk.out', 'Consumer.template.json'));
    expectUpdaterResources(template);
    expectPrebuiltFunction(app, template);
  }, 120_000);

  it('synthesizes in plain JavaScript with require, the cdk init javascript shape', () => {
    const app = consumer('js-app', {
      'package.json': '{"name":"js-app","version":"0.1.0"}\n',
      'cdk.json': JSON.stringify({ app: 'node bin/js-app.js' }),
      'bin/js-app.js': `const cdk = require('aws-cdk-lib');
const { ImageUpdater, WatchedRepositories } = require('ecr-image-updater/infra');
${APP_SOURCE}`,
    });
    installPacked(app, packed, ['aws-cdk-lib', 'constructs']);
    const synth = run(process.execPath, [cdk, 'synth', '--quiet'], app);
    expect(synth.code).toBe(0);
    const template = readJson<Template>(join(app, 'cdk.out', 'Consumer.template.json'));
    expectUpdaterResources(template);
    expectPrebuiltFunction(app, template);
  }, 120_000);

  it('synthesizes as an ES module app', () => {
    const app = consumer('esm-app', {
      'package.json': '{"name":"esm-app","version":"0.1.0","type":"module"}\n',
      'app.js': `import * as cdk from 'aws-cdk-lib';
import { ImageUpdater, WatchedRepositories } from 'ecr-image-updater/infra';
process.env.CDK_OUTDIR = 'cdk.out';
${APP_SOURCE}`,
    });
    installPacked(app, packed, ['aws-cdk-lib', 'constructs']);
    const synth = run(process.execPath, ['app.js'], app);
    expect(synth).toMatchObject({ code: 0, stderr: '' });
    const template = readJson<Template>(join(app, 'cdk.out', 'Consumer.template.json'));
    expectUpdaterResources(template);
    expectPrebuiltFunction(app, template);
  }, 60_000);
});
