/**
 * `apps import`: Argo CD Applications annotated for Argo CD Image Updater, mapped to registrations,
 * validated and stored as `apps register` stores them; with --dry-run, validated and printed as
 * registration YAML without storing. Warnings (what was not mapped, and what to do) go to stderr.
 */
import { stringify } from 'yaml';
import type { AppRegistry } from '../../lib/app/ports.ts';
import { registerApps } from '../../lib/app/register-app.ts';
import { InvalidInputError, quoteInput } from '../../lib/domain/errors.ts';
import {
  type ImportedApplications,
  registrationsFromApplications,
} from '../../lib/domain/migration/registrations-from-applications.ts';
import { describeRegistration } from '../../lib/domain/registration/describe-registration.ts';
import { parseRegistration, type Registration } from '../../lib/domain/registration/registration.ts';
import { type CliIo, EXIT } from '../io.ts';
import { INPUT_LIMITS, readInput } from '../read-input.ts';

/** The flags `apps import` adds to the apps command. */
export const IMPORT_FLAGS = {
  account: { type: 'string' },
  'argocd-server': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

export const IMPORT_USAGE = `  apps import <manifest.yaml | ->                 map Argo CD Applications annotated for Argo CD
                                                  Image Updater to registrations, then store them;
                                                  what cannot be mapped is printed as a warning
`;

export const IMPORT_OPTIONS = `  --account <id>      import: the 12-digit AWS account for placeholders such as <account-id>
  --argocd-server <url>
                      import: the Argo CD server of apps written back through Argo CD
  --dry-run           import: validate and print the registrations as YAML; store nothing
`;

export interface ImportFlags {
  readonly account?: string | undefined;
  readonly 'argocd-server'?: string | undefined;
  readonly 'dry-run'?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/**
 * Runs `apps import <source>`. `parseDocuments` reads YAML or JSON text into documents; `registry` is
 * opened only when something is stored.
 */
export async function importApps(
  source: string | undefined,
  flags: ImportFlags,
  io: CliIo,
  registry: () => AppRegistry,
  parseDocuments: (text: string, source: string) => unknown[],
): Promise<number> {
  if (!source) {
    throw new InvalidInputError(
      'usage',
      'apps import needs an Application manifest',
      'e.g. ecr-image-updater apps import manifest/application.yaml (- reads standard input)',
    );
  }
  const fix = 'give a readable Argo CD Application manifest (YAML or JSON)';
  const text = await readInput(source, 'manifest', io.readStdin, fix, INPUT_LIMITS.manifests);
  const imported = registrationsFromApplications(readDocuments(text, source, parseDocuments), {
    account: flags.account,
    argocdServer: flags['argocd-server'],
  });
  const documents = imported.applications.map((application) => application.document);
  const results = flags['dry-run'] ? check(documents) : await store(registry(), documents);

  const apps = results.map((result, index) => ({
    ...result,
    warnings: imported.applications[index]?.warnings ?? [],
    document: documents[index],
  }));
  if (flags.json) {
    const json = apps.map(({ registration, document, ...rest }) => ({
      name: registration.name,
      ...rest,
      ...(flags['dry-run'] ? { document } : {}),
    }));
    io.stdout(`${JSON.stringify({ apps: json, warnings: imported.warnings })}\n`);
  } else {
    io.stdout(flags['dry-run'] ? apps.map(formatDryRun).join('---\n') : apps.map(formatRegistered).join(''));
  }
  io.stderr(formatWarnings(imported));
  return EXIT.ok;
}

interface Result {
  readonly registration: Registration;
  readonly revision?: number;
  readonly paused?: boolean;
  readonly notes: readonly string[];
}

// The argument is a file path, not --file: errors of the shared reader name the manifest instead.
function readDocuments(
  text: string,
  source: string,
  parseDocuments: (text: string, source: string) => unknown[],
): unknown[] {
  try {
    return parseDocuments(text, source);
  } catch (error) {
    if (!(error instanceof InvalidInputError) || error.field !== '--file') throw error;
    const problem = error.problem.replace(/holds no registration$/, 'holds no document');
    throw new InvalidInputError('manifest', problem, error.fix, { cause: error });
  }
}

// --dry-run validates as register does, without the registry.
function check(documents: readonly unknown[]): Result[] {
  const results = documents.map((document) => {
    const registration = parseRegistration(document);
    return { registration, notes: notesOf(registration) };
  });
  const names = results.map((result) => result.registration.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate)
    throw new InvalidInputError(
      'name',
      `${quoteInput(duplicate)} is imported twice`,
      'give each Application once',
    );
  return results;
}

async function store(registry: AppRegistry, documents: readonly unknown[]): Promise<Result[]> {
  const registered = await registerApps(registry, documents);
  return registered.map((r) => ({
    registration: r.registration,
    revision: r.stored.revision,
    paused: r.stored.paused,
    notes: r.notes,
  }));
}

function notesOf(registration: Registration): string[] {
  return registration.images.flatMap((image, index) =>
    image.policy.notes.map((note) => `images[${index}]: ${note}`),
  );
}

// The same lines as apps register prints.
function formatRegistered(result: Result): string {
  const line = describeRegistration(result.registration, result.revision ?? 0, result.paused ?? false);
  return `${line}\n${result.notes.map((note) => `  note: ${note}\n`).join('')}`;
}

function formatDryRun(app: Result & { readonly document: unknown }): string {
  const notes = app.notes.map((note) => `# note: ${note}\n`).join('');
  return `# ${app.registration.name}: valid; not stored (--dry-run)\n${notes}${stringify(app.document, { indent: 2, indentSeq: false })}`;
}

function formatWarnings(imported: ImportedApplications): string {
  const lines = [
    ...imported.applications.flatMap((application) =>
      application.warnings.map((warning) => `${application.document.name}: ${warning}`),
    ),
    ...imported.warnings,
  ];
  return lines.map((line) => `  warning: ${line}\n`).join('');
}
