import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type Doc,
  ECR_HOST,
  flaskApp,
  fullExample,
  HUGE,
  invalidRegistrations,
} from '../fixtures/registrations.ts';
import { closedPortUrl } from '../support/closed-port.ts';
import { runBinary, runCli } from '../support/run-cli.ts';

let stack: LocalStack;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'apps-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const apps = (...args: string[]) => runCli(['apps', ...args], '', env);

beforeAll(async () => {
  stack = await LocalStack.start();
  env = stack.env();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ecr-image-updater apps', () => {
  it('registers an app from YAML, lists it, shows it, pauses, resumes and removes it', async () => {
    const registered = await apps('register', '-f', file('flask.yaml', stringify(flaskApp)));
    expect(registered).toMatchObject({ code: 0, stderr: '' });
    expect(registered.stdout).toBe(
      'registered flask-app (revision 1): follows 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app (semver ~1.0); writes devopscube/argocd-image-updater@main:flask-app/.argocd-source-flask-app.yaml\n',
    );
    expect((await apps('list')).stdout).toBe(
      'NAME       STATUS  REPOSITORIES  WRITES TO\nflask-app  active  flask-app     devopscube/argocd-image-updater@main:flask-app/.argocd-source-flask-app.yaml\n',
    );
    expect((await apps('show', 'flask-app')).stdout).toMatch(
      /^# flask-app: active, revision 1, updated .*\n# revision 1, registered by arn:aws:iam::123456789012:user\/local-developer at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nname: flask-app\nimages:\n- image: /,
    );
    expect((await apps('pause', 'flask-app')).stdout).toBe(
      'flask-app is paused: pushes leave it where it is until apps resume\n',
    );
    expect((await apps('list')).stdout).toContain('flask-app  paused');
    expect((await apps('resume', 'flask-app', '--json')).stdout).toBe(
      '{"name":"flask-app","paused":false,"revision":3}\n',
    );
    expect(await apps('remove', 'flask-app')).toMatchObject({ code: 0, stdout: 'removed flask-app\n' });
    expect((await apps('list')).stdout).toBe(
      'no apps are registered; add one with ecr-image-updater apps register -f <file>\n',
    );
  });

  it('registers JSON from standard input and several YAML documents at once, printing notes', async () => {
    const json = await runCli(
      ['apps', 'register', '-f', '-', '--json'],
      JSON.stringify({ ...flaskApp, name: 'from-stdin' }),
      env,
    );
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: 'from-stdin',
        revision: 1,
        paused: false,
        registeredBy: 'arn:aws:iam::123456789012:user/local-developer',
        notes: [],
        replaced: null,
      },
    ]);
    const two = `${stringify({ ...flaskApp, name: 'one' })}---\n${stringify({ ...flaskApp, name: 'two', images: [{ image: flaskApp.images[0].image, strategy: 'latest' }] })}`;
    const result = await apps('register', '-f', file('two.yaml', two));
    expect(result.stdout).toContain('registered one (revision 1)');
    expect(result.stdout).toContain(
      "  note: images[0]: the constraint '~1.0' has no effect on newest-build (as in Argo CD Image Updater); narrow with allowTags\n",
    );
  });

  it('says what changed when it replaces an app of the same name, in text and in JSON', async () => {
    const git = { ...structuredClone(flaskApp), name: 'replaced-app' };
    expect((await apps('register', '-f', file('git.yaml', stringify(git)))).stdout).toMatch(
      /^registered replaced-app \(revision 1\): /,
    );
    const argocd = { ...git, writeBack: { method: 'argocd', argocd: { project: 'default' } } };
    const replaced = await apps('register', '-f', file('argocd.yaml', stringify(argocd)));
    expect(replaced).toMatchObject({ code: 0, stderr: '' });
    expect(replaced.stdout).toBe('replaced replaced-app (revision 1 -> 2): writeBack git -> argocd\n');
    await apps('pause', 'replaced-app');
    const json = await apps('register', '-f', file('git.yaml', stringify(git)), '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: 'replaced-app',
        revision: 4,
        paused: true,
        registeredBy: 'arn:aws:iam::123456789012:user/local-developer',
        notes: [],
        replaced: { revision: 3, changes: ['writeBack argocd -> git'] },
      },
    ]);
    expect((await apps('register', '-f', file('git.yaml', stringify(git)))).stdout).toBe(
      'replaced replaced-app (revision 4 -> 5, paused): no field changed\n',
    );
  });

  it('records who registered each revision; apps show and history print the latest', async () => {
    const alice = 'arn:aws:sts::123456789012:assumed-role/team-a/alice';
    const bob = 'arn:aws:sts::123456789012:assumed-role/team-b/bob';
    const who = file('who.yaml', stringify({ ...structuredClone(flaskApp), name: 'who-app' }));
    const caller = stack.sts.identity;
    try {
      stack.sts.identity = { ...caller, arn: alice };
      expect((await apps('register', '-f', who)).code).toBe(0);
      expect((await apps('show', 'who-app')).stdout.split('\n')[1]).toMatch(
        /^# revision 1, registered by arn:aws:sts::123456789012:assumed-role\/team-a\/alice at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      stack.sts.identity = { ...caller, arn: bob };
      expect((await apps('register', '-f', who)).code).toBe(0);
      await apps('pause', 'who-app');
      const shown = (await apps('show', 'who-app')).stdout.split('\n');
      expect(shown[0]).toMatch(/^# who-app: paused, revision 3, /);
      expect(shown[1]).toMatch(
        /^# revision 2, registered by arn:aws:sts::123456789012:assumed-role\/team-b\/bob at \S+Z$/,
      );
      expect(JSON.parse((await apps('show', 'who-app', '--json')).stdout).registered).toMatchObject({
        by: bob,
        revision: 2,
      });
      const history = await runCli(['history', 'who-app'], '', env);
      expect(history.stdout.split('\n')[0]).toMatch(
        /^who-app: revision 2, registered by arn:aws:sts::123456789012:assumed-role\/team-b\/bob at \S+Z$/,
      );
    } finally {
      stack.sts.identity = caller;
    }
  });

  it('prints registered by (unknown) for an app stored before identities were kept', async () => {
    const old = { ...structuredClone(flaskApp), name: 'old-app' };
    await stack.registry().put('old-app', old, []);
    expect((await apps('show', 'old-app')).stdout.split('\n')[1]).toBe(
      '# revision 1, registered by (unknown)',
    );
    expect((await runCli(['history', 'old-app'], '', env)).stdout.split('\n')[0]).toBe(
      'old-app: revision 1, registered by (unknown)',
    );
  });

  it('stores nothing when STS cannot say who the caller is', async () => {
    stack.sts.injectFault({ kind: 'status', status: 403, type: 'InvalidClientTokenId' });
    const file2 = file('nobody.yaml', stringify({ ...structuredClone(flaskApp), name: 'nobody-app' }));
    const result = await apps('register', '-f', file2);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      'ecr-image-updater apps: STS GetCallerIdentity failed (Injected fault.), so who registers is unknown and nothing was stored; check the AWS credentials\n',
    );
    expect((await apps('show', 'nobody-app')).code).toBe(1);
  });

  it('with --dry-run validates, prints what it would store and what it would replace, and stores nothing', async () => {
    const git = { ...structuredClone(flaskApp), name: 'dry-test' };
    const path = file('dry.yaml', stringify(git));
    const fresh = await apps('register', '-f', path, '--dry-run');
    expect(fresh).toMatchObject({ code: 0, stderr: '' });
    expect(fresh.stdout).toBe(
      `# dry-test: valid; would be registered as revision 1; not stored (--dry-run)\n${stringify(git, { indentSeq: false })}`,
    );
    expect((await apps('show', 'dry-test')).code).toBe(1);

    await apps('register', '-f', path);
    const argocd = { ...git, writeBack: { method: 'argocd', argocd: { project: 'default' } } };
    const replacing = await apps(
      'register',
      '-f',
      file('dry-argocd.yaml', stringify(argocd)),
      '--dry-run',
      '--json',
    );
    expect(JSON.parse(replacing.stdout)).toEqual([
      {
        name: 'dry-test',
        revision: 2,
        paused: false,
        notes: [],
        replaced: { revision: 1, changes: ['writeBack git -> argocd'] },
        dryRun: true,
        document: argocd,
      },
    ]);
    expect(parse((await apps('show', 'dry-test')).stdout)).toEqual(git);

    const offline = await runCli(['apps', 'register', '-f', path, '--dry-run'], '', {});
    expect(offline).toMatchObject({ code: 0, stderr: '' });
    expect(offline.stdout).toMatch(
      /^# dry-test: valid; not compared with the registry \(no table given\); not stored \(--dry-run\)\n/,
    );
  });

  it.each(invalidRegistrations)(
    'exits 2 on %s, naming the field, and stores nothing',
    async (_what, mutate, field) => {
      const document = structuredClone({ ...fullExample, name: 'invalid-app' }) as Doc;
      mutate(document);
      const result = await apps('register', '-f', file('invalid.yaml', stringify(document)));
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`ecr-image-updater apps: ${field}: `);
      expect((await apps('show', 'invalid-app')).code).toBe(1);
    },
  );

  // Just under the file limit of 1 MiB, so that the field's own limit refuses it (2 MB: the file's).
  const long = 'a'.repeat(900_000);
  it.each([
    ['name', { ...flaskApp, name: long }, 'name'],
    [
      'image repository',
      { ...flaskApp, name: 'huge-image', images: [{ image: `${ECR_HOST}/${long}` }] },
      'images[0].image',
    ],
  ])(
    'refuses a 900 KB %s in one short line naming its limit, exit 2, storing nothing',
    async (_what, document, field) => {
      const result = await apps('register', '-f', file('huge.yaml', stringify(document)));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^ecr-image-updater apps: ${field.replace(/[[\]]/g, '\\$&')}: '[^']{80}…' \\(9\\d{5} characters\\) is longer than the limit of \\d+ characters; `,
        ),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.length).toBeLessThan(1024);
      expect((await apps('list')).stdout).not.toMatch(/huge-image|a{80}/);
    },
  );

  it('refuses a 2 MB name by the size of its file, in one short line', async () => {
    const result = await apps('register', '-f', file('huge.yaml', stringify({ ...flaskApp, name: HUGE })));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^ecr-image-updater apps: --file: '.*' is larger than the limit of 1 MiB; /,
    );
    expect(result.stderr.length).toBeLessThan(1024);
  });

  it("refuses an app past DynamoDB's 400 KB item limit by name, exit 2, storing nothing", async () => {
    // Every field within its own limit; together more than DynamoDB stores in one item.
    const images = Array.from({ length: 5 }, (_, i) => ({
      image: `${ECR_HOST}/big-${i}`,
      alias: `big${i}`,
      helm: { imageSpec: `big${i}.image` },
      ignoreTags: Array.from({ length: 100 }, (_, t) => `${t}-${'x'.repeat(900)}`),
    }));
    const result = await apps(
      'register',
      '-f',
      file('big.yaml', stringify({ ...flaskApp, name: 'big-app', images })),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^ecr-image-updater apps: big-app: its registration would be stored as [\d,]+ bytes, more than DynamoDB's item size limit of 400 KB \(409,600 bytes\); shorten its longest fields/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await apps('show', 'big-app')).code).toBe(1);
  });

  it('refuses a file over 1 MiB before reading it whole, from -f or standard input', async () => {
    const big = `${stringify({ ...flaskApp, name: 'over-limit' })}# ${'x'.repeat(1024 * 1024)}\n`;
    const fromFile = await apps('register', '-f', file('over.yaml', big));
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(
      /^ecr-image-updater apps: --file: '.*over\.yaml' is larger than the limit of 1 MiB; split it into several files\n$/,
    );
    const fromStdin = await runBinary(['apps', 'register', '-f', '-'], big, env);
    expect(fromStdin).toMatchObject({
      code: 2,
      stderr:
        'ecr-image-updater apps: --file: standard input is larger than the limit of 1 MiB; split it into several files\n',
    });
    expect((await apps('show', 'over-limit')).code).toBe(1);
  });

  it('reports every mistake of a registration in one run, exit 2, storing nothing', async () => {
    const document = {
      ...flaskApp,
      name: 'two-mistakes',
      images: [{ image: `${ECR_HOST}/flask-app`, ignoreTag: 'dev', stratgy: 'semver' }],
    };
    const result = await apps('register', '-f', file('two-mistakes.yaml', stringify(document)));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "ecr-image-updater apps: images[0].ignoreTag: unknown field; did you mean 'ignoreTags'?\n" +
        "  images[0].stratgy: unknown field; did you mean 'strategy'?\n",
    );
    expect((await apps('show', 'two-mistakes')).code).toBe(1);
  });

  it('reports the mistakes of every document of a file', async () => {
    const two = `${stringify({ ...flaskApp, name: 'first-bad', images: [{ image: `${ECR_HOST}/flask-app`, strategy: 'newest' }] })}---\n${stringify({ ...flaskApp, name: 'Second_Bad' })}`;
    const result = await apps('register', '-f', file('two-bad.yaml', two));
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n').slice(0, 2)).toEqual([
      "ecr-image-updater apps: document 1: images[0].strategy: unknown strategy 'newest'; use semver, newest-build, alphabetical or digest (old names: latest, name)",
      "  document 2: name: 'Second_Bad' is not an Argo CD Application name; use lowercase letters, digits, - and . (at most 253)",
    ]);
    expect((await apps('show', 'first-bad')).code).toBe(1);
  });

  it('registers the documents of every file given with -f', async () => {
    const one = file('one.yaml', stringify({ ...flaskApp, name: 'file-one' }));
    const two = file(
      'two-docs.yaml',
      `${stringify({ ...flaskApp, name: 'file-two' })}---\n${stringify({ ...flaskApp, name: 'file-three' })}`,
    );
    const result = await apps('register', '-f', one, '--file', two);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n').map((line) => line.split(' (')[0])).toEqual([
      'registered file-one',
      'registered file-two',
      'registered file-three',
      '',
    ]);
  });

  it('stores nothing from any file when a document of one is invalid, naming the file', async () => {
    const good = file('good.yaml', stringify({ ...flaskApp, name: 'all-or-nothing' }));
    const bad = file('bad-second.yaml', `${stringify({ ...flaskApp, name: 'fine' })}---\nname: broken\n`);
    const result = await apps('register', '-f', good, '-f', bad);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    // Both mistakes of the document (no images, no writeBack), each naming the file and the document.
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(`ecr-image-updater apps: ${bad} document 2: images: is required`);
    expect(lines[1]).toMatch(`  ${bad} document 2: writeBack: `);
    expect((await apps('show', 'all-or-nothing')).code).toBe(1);
    expect((await apps('show', 'fine')).code).toBe(1);
    const twice = await apps('register', '-f', good, '-f', good);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("name: 'all-or-nothing' is registered twice in the input");
    expect((await apps('show', 'all-or-nothing')).code).toBe(1);
  });

  it('stores nothing when one document of several is invalid', async () => {
    const result = await apps(
      'register',
      '-f',
      file('mixed.yaml', `${stringify({ ...flaskApp, name: 'good-one' })}---\nname: bad-one\n`),
    );
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain('document 2: images: is required');
    expect((await apps('show', 'good-one')).code).toBe(1);
  });

  it('refuses an option its action does not take, and stores nothing', async () => {
    const path = file('other-action.yaml', stringify({ ...flaskApp, name: 'other-action' }));
    const result = await apps('register', '-f', path, '--argocd-connection', 'prod');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      "ecr-image-updater apps: usage: unknown option '--argocd-connection' for apps register; it is an option of apps import\n",
    );
    expect((await apps('show', 'other-action')).code).toBe(1);
  });

  it.each([
    [['register', '-f', '/nonexistent.yaml'], 2, "--file: cannot read '/nonexistent.yaml' (ENOENT)"],
    [['register', '-f', 'PLACEHOLDER'], 2, 'is not valid YAML or JSON'],
    [['register'], 2, '--file: is required'],
    [['show'], 2, 'apps show needs an app name'],
    [['show', 'nobody'], 1, "no app named 'nobody' is registered"],
    [['remove', 'Bad_Name'], 2, "app: 'Bad_Name' is not an Argo CD Application name; use lowercase"],
    [['pause', 'nobody'], 1, "no app named 'nobody' is registered"],
    [['frobnicate'], 2, "unknown action 'frobnicate'"],
  ])('answers %j with exit %i', async (args, code, message) => {
    const resolved = args.map((a) => (a === 'PLACEHOLDER' ? file('bad.yaml', 'name: [unclosed') : a));
    const result = await apps(...resolved);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });

  it('says how to name the table when it is not set', async () => {
    const result = await runCli(['apps', 'list'], '', {});
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain('ECR_IMAGE_UPDATER_TABLE: is not set; give --table');
  });

  it('names the table it did not find and what to check', async () => {
    const result = await apps('list', '--table', 'nope');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `ecr-image-updater apps: the registry table 'nope' was not found in us-west-2 at ${stack.dynamodb.endpoint}: check the table name (--table or $ECR_IMAGE_UPDATER_TABLE: the stack's RegistryTable output), the region (--region or $AWS_REGION: the stack's region) and that the credentials are for the stack's account\n`,
    );
  });

  it('names the endpoint that refused the connection, and says local up is not running when it is a local one', async () => {
    const url = await closedPortUrl();
    const stopped = await runCli(['apps', 'list'], '', { ...env, AWS_ENDPOINT_URL_DYNAMODB: url });
    expect(stopped).toMatchObject({ code: 1, stdout: '' });
    expect(stopped.stderr).toBe(
      `ecr-image-updater apps: cannot reach DynamoDB at ${url} (from $AWS_ENDPOINT_URL_DYNAMODB): connect ECONNREFUSED ${url.slice('http://'.length)}; that is a local-mode endpoint, so ecr-image-updater local up is not running: start it (ecr-image-updater local up --env-out .local.env) and source the file it writes again, as the ports change each time\n`,
    );
    const elsewhere = await runCli(['history', 'flask-app', '--endpoint', url], '', env);
    expect(elsewhere).toMatchObject({ code: 1, stdout: '' });
    expect(elsewhere.stderr).toMatch(
      /^ecr-image-updater history: cannot reach DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(from --endpoint\): connect ECONNREFUSED [\d.:]+; check that endpoint and the network\n$/,
    );
  });

  it('takes --table and --endpoint instead of the environment', async () => {
    const result = await runCli(
      [
        'apps',
        'list',
        '--table',
        stack.tableName,
        '--endpoint',
        stack.dynamodb.endpoint,
        '--region',
        'us-west-2',
      ],
      '',
      {
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      },
    );
    expect(result.code).toBe(0);
  });

  it('gives up on a registry that does not answer within 10 s, and asks again', async () => {
    // Longer than the test may take: a client without the answer timeout would still be waiting.
    stack.dynamodb.injectFault({ target: 'DynamoDB_20120810.Scan', kind: 'delay', ms: 120_000 });
    stack.dynamodb.clearCalls();
    const started = performance.now();
    const result = await apps('list');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(stack.dynamodb.callCount('DynamoDB_20120810.Scan')).toBe(2);
    expect(performance.now() - started).toBeGreaterThan(9_900);
  }, 20_000);
});
