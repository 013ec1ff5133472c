/**
 * What both entry points of the bundle share for the life of an execution environment: the service
 * name, the logger, and the configuration read from the environment (once, at the first invocation).
 */
import { ENVIRONMENT } from '../lib/adapters/environment.ts';
import { PowertoolsLogger } from '../lib/adapters/powertools-logger.ts';
import { PowertoolsMetrics } from '../lib/adapters/powertools-metrics.ts';
import { type RuntimeConfig, readRuntimeConfig } from '../lib/adapters/runtime-config.ts';
import { METRICS_NAMESPACE } from '../lib/app/outcome-metrics.ts';

export const service = process.env[ENVIRONMENT.service] || 'ecr-image-updater';
export const logger = new PowertoolsLogger({ service });

/** The metrics publisher of a cold start. */
export function lambdaMetrics(): PowertoolsMetrics {
  return new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, service });
}

/** The function's configuration; read at a cold start, never per invocation. */
export function lambdaConfig(): RuntimeConfig {
  return readRuntimeConfig(process.env);
}
