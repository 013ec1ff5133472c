/** Readable output of the apps command. */
import { stringify } from 'yaml';
import type { StoredApp } from '../../lib/app/ports.ts';
import type { Registered, Validated } from '../../lib/app/register-app.ts';
import {
  describeChanges,
  describeRegistration,
  describeReplacement,
  describeWriteBack,
} from '../../lib/domain/registration/describe-registration.ts';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';

export function formatAppList(apps: readonly StoredApp[]): string {
  if (apps.length === 0)
    return 'no apps are registered; add one with ecr-image-updater apps register -f <file>\n';
  const rows = apps.map((app) => {
    try {
      const registration = parseRegistration(app.document);
      return [
        app.name,
        app.paused ? 'paused' : 'active',
        registration.images.map((i) => i.imageName.slice(i.imageName.indexOf('/') + 1)).join(','),
        describeWriteBack(registration),
      ];
    } catch (error) {
      return [app.name, 'invalid', '-', error instanceof Error ? error.message : String(error)];
    }
  });
  const table = [['NAME', 'STATUS', 'REPOSITORIES', 'WRITES TO'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return `${table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n')}\n`;
}

export function formatAppShow(app: StoredApp): string {
  const status = `# ${app.name}: ${app.paused ? 'paused' : 'active'}, revision ${app.revision}${app.updatedAt ? `, updated ${app.updatedAt}` : ''}\n`;
  return `${status}# ${describeRegisteredBy(app)}\n${stringify(app.document, { indent: 2, indentSeq: false })}`;
}

/**
 * Who stored the app's registration: `revision 3, registered by arn:aws:sts::...:assumed-role/team-a/alice
 * at 2026-12-03T10:15:02Z`; `registered by (unknown)` for an app stored before identities were kept.
 */
export function describeRegisteredBy(app: StoredApp): string {
  const { registered } = app;
  if (!registered) return `revision ${app.revision}, registered by (unknown)`;
  return `revision ${registered.revision}, registered by ${registered.by} at ${registered.at.replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * What apps register and apps import print for an app stored: `registered <name> (revision 1): ...`
 * for a new app, `replaced <name> (revision 1 -> 2): <what changed>` for one that existed, and notes.
 */
export function formatRegistered(result: Registered): string {
  const { stored, previous } = result;
  const line = previous
    ? describeReplacement(
        stored.name,
        { from: previous.revision, to: stored.revision },
        stored.paused,
        result.changes,
      )
    : describeRegistration(result.registration, stored.revision, stored.paused);
  return `${line}\n${result.notes.map((note) => `  note: ${note}\n`).join('')}`;
}

/** The same for scripts: `replaced` is null for a new app. */
export function registeredJson(result: Registered) {
  return {
    name: result.stored.name,
    revision: result.stored.revision,
    paused: result.stored.paused,
    registeredBy: result.stored.registered?.by ?? null,
    notes: result.notes,
    replaced: result.previous ? { revision: result.previous.revision, changes: result.changes } : null,
  };
}

/**
 * What register and import check with --dry-run: a `Registered` as it would be stored, or only
 * `Validated` when no registry was named to compare with.
 */
export type Checked = Registered | Validated;

/** A comment saying what would happen (and what it would replace), the notes, then the YAML stored. */
export function formatDryRun(result: Checked): string {
  const { registration, notes } = result;
  const verdict = !('stored' in result)
    ? 'not compared with the registry (no table given)'
    : result.previous
      ? `would replace revision ${result.previous.revision} (${describeChanges(result.changes)})`
      : `would be registered as revision ${result.stored.revision}`;
  return [
    `# ${registration.name}: valid; ${verdict}; not stored (--dry-run)\n`,
    ...notes.map((note) => `# note: ${note}\n`),
    stringify(registration.document, { indent: 2, indentSeq: false }),
  ].join('');
}

/** The same for scripts: the document, and what registeredJson says when it was compared. */
export function dryRunJson(result: Checked) {
  const { registration, notes } = result;
  return {
    ...('stored' in result ? withoutIdentity(registeredJson(result)) : { name: registration.name, notes }),
    dryRun: true,
    document: registration.document,
  };
}

// A dry run stores nothing, so no one registered anything.
function withoutIdentity({ registeredBy: _none, ...rest }: ReturnType<typeof registeredJson>) {
  return rest;
}
