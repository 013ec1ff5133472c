import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invalidCandidateFiles, invalidSelections, selectionCases } from '../fixtures/selection-cases.ts';
import { runBinary, runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'select-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function candidatesFile(content: unknown): string {
  const path = join(dir, `candidates-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const OK_FILE = () => candidatesFile([{ tag: '1.0.0' }]);

describe('ecr-image-updater select', () => {
  it.each(selectionCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const args = ['select', '--image', c.image, '--candidates', candidatesFile(c.candidates)];
    if (c.strategy) args.push('--strategy', c.strategy);
    if (c.allowTags) args.push('--allow-tags', c.allowTags);
    if (c.ignoreTags) args.push('--ignore-tags', c.ignoreTags);
    if (c.platforms) args.push('--platforms', c.platforms);
    if (c.sortBy) args.push('--sort-by', c.sortBy);
    const result = await runCli(args);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const output = JSON.parse(result.stdout);
    if (c.expected.tag === null) {
      expect(output.tag).toBeNull();
      expect(output.reason).toContain(c.expected.reason);
    } else {
      expect(output).toEqual(c.expected);
    }
  });

  it.each(invalidSelections)(
    'exits 2 on %s, with one line naming the field',
    async (_name, args, message) => {
      const result = await runCli(['select', ...args, '--candidates', OK_FILE()]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    },
  );

  it.each(invalidCandidateFiles)('exits 2 on candidates with %s', async (_name, content, message) => {
    const result = await runCli(['select', '--image', 'app', '--candidates', candidatesFile(content)]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('exits 2 when the candidates file cannot be read', async () => {
    const result = await runCli(['select', '--image', 'app', '--candidates', join(dir, 'missing.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--candidates: cannot read '");
    expect(result.stderr).toContain('(ENOENT)');
  });

  it('explains each candidate on standard error, keeping standard output to the one JSON line', async () => {
    const c = selectionCases[0]!;
    const result = await runCli([
      'select',
      '--image',
      c.image,
      '--candidates',
      candidatesFile(c.candidates),
      '--explain',
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ tag: '1.0.4' });
    expect(result.stderr).toBe(
      [
        "strategy semver, constraint '~1.0'",
        '  1.0.0  kept     lower than 1.0.4',
        "  1.0.4  kept     chosen: highest version in '~1.0'",
        "  1.2.0  dropped  outside '~1.0'",
        "  2.0.0  dropped  outside '~1.0'",
        '=> 1.0.4',
        '',
      ].join('\n'),
    );
  });

  it('explains a scan gate from the output of aws ecr describe-images', async () => {
    const detail = (tag: string, scan: Record<string, unknown>) => ({
      imageTags: [tag],
      imageDigest: `sha256:${tag.replaceAll('.', '').padEnd(64, '0')}`,
      ...scan,
    });
    const images = {
      imageDetails: [
        detail('1.4.1', {
          imageScanStatus: { status: 'COMPLETE' },
          imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 2, MEDIUM: 7 } },
        }),
        detail('1.4.2', {
          imageScanStatus: { status: 'COMPLETE' },
          imageScanFindingsSummary: { findingSeverityCounts: { CRITICAL: 1, HIGH: 3 } },
        }),
        detail('1.4.3', { imageScanStatus: { status: 'IN_PROGRESS' } }),
      ],
    };
    const result = await runCli([
      'select',
      '--image',
      'flask-app:~1.4',
      '--scan-gate',
      'CRITICAL=0,HIGH=2',
      '--candidates',
      candidatesFile(images),
      '--explain',
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ tag: '1.4.1' });
    expect(result.stderr).toBe(
      [
        "strategy semver, constraint '~1.4', scan-gate CRITICAL<=0,HIGH<=2",
        "  1.4.1  kept     chosen: highest version in '~1.4'",
        '  1.4.2  dropped  scan findings over the gate: 1 CRITICAL (at most 0), 3 HIGH (at most 2)',
        '  1.4.3  dropped  scan not complete (IN_PROGRESS)',
        '=> 1.4.1',
        '',
      ].join('\n'),
    );
  });

  it('documents every option in --help', async () => {
    const result = await runCli(['select', '--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--image',
      '--candidates',
      '--strategy',
      '--allow-tags',
      '--ignore-tags',
      '--platforms',
      '--sort-by',
      '--scan-gate',
      '--explain',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe('the ecr-image-updater binary', () => {
  it('reads candidates from standard input and prints the choice', async () => {
    const tags = JSON.stringify([
      { tag: '1.0.0' },
      { tag: '1.0.4', digest: `sha256:${'0'.repeat(64)}` },
      { tag: '2.0.0' },
    ]);
    const result = await runBinary(['select', '--image', 'flask-app:~1.0', '--candidates', '-'], tags);
    expect(result).toEqual({
      code: 0,
      stdout: `{"tag":"1.0.4","digest":"sha256:${'0'.repeat(64)}"}\n`,
      stderr: '',
    });
  });

  it('exits 2 with one line on invalid input', async () => {
    const result = await runBinary(
      ['select', '--image', 'app', '--strategy', 'digest', '--candidates', '-'],
      '[]',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "ecr-image-updater select: --image (the text after :): the digest strategy needs the tag to follow; name the tag after ':' in the image, e.g. my-repo:latest\n",
    );
  });

  it('lists its commands with --help, and exits 2 on an unknown command', async () => {
    const help = await runBinary(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('select');
    const unknown = await runBinary(['selec']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain("unknown command 'selec'");
  });
});
