import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import type { StoredApp } from '../../lib/app/ports.ts';
import { type RegisterOptions, registerApps, validateRegistrations } from '../../lib/app/register-app.ts';
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import { validateAppName } from '../../lib/domain/registration/registration.ts';
import { AWS_FLAGS, AWS_HELP, type AwsFlags, callerIdentity, openRegistry } from '../aws-context.ts';
import {
  type Command,
  findAction,
  otherActions,
  type ParsedFlags,
  parseActionFlags,
  parseFlags,
} from '../command.ts';
import { type CliIo, EXIT } from '../io.ts';
import { parseDocuments } from '../parse-documents.ts';
import { INPUT_LIMITS, readInput } from '../read-input.ts';
import { IMPORT_FILES, IMPORT_FLAGS, IMPORT_USAGE, importApps } from './apps-import.ts';
import {
  type Checked,
  dryRunJson,
  formatAppList,
  formatAppShow,
  formatDryRun,
  formatRegistered,
  registeredJson,
} from './apps-output.ts';
import { listArgoCdApplications } from './list-argocd-applications.ts';

const HELP = `Usage: ecr-image-updater apps <register|import|list|show|remove|pause|resume> [options]

Manages the app registry (a DynamoDB table): which Argo CD apps follow which ECR repositories. An app
registered again (or imported) under a name that exists replaces it, and the output says what changed:
replaced flask-app (revision 1 -> 2): writeBack git -> argocd

  apps register -f <file> [-f <file>...] [--dry-run]
      Validates and stores registrations (YAML or JSON, one or more documents a file).
      -f, --file <path>   a registration file of at most 1 MiB ('-' reads standard input); -f again
                          for more files: every file's documents are registered, or none if one is
                          invalid
      --dry-run           validate, print the YAML that would be stored and what it would replace
                          (when a table is named); store nothing
${IMPORT_USAGE}  apps list                 every registered app
  apps show <name>          one app's registration and status
  apps remove <name>        forget an app
  apps pause <name>         hold an app where it is (a manual rollback stays)
  apps resume <name>        follow pushes again

Options of every action:
${AWS_HELP}  -h, --help          this help

A registration (every field: docs/registering-apps.md):
  name: flask-app
  images:
    - image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0
  writeBack:
    method: git
    git: { repo: devopscube/argocd-image-updater, branch: main, path: flask-app }

Exit codes: 0 done; 1 a failure (e.g. no such app, AWS unreachable); 2 invalid input.
`;

/** The flags of each action. */
const ACTIONS = {
  register: {
    ...AWS_FLAGS,
    file: { type: 'string', short: 'f', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  import: { ...AWS_FLAGS, ...IMPORT_FLAGS },
  list: AWS_FLAGS,
  show: AWS_FLAGS,
  remove: AWS_FLAGS,
  pause: AWS_FLAGS,
  resume: AWS_FLAGS,
} as const;
type Action = keyof typeof ACTIONS;

export const appsCommand: Command = {
  name: 'apps',
  help: HELP,
  accepts: { actions: ACTIONS },
  async run(args, io) {
    const found = findAction(args, ACTIONS);
    if (found.help || found.action === undefined) {
      io.stdout(HELP);
      return found.help ? EXIT.ok : EXIT.invalid;
    }
    if (!Object.hasOwn(ACTIONS, found.action))
      throw new InvalidInputError(
        'usage',
        `unknown action ${quoteInput(found.action)}`,
        'use register, import, list, show, remove, pause or resume',
      );
    const action = found.action as Action;
    switch (action) {
      case 'register':
        return register(
          parseFlags('apps register', args, ACTIONS.register, otherActions('apps', action, ACTIONS)),
          io,
        );
      case 'import': {
        const flags = { name: action, flags: ACTIONS.import, arguments: IMPORT_FILES };
        const { values, positionals } = parseActionFlags('apps', args, flags, ACTIONS);
        return importApps(positionals.slice(1), values, io, {
          register: (documents) =>
            registerApps(openRegistry(values, io), documents, { caller: callerIdentity(io, values) }),
          check: (documents) => checkApps(documents, values, io),
          parseDocuments,
          listApplications: (namespaces, connection) => listArgoCdApplications(namespaces, connection, io),
        });
      }
      case 'list': {
        const flags = { name: action, flags: ACTIONS.list, arguments: 0 };
        const { values } = parseActionFlags('apps', args, flags, ACTIONS);
        const apps = await openRegistry(values, io).list();
        print(io, values, formatAppList(apps), apps);
        return EXIT.ok;
      }
      default:
        return manage(
          action,
          parseActionFlags('apps', args, { name: action, flags: AWS_FLAGS, arguments: 1 }, ACTIONS),
          io,
        );
    }
  },
};

async function register(
  { values, positionals }: ParsedFlags<(typeof ACTIONS)['register']>,
  io: CliIo,
): Promise<number> {
  if (positionals.length > 1)
    throw new InvalidInputError(
      'usage',
      `unexpected ${quoteInput(positionals.slice(1).join(' '))}`,
      'give each registration file with -f: apps register -f a.yaml -f b.yaml',
    );
  const { documents, ...options } = await readRegistrations(values.file ?? [], io);
  if (values['dry-run']) {
    const checked = await checkApps(documents, values, io, options);
    print(io, values, checked.map(formatDryRun).join('---\n'), checked.map(dryRunJson));
    return EXIT.ok;
  }
  const registered = await registerApps(openRegistry(values, io), documents, {
    ...options,
    caller: callerIdentity(io, values),
  });
  print(io, values, registered.map(formatRegistered).join(''), registered.map(registeredJson));
  return EXIT.ok;
}

/**
 * The documents of every file, in order, with where each came from (`b.yaml document 2`) when there
 * are several files, so that a bad one is named; every file is read before anything is stored.
 */
async function readRegistrations(
  files: readonly string[],
  io: CliIo,
): Promise<{ documents: unknown[]; sources?: string[] }> {
  if (files.length === 0)
    throw new InvalidInputError(
      '--file',
      'is required',
      'give the registration file: apps register -f flask-app.yaml (again for more files)',
    );
  if (files.filter((file) => file === '-').length > 1)
    throw new InvalidInputError('--file', "'-' (standard input) is given twice", 'give it once');
  const read = await Promise.all(
    files.map(async (file) =>
      parseDocuments(
        await readInput(
          file,
          '--file',
          io.readStdin,
          'give a readable YAML or JSON file',
          INPUT_LIMITS.registrations,
        ),
        file,
      ),
    ),
  );
  const documents = read.flat();
  if (files.length === 1) return { documents };
  const sources = read.flatMap((fileDocuments, index) =>
    fileDocuments.map((_, n) =>
      fileDocuments.length > 1 ? `${files[index]} document ${n + 1}` : files[index]!,
    ),
  );
  return { documents, sources };
}

/**
 * --dry-run of register and import: validates, and reads what each app would replace when a table
 * is named (--table or the environment); without one, validation alone, so a file can be checked
 * with no AWS at all.
 */
export async function checkApps(
  documents: readonly unknown[],
  flags: AwsFlags,
  io: CliIo,
  options: RegisterOptions = {},
): Promise<Checked[]> {
  if ((flags.table ?? io.env[ENVIRONMENT.table]) === undefined)
    return validateRegistrations(documents, options);
  return registerApps(openRegistry(flags, io), documents, { ...options, dryRun: true });
}

// show, remove, pause and resume: one app by name.
async function manage(
  action: 'show' | 'remove' | 'pause' | 'resume',
  { values, positionals }: ParsedFlags<typeof AWS_FLAGS>,
  io: CliIo,
): Promise<number> {
  if (!positionals[1])
    throw new InvalidInputError(
      'usage',
      `apps ${action} needs an app name`,
      `e.g. ecr-image-updater apps ${action} flask-app`,
    );
  const name = validateAppName(positionals[1], 'app');
  const registry = openRegistry(values, io);
  switch (action) {
    case 'show': {
      const app = await registry.get(name);
      if (!app) return notFound(io, name);
      print(io, values, formatAppShow(app), app);
      return EXIT.ok;
    }
    case 'remove': {
      if (!(await registry.remove(name))) return notFound(io, name);
      print(io, values, `removed ${name}\n`, { name, removed: true });
      return EXIT.ok;
    }
    default: {
      const app = await registry.setPaused(name, action === 'pause');
      if (!app) return notFound(io, name);
      print(
        io,
        values,
        `${app.name} is ${app.paused ? 'paused: pushes leave it where it is until apps resume' : 'following pushes'}\n`,
        pick(app),
      );
      return EXIT.ok;
    }
  }
}

function print(io: CliIo, flags: { readonly json?: boolean | undefined }, text: string, json: unknown): void {
  io.stdout(flags.json ? `${JSON.stringify(json)}\n` : text);
}

function notFound(io: { stderr: (text: string) => void }, name: string): number {
  io.stderr(`ecr-image-updater apps: no app named ${quoteInput(name)} is registered; see apps list\n`);
  return EXIT.failure;
}

function pick(app: StoredApp) {
  return { name: app.name, paused: app.paused, revision: app.revision };
}
