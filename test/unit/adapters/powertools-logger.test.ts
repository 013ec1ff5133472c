import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, expect, it, vi } from 'vitest';
import { PowertoolsJsonLogger } from '../../../lib/adapters/powertools-logger.ts';

afterEach(() => vi.restoreAllMocks());

it('writes one JSON object a line with our fields', () => {
  const lines: string[] = [];
  // Powertools writes through its own console; capture what reaches standard output.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  const logger = new PowertoolsJsonLogger(new Logger({ serviceName: 'ecr-image-updater', logLevel: 'INFO' }));
  logger.info('flask-app: no change', { app: 'flask-app', outcome: 'unchanged' });
  const entry = JSON.parse(lines.join('').trim().split('\n').at(-1)!);
  expect(entry).toMatchObject({
    level: 'INFO',
    message: 'flask-app: no change',
    service: 'ecr-image-updater',
    app: 'flask-app',
    outcome: 'unchanged',
  });
});
