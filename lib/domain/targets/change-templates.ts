/**
 * What commit-message and write-branch templates see, with Argo CD Image Updater's field names, and the
 * stable SHA256 of a change that names a branch per change.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors.ts';
import type { ImageChange } from '../updates/image-update.ts';
import { type CompiledTemplate, compileGoTemplate, TemplateError } from './go-template.ts';

/** Data of a commit-message template: `.AppName`, `.AppChanges` (`.Image`, `.Alias`, `.OldTag`, `.NewTag`). */
export function commitTemplateData(appName: string, changes: readonly ImageChange[]) {
  return {
    AppName: appName,
    AppChanges: changes.map((c) => ({
      Image: c.imageName,
      Alias: c.alias ?? '',
      OldTag: c.from ?? '',
      NewTag: c.to,
    })),
  };
}

/** Data of a write-branch template: `.AppName`, `.Images` (`.Name`, `.Alias`, `.OldTag`, `.NewTag`), `.SHA256`. */
export function branchTemplateData(appName: string, changes: readonly ImageChange[]) {
  return {
    AppName: appName,
    Images: changes.map((c) => ({
      Name: c.imageName.slice(c.imageName.indexOf('/') + 1),
      Alias: c.alias ?? '',
      OldTag: c.from ?? '',
      NewTag: c.to,
    })),
    SHA256: changeSha256(appName, changes),
  };
}

/** A hash of what a change moves where: the same target versions give the same hash, whatever came before. */
export function changeSha256(appName: string, changes: readonly ImageChange[]): string {
  const lines = changes.map((c) => `${c.imageName}:${c.to}`).sort();
  return createHash('sha256')
    .update([appName, ...lines].join('\n'))
    .digest('hex');
}

/** Compiles a template and proves it renders with sample data, so a bad one is refused at registration. */
export function compileChangeTemplate(
  source: string,
  field: string,
  kind: 'commit' | 'branch',
): CompiledTemplate {
  const sample: ImageChange[] = [
    {
      alias: 'app',
      imageName: '123456789012.dkr.ecr.us-west-2.amazonaws.com/app',
      from: '1.0.0',
      to: '1.0.1',
    },
  ];
  try {
    const template = compileGoTemplate(source);
    template.render(
      kind === 'commit' ? commitTemplateData('app', sample) : branchTemplateData('app', sample),
    );
    return template;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const fields =
      kind === 'commit'
        ? '.AppName, .AppChanges (.Image .Alias .OldTag .NewTag)'
        : '.AppName, .Images (.Name .Alias .OldTag .NewTag), .SHA256';
    throw new InvalidInputError(
      field,
      `the template does not work: ${error.message}`,
      `use {{...}} with ${fields}`,
      { cause: error },
    );
  }
}
