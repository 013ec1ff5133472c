/**
 * `apps import`: Argo CD Applications annotated for Argo CD Image Updater, mapped to registrations,
 * validated and stored as `apps register` stores them; with --dry-run, validated and printed as
 * registration YAML without storing. Warnings (what was not mapped, and what to do) go to stderr.
 */
import type { Registered } from '../../lib/app/register-app.ts';
import { InvalidInputError } from '../../lib/domain/errors.ts';
import { parsePlainGitHost } from '../../lib/domain/migration/git-remote-of.ts';
import {
  type ImportedApplications,
  registrationsFromApplications,
} from '../../lib/domain/migration/registrations-from-applications.ts';
import { type CliIo, EXIT } from '../io.ts';
import { INPUT_LIMITS, readInput } from '../read-input.ts';
import { type Checked, dryRunJson, formatDryRun, formatRegistered, registeredJson } from './apps-output.ts';

/** The flags `apps import` adds to the apps command. */
export const IMPORT_FLAGS = {
  account: { type: 'string' },
  'github-connection': { type: 'string' },
  'argocd-connection': { type: 'string' },
  'git-connection': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
} as const;

export const IMPORT_USAGE = `  apps import <manifest.yaml | -> [--account <id>] [--github-connection <name>]
              [--argocd-connection <name>] [--git-connection <name>=<url>]... [--dry-run]
      Maps Argo CD Applications annotated for Argo CD Image Updater to registrations, then stores
      them as register does; what cannot be mapped is printed as a warning.
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
}

/** Runs `apps import <source>`. */
export async function importApps(
  source: string | undefined,
  flags: ImportFlags,
  io: CliIo,
  { parseDocuments, register, check }: ImportSteps,
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
    githubConnection: flags['github-connection'],
    argocdConnection: flags['argocd-connection'],
    gitHosts: (flags['git-connection'] ?? []).map((text) => parsePlainGitHost(text)),
  });
  const documents = imported.applications.map((application) => application.document);
  const warningsOf = (index: number) => imported.applications[index]?.warnings ?? [];
  if (flags['dry-run']) {
    const checked = await check(documents);
    if (flags.json) {
      const apps = checked.map((result, index) => ({ ...dryRunJson(result), warnings: warningsOf(index) }));
      io.stdout(`${JSON.stringify({ apps, warnings: imported.warnings })}\n`);
    } else io.stdout(checked.map(formatDryRun).join('---\n'));
  } else {
    const registered = await register(documents);
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
