#!/usr/bin/env node
/**
 * The CDK app behind `npx cdk synth` and `npx cdk deploy`: one `ImageUpdaterStack`, configured from
 * `-c config=<file.json|yaml>` or the `ecr-image-updater` context of cdk.json, checked by cdk-nag's
 * AWS Solutions rules on every synth. Works offline with no credentials.
 */
import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse, YAMLError } from 'yaml';
import { CONFIG_CONTEXT_KEY, ConfigError, parseUpdaterConfig, type UpdaterConfig } from './config.ts';
import { ImageUpdaterStack } from './image-updater-stack.ts';

/** A configuration is a few KB; a larger file is a mistake or an attack, refused before it is parsed. */
const CONFIG_FILE_LIMIT_BYTES = 1024 * 1024;

const app = new App();
const config = loadConfig(app);
new ImageUpdaterStack(app, app.node.tryGetContext('stackName') ?? 'EcrImageUpdater', {
  config,
  description: 'ecr-image-updater: event-driven image updates for GitOps on AWS',
  ...(config.account || config.region
    ? {
        env: {
          ...(config.account ? { account: config.account } : {}),
          ...(config.region ? { region: config.region } : {}),
        },
      }
    : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();

/** Reads a configuration file's JSON or YAML within bounds: its size, and YAML's alias expansions. */
function parseConfigFile(file: string, text: string): unknown {
  const bytes = Buffer.byteLength(text);
  if (bytes > CONFIG_FILE_LIMIT_BYTES)
    throw new ConfigError(
      file,
      `is ${bytes.toLocaleString('en-US')} bytes, more than the 1 MiB a configuration may be`,
    );
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parse(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    // The yaml package throws a ReferenceError for an alias bomb, not a YAMLError: every parse failure
    // of the file is the user's to fix, so each becomes a configuration error (exit 2).
    const said = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200);
    throw new ConfigError(file, `is not valid ${yaml ? 'YAML' : 'JSON'} (${said})`, undefined, {
      cause: error,
    });
  }
}

function loadConfig(scope: App): UpdaterConfig {
  const file: unknown = scope.node.tryGetContext('config');
  try {
    if (typeof file === 'string' && file !== '') {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ConfigError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
      }
      return parseUpdaterConfig(parseConfigFile(file, text));
    }
    const context: unknown = scope.node.tryGetContext(CONFIG_CONTEXT_KEY);
    if (context === undefined)
      throw new ConfigError(
        CONFIG_CONTEXT_KEY,
        'no configuration',
        `give -c config=<file.json> or set "${CONFIG_CONTEXT_KEY}" in cdk.json's context`,
      );
    return parseUpdaterConfig(context);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SyntaxError || error instanceof YAMLError) {
      process.stderr.write(`ecr-image-updater: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
