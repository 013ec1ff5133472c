/**
 * `apps import`: Argo CD Applications annotated for Argo CD Image Updater, mapped to registrations,
 * validated and stored as `apps register` stores them; with --dry-run, validated and printed as
 * registration YAML without storing. Warnings (what was not mapped, and what to do) go to stderr.
 */
import { stringify } from 'yaml';
import type { AppRegistry } from '../../lib/app/ports.ts';
import { registerApps, type Validated, validateRegistrations } from '../../lib/app/register-app.ts';
import { InvalidInputError } from '../../lib/domain/errors.ts';
import {
  type ImportedApplications,
  registrationsFromApplications,
} from '../../lib/domain/migration/registrations-from-applications.ts';
import { type CliIo, EXIT } from '../io.ts';
import { readInput } from '../read-input.ts';
import { formatRegistered, registeredJson } from './apps-output.ts';

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
  const text = await readInput(source, 'manifest', io.readStdin, fix);
  const imported = registrationsFromApplications(readDocuments(text, source, parseDocuments), {
    account: flags.account,
    argocdServer: flags['argocd-server'],
  });
  const documents = imported.applications.map((application) => application.document);
  const warningsOf = (index: number) => imported.applications[index]?.warnings ?? [];
  if (flags['dry-run']) {
    const checked = validateRegistrations(documents);
    if (flags.json) {
      const apps = checked.map(({ registration, notes }, index) => ({
        name: registration.name,
        notes,
        warnings: warningsOf(index),
        document: registration.document,
      }));
      io.stdout(`${JSON.stringify({ apps, warnings: imported.warnings })}\n`);
    } else io.stdout(checked.map(formatDryRun).join('---\n'));
  } else {
    const registered = await registerApps(registry(), documents);
    if (flags.json) {
      const apps = registered.map((result, index) => ({
        ...registeredJson(result),
        warnings: warningsOf(index),
      }));
      io.stdout(`${JSON.stringify({ apps, warnings: imported.warnings })}\n`);
    } else io.stdout(registered.map(formatRegistered).join(''));
  }
  io.stderr(formatWarnings(imported));
  return EXIT.ok;
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

function formatDryRun({ registration, notes }: Validated): string {
  const lines = notes.map((note) => `# note: ${note}\n`).join('');
  return `# ${registration.name}: valid; not stored (--dry-run)\n${lines}${stringify(registration.document, { indent: 2, indentSeq: false })}`;
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
