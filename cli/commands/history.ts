/** `ecr-image-updater history <app>`: each decision the updater made for an app, newest first. */
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { validateAppName } from '../../lib/domain/registration/registration.ts';
import { AWS_FLAGS, AWS_HELP, openAuditLog, openRegistry } from '../aws-context.ts';
import { type Command, parseFlags } from '../command.ts';
import { EXIT } from '../io.ts';
import { formatHistory } from './history-output.ts';

const HELP = `Usage: ecr-image-updater history <app> [--limit <n>] [options]

Shows who registered the app (revision, caller identity, time), then each decision the updater
made for it, newest first: the push (or reconcile) that
triggered it, the tags considered, the one chosen and why the others were skipped, the commit,
pull request or Argo CD patch, and the timings from the push. Decisions are kept 90 days
(the stack's historyDays).

Options:
  --limit <n>         how many decisions (default 20, at most 500)
${AWS_HELP}  -h, --help          this help

Exit codes: 0 done (also when nothing is recorded); 1 a failure; 2 invalid input (e.g. a name no
app can have: lowercase letters, digits, - and ., as registrations take).
`;

const FLAGS = { ...AWS_FLAGS, limit: { type: 'string' } } as const;

export const historyCommand: Command = {
  name: 'history',
  help: HELP,
  accepts: { flags: FLAGS },
  async run(args, io) {
    const { values, positionals } = parseFlags('history', args, FLAGS);
    if (values.help) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    const [app, ...extra] = positionals;
    if (!app || extra.length > 0)
      throw new InvalidInputError(
        'usage',
        'history needs one app name',
        'e.g. ecr-image-updater history flask-app',
      );
    const limit = Number(values.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new InvalidInputError(
        '--limit',
        `${quoteInput(values.limit ?? '')} is not a whole number from 1 to 500`,
      );
    const name = validateAppName(app, 'app');
    const [decisions, registered] = await Promise.all([
      openAuditLog(values, io).history(name, { limit }),
      values.json ? undefined : openRegistry(values, io).get(name),
    ]);
    io.stdout(values.json ? `${JSON.stringify(decisions)}\n` : formatHistory(app, decisions, registered));
    return EXIT.ok;
  },
};
