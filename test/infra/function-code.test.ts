import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prebuiltFunctionDir, prebuiltHandler } from '../../infra/function-code.ts';

const dir = mkdtempSync(join(tmpdir(), 'prebuilt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prebuiltFunctionDir', () => {
  it('finds no prebuilt function beside the TypeScript sources, so this repository bundles from source', () => {
    expect(prebuiltFunctionDir()).toBeUndefined();
  });

  it('answers a folder that holds the bundle Lambda loads', () => {
    expect(prebuiltFunctionDir(dir)).toBeUndefined();
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({});\n');
    expect(prebuiltFunctionDir(dir)).toBe(dir);
    expect(prebuiltHandler('handler')).toBe('index.handler');
    expect(prebuiltHandler('writeHandler')).toBe('index.writeHandler');
  });
});
