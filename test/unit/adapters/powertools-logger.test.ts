import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENT } from '../../../lib/adapters/environment.ts';
import { logLevelFromEnv, PowertoolsLogger } from '../../../lib/adapters/powertools-logger.ts';
import { captureOutput } from '../../support/capture-output.ts';

const parse = (lines: readonly string[]) => lines.map((line) => JSON.parse(line));

describe('PowertoolsLogger', () => {
  beforeEach(() => {
    // What Lambda sets for an on-demand function; Powertools reads both from the environment.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-abc-def;Parent=12;Sampled=1');
    vi.stubEnv(ENVIRONMENT.logLevel, '');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('writes one JSON object a line: the envelope first, with the field names queries use, then our fields', () => {
    const logger = new PowertoolsLogger({ service: 'ecr-image-updater' });
    logger.startInvocation({ awsRequestId: 'req-1', functionName: 'updater' });
    const { stdout } = captureOutput(() =>
      logger.info('flask-app: no change', { app: 'flask-app', outcome: 'unchanged' }),
    );
    expect(stdout).toHaveLength(1);
    const [entry] = parse(stdout);
    expect(entry).toMatchObject({
      level: 'INFO',
      message: 'flask-app: no change',
      service: 'ecr-image-updater',
      cold_start: true,
      function_name: 'updater',
      function_request_id: 'req-1',
      xray_trace_id: '1-abc-def',
      app: 'flask-app',
      outcome: 'unchanged',
    });
    expect(entry.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Object.keys(entry).slice(0, 4)).toEqual(['level', 'message', 'timestamp', 'service']);
  });

  it('marks only the first invocation of the environment as a cold start, and carries each request id', () => {
    const logger = new PowertoolsLogger({ service: 's' });
    const { stdout } = captureOutput(() => {
      logger.info('while loading');
      logger.startInvocation({ awsRequestId: 'req-1' });
      logger.info('first');
      logger.startInvocation({ awsRequestId: 'req-2' });
      logger.info('second');
    });
    expect(
      parse(stdout).map((entry) => [entry.message, entry.cold_start, entry.function_request_id]),
    ).toEqual([
      ['while loading', undefined, undefined],
      ['first', true, 'req-1'],
      ['second', false, 'req-2'],
    ]);
  });

  it('writes errors as name, message and stack; bigints as text; a cycle without throwing', () => {
    const logger = new PowertoolsLogger({ service: 's' });
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const { stderr } = captureOutput(() =>
      logger.error('boom', { error: new TypeError('bad'), size: 12n, cycle }),
    );
    const [entry] = parse(stderr);
    expect(entry.error).toMatchObject({ name: 'TypeError', message: 'bad' });
    expect(entry.error.stack).toContain('TypeError: bad');
    expect(entry.size).toBe('12');
    expect(entry.cycle).toEqual({ name: 'loop' });
  });

  it('writes DEBUG and INFO to standard output, WARN and ERROR to standard error (one log stream in Lambda)', () => {
    const logger = new PowertoolsLogger({ service: 's', level: 'DEBUG' });
    const { stdout, stderr } = captureOutput(() => {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    });
    expect(parse(stdout).map((entry) => entry.level)).toEqual(['DEBUG', 'INFO']);
    expect(parse(stderr).map((entry) => entry.level)).toEqual(['WARN', 'ERROR']);
  });

  it('writes nothing below its level', () => {
    const logger = new PowertoolsLogger({ service: 's', level: 'WARN' });
    const { stdout, stderr } = captureOutput(() => {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    });
    expect(stdout).toEqual([]);
    expect(parse(stderr).map((entry) => entry.level)).toEqual(['WARN', 'ERROR']);
  });

  it('takes its level from ECR_IMAGE_UPDATER_LOG_LEVEL when none is given', () => {
    vi.stubEnv(ENVIRONMENT.logLevel, 'debug');
    const logger = new PowertoolsLogger({ service: 's' });
    const { stdout } = captureOutput(() => logger.debug('shown'));
    expect(parse(stdout)).toMatchObject([{ level: 'DEBUG', message: 'shown' }]);
  });
});

describe('logLevelFromEnv', () => {
  it("reads ECR_IMAGE_UPDATER_LOG_LEVEL in any case and other runtimes' names, else INFO", () => {
    expect(logLevelFromEnv({})).toBe('INFO');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'debug' })).toBe('DEBUG');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'WARN' })).toBe('WARN');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'warning' })).toBe('WARN');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'TRACE' })).toBe('DEBUG');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'fatal' })).toBe('ERROR');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'loud' })).toBe('INFO');
  });
});

describe("PowertoolsLogger under Lambda's advanced logging controls", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('follows the level Lambda sets rather than ours', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'DEBUG');
    const logger = new PowertoolsLogger({ service: 's', level: 'ERROR' });
    const { stdout } = captureOutput(() => logger.info('shown'));
    expect(parse(stdout).map((entry) => entry.message)).toEqual(['shown']);
  });
});
