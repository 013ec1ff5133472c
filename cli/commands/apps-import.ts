/**
 * `apps import`: Argo CD Applications annotated for Argo CD Image Updater, or `ImageUpdater` resources
 * with the Applications they select (from the files, or from Argo CD with --from-argocd), mapped to
 * registrations, validated and stored as `apps register` stores them; with --dry-run, validated and
 * printed without storing. Warnings (what was not mapped, and what to do) go to stderr.
 */

import { ENVIRONMENT } from '../../lib/adapters/environment.ts';
import type { Registered } from '../../lib/app/register-app.ts';
import { InvalidInputError } from '../../lib/domain/errors.ts';
import { parsePlainGitHost } from '../../lib/domain/migration/git-remote-of.ts';
import type { ImportedApplications } from '../../lib/domain/migration/registrations-from-applications.ts';
import {
  imageUpdaterNamespaces,
  registrationsFromManifests,
} from '../../lib/domain/migration/registrations-from-image-updaters.ts';
import { type CliIo, EXIT } from '../io.ts';
import { INPUT_LIMITS, readInput } from '../read-input.ts';
import { type Checked, dryRunJson, formatDryRun, formatRegistered, registeredJson } from './apps-output.ts';

/** The flags `apps import` adds to the apps command. */
export const IMPORT_FLAGS = {
  account: { type: 'string' },
  'github-connection': { type: 'string' },
  'argocd-connection': { type: 'string' },
  'from-argocd': { type: 'boolean' },
  'git-connection': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
} as const;

/** How many manifests one `apps import` reads. */
export const IMPORT_FILES = 32;

export const IMPORT_USAGE = `  apps import <manifest.yaml | -> [<manifest.yaml>...] [--from-argocd] [--account <id>]
              [--github-connection <name>] [--argocd-connection <name>]
              [--git-connection <name>=<url>]... [--dry-run]
      Maps Argo CD Applications annotated for Argo CD Image Updater, or ImageUpdater resources
      and the Applications they select, to registrations, then stores them as register does;
      what cannot be mapped is printed as a warning.
      --from-argocd       the ImageUpdater resources select among the Applications Argo CD
                          lists in their namespaces, read through the Argo CD connection
                          (--argocd-connection, else the default one; $${ENVIRONMENT.connections})
      --account <id>      the 12-digit AWS account for placeholders such as <account-id>
      --github-connection <name>, --argocd-connection <name>
                          the platform's connection that apps written back through git (or
                          Argo CD) use; the default connection when not given
      --git-connection <name>=<url>
                          a plain git connection and its base URL: apps whose repository is
                          under that URL write back through it (repeat for more hosts)
      --dry-run           as for register: validate, print, store nothing
`;

export interface ImportFlags {
  readonly account?: string | undefined;
  readonly 'github-connection'?: string | undefined;
  readonly 'argocd-connection'?: string | undefined;
  readonly 'git-connection'?: readonly string[] | undefined;
  readonly 'from-argocd'?: boolean | undefined;
  readonly 'dry-run'?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/** What `apps import` shares with `apps register`. */
export interface ImportSteps {
  /** Reads YAML or JSON text into documents. */
  readonly parseDocuments: (text: string, source: string) => unknown[];
  /** Validates and stores registrations. */
  readonly register: (documents: readonly unknown[]) => Promise<Registered[]>;
  /** Validates registrations and says what they would replace (--dry-run). */
  readonly check: (documents: readonly unknown[]) => Promise<Checked[]>;
  /** The Applications Argo CD lists in each namespace, through the named connection (--from-argocd). */
  readonly listApplications: (
    namespaces: readonly string[],
    connection: string | undefined,
  ) => Promise<ReadonlyMap<string, readonly unknown[]>>;
}

/** Runs `apps import <source>...`. */
export async function importApps(
  sources: readonly string[],
  flags: ImportFlags,
  io: CliIo,
  { parseDocuments, register, check, listApplications }: ImportSteps,
): Promise<number> {
  if (sources.length === 0) {
    throw new InvalidInputError(
      'usage',
      'apps import needs an Application manifest',
      'e.g. ecr-image-updater apps import manifest/application.yaml (- reads standard input)',
    );
  }
  if (sources.length > IMPORT_FILES)
    throw new InvalidInputError('usage', `${sources.length} manifests given`, `give at most ${IMPORT_FILES}`);
  if (sources.filter((source) => source === '-').length > 1)
    throw new InvalidInputError('manifest', "'-' (standard input) is given twice", 'give it once');
  const fix = 'give a readable Argo CD Application or ImageUpdater manifest (YAML or JSON)';
  const read = await Promise.all(
    sources.map(async (source) =>
      readDocuments(
        await readInput(source, 'manifest', io.readStdin, fix, INPUT_LIMITS.manifests),
        source,
        parseDocuments,
      ),
    ),
  );
  const documents = read.flat();
  const names =
    sources.length === 1
      ? undefined
      : read.flatMap((fileDocuments, index) =>
          fileDocuments.map((_, n) => `${sources[index]} document ${n + 1}`),
        );
  const argoCdApplications = flags['from-argocd']
    ? await listApplications(imageUpdaterNamespaces(documents), flags['argocd-connection'])
    : undefined;
  const imported = registrationsFromManifests(documents, {
    account: flags.account,
    githubConnection: flags['github-connection'],
    argocdConnection: flags['argocd-connection'],
    gitHosts: (flags['git-connection'] ?? []).map((text) => parsePlainGitHost(text)),
    ...(argoCdApplications ? { argoCdApplications } : {}),
    ...(names ? { sources: names } : {}),
  });
  const registrations = imported.applications.map((application) => application.document);
  const warningsOf = (index: number) => imported.applications[index]?.warnings ?? [];
  if (flags['dry-run']) {
    const checked = await check(registrations);
    if (flags.json) {
      const apps = checked.map((result, index) => ({ ...dryRunJson(result), warnings: warningsOf(index) }));
      io.stdout(`${JSON.stringify({ apps, warnings: imported.warnings })}\n`);
    } else io.stdout(checked.map(formatDryRun).join('---\n'));
  } else {
    const registered = await register(registrations);
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

function formatWarnings(imported: ImportedApplications): string {
  const lines = [
    ...imported.applications.flatMap((application) =>
      application.warnings.map((warning) => `${application.document.name}: ${warning}`),
    ),
    ...imported.warnings,
  ];
  return lines.map((line) => `  warning: ${line}\n`).join('');
}
