import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Flags } from '../../cli/command.ts';
import { COMMANDS } from '../../cli/main.ts';
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
    [
      ['local', 'push', '--generate', '5', '--concurency', '10'],
      "unknown option '--concurency' for local push; did you mean --concurrency?",
    ],
    [
      ['local', 'show', '--generate', '5'],
      "unknown option '--generate' for local show; it is an option of local push",
    ],
    [['demo', '--fast'], "unknown option '--fast' for demo; demo takes -h/--help"],
  ])('refuses %j with exit 2, naming the option and where it belongs', async (args, message) => {
    const result = await runCli(args, '', {});
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe(`ecr-image-updater ${args[0]}: usage: ${message}\n`);
  });

  it('answers a 2 MB option or argument at once, quoting 80 characters of it', async () => {
    const huge = `--${'a'.repeat(2_000_000)}`;
    for (const args of [
      ['apps', 'list', huge],
      ['apps', 'register', '-f', 'app.yaml', 'extra', 'a'.repeat(2_000_000)],
    ]) {
      const started = performance.now();
      const result = await runCli(args, '', {});
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(/ \(\d{7} characters\)/);
      expect(result.stderr.length).toBeLessThan(1024);
    }
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
    [['local', 'show', 'now']],
  ])('refuses %j: an argument the command does not take', async (args) => {
    const result = await runCli(args, '', {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: unexpected '(extra|now)'/);
  });
});

// Lines that show another program's command (git log --oneline, aws ecr describe-images ...).
const OTHER_PROGRAM = /\b(aws|git|docker|curl|helm|kubectl)\s+(-|[a-z])/;
const longFlags = (text: string) => [...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!);
const documented = (help: string, name: string, short: string | undefined) =>
  help.includes(`--${name}`) && (short === undefined || new RegExp(`(?<![\\w-])-${short}\\b`).test(help));

/** The lines of an action's entry in the help: its usage line and the lines indented below it. */
function entryOf(help: string, command: string, action: string): string[] | undefined {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s+${command} ${action}\\b`).test(line));
  if (start === -1) return undefined;
  const indent = /^\s*/.exec(lines[start]!)![0].length;
  const end = lines.findIndex(
    (line, i) => i > start && line.trim() !== '' && /^\s*/.exec(line)![0].length <= indent,
  );
  return lines.slice(start, end === -1 ? undefined : end).filter((line) => !OTHER_PROGRAM.test(line));
}

describe('the help of every command', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s --help lists exactly what it accepts',
    async (name, entry) => {
      const command = await entry.load();
      const help = (await runCli([name, '--help'], '', {})).stdout;
      expect(help).toBe(command.help);
      expect(help).toMatch(/-h, --help/);
      const actions: Readonly<Record<string, Flags>> =
        'actions' in command.accepts ? command.accepts.actions : { '': command.accepts.flags };
      const all = Object.values(actions);
      const problems: string[] = [];
      for (const [action, flags] of Object.entries(actions)) {
        const entryLines = action === '' ? undefined : entryOf(help, name, action);
        if (action !== '' && !entryLines) problems.push(`no usage line for ${name} ${action}`);
        for (const [flag, { short }] of Object.entries(flags)) {
          const everywhere = all.every((other) => Object.hasOwn(other, flag));
          const where = everywhere || !entryLines ? help : entryLines.join('\n');
          if (!documented(where, flag, short))
            problems.push(
              `${name}${action ? ` ${action}` : ''} takes --${flag}${short ? ` (-${short})` : ''}, not in its help`,
            );
        }
        for (const flag of longFlags((entryLines ?? []).join('\n')))
          if (!Object.hasOwn(flags, flag) && flag !== 'help')
            problems.push(`${name} ${action}: --${flag} is not taken`);
      }
      const mentioned = help
        .split('\n')
        .filter((line) => !OTHER_PROGRAM.test(line))
        .flatMap(longFlags);
      for (const flag of mentioned)
        if (flag !== 'help' && !all.some((flags) => Object.hasOwn(flags, flag)))
          problems.push(`${name} --help mentions --${flag}, which ${name} does not take`);
      for (const [page] of help.matchAll(/\bdocs\/[\w/.-]+\.md/g))
        if (!existsSync(new URL(`../../${page}`, import.meta.url))) problems.push(`${page} does not exist`);
      expect(problems).toEqual([]);
    },
  );

  it('points apps users at the page that describes every field', async () => {
    expect((await runCli(['apps', '--help'], '', {})).stdout).toContain(
      'every field: docs/registering-apps.md',
    );
  });
});
