/** Readable output of the apps command. */
import { stringify } from 'yaml';
import type { StoredApp } from '../../lib/app/ports.ts';
import { describeWriteBack } from '../../lib/domain/registration/describe-registration.ts';
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
  return status + stringify(app.document, { indent: 2, indentSeq: false });
}
