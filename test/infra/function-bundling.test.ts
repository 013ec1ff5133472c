import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import * as yamlCommonJs from 'yaml';
import {
  BUNDLE_SUBSTITUTES,
  FUNCTION_ENTRY,
  functionBuildOptions,
  functionBundling,
  separateModuleBuildOptions,
  separateModuleCommands,
} from '../../infra/function-bundling.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The `--alias` arguments as the esbuild CLI reads them: import path -> target. */
function cliAliases(args: Record<string, string | boolean | string[]> | undefined): Record<string, string> {
  const values = args?.['--alias'];
  if (!Array.isArray(values)) return {};
  return Object.fromEntries(values.map((value) => value.split(/=(.*)/s, 2) as [string, string]));
}

describe('the function bundling', () => {
  it('asks NodejsFunction for one minified ESM file for node22 with its dependencies, SDK included, isomorphic-git apart', () => {
    const bundling = functionBundling(ROOT);
    expect(bundling).toMatchObject({
      format: OutputFormat.ESM,
      target: 'node22',
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      externalModules: ['#isomorphic-git'],
    });
    expect(bundling.banner).toMatch(/^import\{createRequire as __cr\}from'node:module';const require=/);
    expect(existsSync(FUNCTION_ENTRY)).toBe(true);
  });

  it('points each substitute at a file of the project, relative to the project root where esbuild runs', () => {
    const bundling = functionBundling(ROOT);
    expect(bundling.workingDirectory).toBe('/asset-input'); // the project root inside CDK's Docker fallback
    const aliases = cliAliases(bundling.esbuildArgs);
    expect(Object.keys(aliases).sort()).toEqual(Object.keys(BUNDLE_SUBSTITUTES).sort());
    for (const [name, target] of Object.entries(aliases)) {
      expect(target).toMatch(/^\.\/[^\\]+$/);
      expect(resolve(ROOT, target)).toBe(BUNDLE_SUBSTITUTES[name]);
      expect(existsSync(join(ROOT, target))).toBe(true);
    }
  });

  it('points at absolute paths when CDK finds the project root itself', () => {
    const bundling = functionBundling();
    expect(bundling.workingDirectory).toBeUndefined();
    const aliases = cliAliases(bundling.esbuildArgs);
    for (const target of Object.values(aliases)) expect(isAbsolute(target)).toBe(true);
    expect(aliases).toEqual(BUNDLE_SUBSTITUTES);
  });

  it("gives esbuild's API the same settings as the construct gives the esbuild CLI", () => {
    const bundling = functionBundling(ROOT);
    const build = functionBuildOptions('out');
    expect(build).toMatchObject({
      entryPoints: [FUNCTION_ENTRY],
      bundle: true,
      platform: 'node',
      format: bundling.format,
      target: bundling.target,
      minify: bundling.minify,
      sourcemap: bundling.sourceMap,
      sourcesContent: bundling.sourcesContent,
      mainFields: bundling.mainFields,
      banner: { js: bundling.banner },
      outfile: join('out', 'index.mjs'),
    });
    expect(resolve(build.absWorkingDir)).toBe(resolve(ROOT)); // where CDK runs esbuild
    const cli = cliAliases(bundling.esbuildArgs);
    expect(
      Object.fromEntries(Object.entries(cli).map(([name, target]) => [name, resolve(ROOT, target)])),
    ).toEqual(build.alias);
  });

  it('writes isomorphic-git as a file apart, and the package.json through which index.mjs finds it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'separate-modules-'));
    try {
      for (const command of separateModuleCommands(out, ROOT))
        execFileSync('bash', ['-c', command], { cwd: ROOT, stdio: 'pipe' });
      expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({
        type: 'module',
        imports: { '#isomorphic-git': './isomorphic-git.mjs' },
      });
      writeFileSync(
        join(out, 'probe.mjs'),
        "export const { Errors, fetch } = await import('#isomorphic-git');\n",
      );
      const probe = await import(pathToFileURL(join(out, 'probe.mjs')).href);
      expect(typeof probe.fetch).toBe('function');
      expect(typeof probe.Errors.PushRejectedError).toBe('function');
      const built = separateModuleBuildOptions(out);
      expect(built).toMatchObject({
        format: 'esm',
        target: 'node22',
        outfile: join(out, 'isomorphic-git.mjs'),
      });
      expect(functionBuildOptions(out).external).toEqual(['#isomorphic-git']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("takes yaml's ES module build from the yaml package the project installs", () => {
    expect(BUNDLE_SUBSTITUTES.yaml).toMatch(/[\\/]node_modules[\\/]yaml[\\/]browser[\\/]dist[\\/]index\.js$/);
    expect(existsSync(BUNDLE_SUBSTITUTES.yaml!)).toBe(true);
  });

  it('edits YAML with the ES module build byte for byte as with the CommonJS build', async () => {
    const yamlEsm: typeof yamlCommonJs = await import(pathToFileURL(BUNDLE_SUBSTITUTES.yaml!).href);
    const source =
      '# the app\nhelm:\n  parameters:\n    - name: image.tag # moved by the updater\n      value: "1.0.1"\n';
    const edit = (yaml: typeof yamlCommonJs) => {
      const document = yaml.parseDocument(source);
      document.setIn(['helm', 'parameters', 0, 'value'], '1.0.2');
      const cst = [...new yaml.Parser().parse(source)].map((token) => yaml.CST.stringify(token)).join('');
      return [document.toString(), cst, yaml.stringify({ a: [1, 'two'] })];
    };
    expect(edit(yamlEsm)).toEqual(edit(yamlCommonJs));
    expect(edit(yamlEsm)[0]).toContain('value: "1.0.2"');
  });
});
