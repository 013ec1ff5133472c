/**
 * Structured JSON logs through Powertools for AWS Lambda: one object a line with the service, the
 * cold-start flag and the request id, and our fields. Nothing here ever receives a secret.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../app/ports.ts';

export class PowertoolsJsonLogger implements Logger {
  constructor(
    readonly powertools: PowertoolsLogger = new PowertoolsLogger({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'ecr-image-updater',
    }),
  ) {}

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.debug(message, fields);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.info(message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.warn(message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.powertools.error(message, fields);
  }
}
