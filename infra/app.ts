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
      return parseUpdaterConfig(/\.ya?ml$/i.test(file) ? parse(text) : JSON.parse(text));
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
