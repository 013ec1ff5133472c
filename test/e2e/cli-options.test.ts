import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

describe('the options of every command', () => {
  it.each([
    [
      ['apps', 'register', '-f', 'app.yaml', '--account', '123456789012'],
      "unknown option '--account' for apps register; it is an option of apps import",
    ],
    [
      ['apps', 'list', '-f', 'app.yaml'],
      "unknown option '-f' for apps list; it is an option of apps register",
    ],
    [
      ['apps', 'import', 'application.yaml', '--dryrun'],
      "unknown option '--dryrun' for apps import; did you mean --dry-run?",
    ],
    [['apps', 'show', 'flask-app', '--jsn'], "unknown option '--jsn' for apps show; did you mean --json?"],
    [['history', 'flask-app', '--limt', '3'], "unknown option '--limt' for history; did you mean --limit?"],
    [['reconcile', '--dryrun'], "unknown option '--dryrun' for reconcile; did you mean --dry-run?"],
    [['redrive', '--aply'], "unknown option '--aply' for redrive; did you mean --apply?"],
    [
      ['select', '--image', 'app', '--stratgy', 'semver'],
      "unknown option '--stratgy' for select; did you mean --strategy?",
    ],
    [
      ['local', 'push', 'flask-app:1.0.0', '--keep'],
      "unknown option '--keep' for local push; it is an option of local up",
    ],
    [
      ['local', 'up', '--digest', 'sha256:00'],
      "unknown option '--digest' for local up; it is an option of local push",
    ],
    [['demo', '--fast'], "unknown option '--fast' for demo; demo takes -h/--help"],
  ])('refuses %j with exit 2, naming the option and where it belongs', async (args, message) => {
    const result = await runCli(args, '', {});
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe(`ecr-image-updater ${args[0]}: usage: ${message}\n`);
  });

  it('lists what an action takes when no option is near', async () => {
    const result = await runCli(['apps', 'remove', 'flask-app', '--everything'], '', {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "unknown option '--everything' for apps remove; apps remove takes --table, --endpoint, --region, --json, -h/--help",
    );
  });

  it.each([
    [['select', 'extra', '--image', 'app', '--candidates', '-']],
    [['demo', 'now']],
    [['local', 'up', 'now']],
    [['local', 'push', 'flask-app:1.0.0', 'flask-app:1.0.1']],
  ])('refuses %j: an argument the command does not take', async (args) => {
    const result = await runCli(args, '', {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: unexpected '(extra|now|flask-app:1\.0\.1)'/);
  });
});
