/**
 * Synthesizes a stack the way `cdk synth` does, with cdk-nag's AWS Solutions checks, into a temporary
 * folder, and answers its template and the checks' unacknowledged findings. Asset bundling is skipped
 * (the offline `cdk synth` test bundles for real).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface Synthesized<S extends Stack> {
  readonly stack: S;
  readonly template: Template;
  /** `rule at construct path` for each finding nobody acknowledged. */
  readonly findings: string[];
}

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly violations: ReadonlyArray<{
      readonly ruleName: string;
      readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
    }>;
  }>;
}

export function synthesize<S extends Stack>(build: (app: App) => S): Synthesized<S> {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (error) {
      if (!existsSync(join(outdir, 'validation-report.json'))) throw error;
    }
    const report = join(outdir, 'validation-report.json');
    const findings = existsSync(report)
      ? (JSON.parse(readFileSync(report, 'utf8')) as ValidationReport).pluginReports.flatMap((plugin) =>
          plugin.violations.flatMap((v) =>
            v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`),
          ),
        )
      : [];
    const template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')));
    return { stack, template, findings };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
