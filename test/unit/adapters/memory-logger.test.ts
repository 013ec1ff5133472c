import { expect, it } from 'vitest';
import { MemoryLogger } from '../../../lib/adapters/memory-logger.ts';

it('keeps entries and renders them as JSON lines', () => {
  const logger = new MemoryLogger();
  logger.info('event ignored', { reason: 'untagged' });
  logger.error('failed', { app: 'a' });
  expect(logger.lines()).toEqual([
    '{"level":"info","message":"event ignored","reason":"untagged"}',
    '{"level":"error","message":"failed","app":"a"}',
  ]);
});
