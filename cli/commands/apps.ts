import type { StoredApp } from '../../lib/app/ports.ts';
import { registerApps } from '../../lib/app/register-app.ts';
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { describeRegistration } from '../../lib/domain/registration/describe-registration.ts';
import { AWS_FLAGS, AWS_HELP, openRegistry } from '../aws-context.ts';
import { type Command, parseFlags } from '../command.ts';
import { EXIT } from '../io.ts';
import { parseDocuments } from '../parse-documents.ts';
import { INPUT_LIMITS, readInput } from '../read-input.ts';
import { IMPORT_FLAGS, IMPORT_OPTIONS, IMPORT_USAGE, importApps } from './apps-import.ts';
import { formatAppList, formatAppShow } from './apps-output.ts';

const HELP = `Usage: ecr-image-updater apps <register|import|list|show|remove|pause|resume> [options]

Manages the app registry (a DynamoDB table): which Argo CD apps follow which ECR repositories.

  apps register -f <file.yaml | file.json | ->   validate and store registrations (one or more
                                                  YAML documents); nothing is stored if one is invalid
${IMPORT_USAGE}  apps list                                       every registered app
  apps show <name>                                one app's registration and status
  apps remove <name>                              forget an app
  apps pause <name>                               hold an app where it is (a manual rollback stays)
  apps resume <name>                              follow pushes again

Options:
  -f, --file <path>   the registration file for register ('-' reads standard input), at most 1 MiB
${IMPORT_OPTIONS}${AWS_HELP}  -h, --help          this help

A registration (every field: docs/registering-apps.md):
  name: flask-app
  images:
    - image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0
  writeBack:
    method: git
    git: { repo: devopscube/argocd-image-updater, branch: main, path: flask-app }

Exit codes: 0 done; 1 a failure (e.g. no such app, AWS unreachable); 2 invalid input.
`;

export const appsCommand: Command = {
  name: 'apps',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseFlags('apps', args, {
      ...AWS_FLAGS,
      file: { type: 'string', short: 'f' },
      ...IMPORT_FLAGS,
    });
    const [action, name, ...extra] = positionals;
    if (values.help || action === undefined) {
      io.stdout(HELP);
      return values.help ? EXIT.ok : EXIT.invalid;
    }
    if (extra.length > 0)
      throw new InvalidInputError(
        'usage',
        `unexpected ${quoteInput(extra.join(' '))}`,
        'see ecr-image-updater apps --help',
      );
    const needName = () => {
      if (!name)
        throw new InvalidInputError(
          'usage',
          `apps ${action} needs an app name`,
          `e.g. ecr-image-updater apps ${action} flask-app`,
        );
      return name;
    };
    const print = (text: string, json: unknown) =>
      io.stdout(values.json ? `${JSON.stringify(json)}\n` : text);
    const registry = () => openRegistry(values, io);

    switch (action) {
      case 'register': {
        if (!values.file)
          throw new InvalidInputError(
            '--file',
            'is required',
            'give the registration file: apps register -f flask-app.yaml',
          );
        const text = await readInput(
          values.file,
          '--file',
          io.readStdin,
          'give a readable YAML or JSON file',
          INPUT_LIMITS.registrations,
        );
        const documents = parseDocuments(text, values.file);
        const registered = await registerApps(registry(), documents);
        print(
          registered
            .map(
              (r) =>
                `${describeRegistration(r.registration, r.stored.revision, r.stored.paused)}\n${r.notes.map((n) => `  note: ${n}\n`).join('')}`,
            )
            .join(''),
          registered.map((r) => ({
            name: r.stored.name,
            revision: r.stored.revision,
            paused: r.stored.paused,
            notes: r.notes,
          })),
        );
        return EXIT.ok;
      }
      case 'import':
        return importApps(name, values, io, registry, parseDocuments);
      case 'list': {
        const apps = await registry().list();
        print(formatAppList(apps), apps);
        return EXIT.ok;
      }
      case 'show': {
        const app = await registry().get(needName());
        if (!app) return notFound(io, needName());
        print(formatAppShow(app), app);
        return EXIT.ok;
      }
      case 'remove': {
        if (!(await registry().remove(needName()))) return notFound(io, needName());
        print(`removed ${needName()}\n`, { name: needName(), removed: true });
        return EXIT.ok;
      }
      case 'pause':
      case 'resume': {
        const app = await registry().setPaused(needName(), action === 'pause');
        if (!app) return notFound(io, needName());
        print(
          `${app.name} is ${app.paused ? 'paused: pushes leave it where it is until apps resume' : 'following pushes'}\n`,
          pick(app),
        );
        return EXIT.ok;
      }
      default:
        throw new InvalidInputError(
          'usage',
          `unknown action ${quoteInput(action)}`,
          'use register, import, list, show, remove, pause or resume',
        );
    }
  },
};

function notFound(io: { stderr: (text: string) => void }, name: string): number {
  io.stderr(`ecr-image-updater apps: no app named ${quoteInput(name)} is registered; see apps list\n`);
  return EXIT.failure;
}

function pick(app: StoredApp) {
  return { name: app.name, paused: app.paused, revision: app.revision };
}
