import { describe, expect, it } from 'vitest';
import {
  argoCdWriteGroupOf,
  queuedWriteMessage,
  readQueuedWrite,
  writeGroupOf,
} from '../../../lib/app/queued-write.ts';
import { seedGitPlan } from '../../support/git-plans.ts';

const plan = (name: string, git: Record<string, unknown> = {}) =>
  seedGitPlan(name, { git: { repo: 'acme/gitops', branch: 'main', ...git } });
const push = {
  kind: 'push',
  eventId: 'e-1',
  tag: '1.0.2',
  digest: `sha256:${'a'.repeat(64)}`,
  time: 1,
} as const;
const write = (app: string) => ({
  app,
  repository: '123456789012/us-west-2/web',
  trigger: push,
  queuedAt: 5,
});

describe('writeGroupOf', () => {
  it('puts the apps of one branch in one group, whatever the case of the repository, and others apart', () => {
    expect(writeGroupOf(plan('a'))).toBe(writeGroupOf(plan('b', { repo: 'Acme/GitOps' })));
    expect(writeGroupOf(plan('a'))).not.toBe(writeGroupOf(plan('a', { branch: 'prod' })));
    expect(writeGroupOf(plan('a'))).not.toBe(writeGroupOf(plan('a', { repo: 'acme/other' })));
    expect(writeGroupOf(plan('a'))).toMatch(/^git-[0-9a-f]{40}$/);
  });
});

describe('argoCdWriteGroupOf', () => {
  it('gives each Application of each server a group of its own, apart from every branch', () => {
    const group = argoCdWriteGroupOf({ name: 'prod' }, 'argocd', 'web');
    expect(group).toBe(argoCdWriteGroupOf({ name: 'prod' }, 'argocd', 'web'));
    expect(group).not.toBe(argoCdWriteGroupOf({ name: 'prod' }, 'argocd', 'api'));
    expect(group).not.toBe(argoCdWriteGroupOf({ name: 'staging' }, 'argocd', 'web'));
    expect(group).not.toBe(argoCdWriteGroupOf({ name: 'prod' }, 'team-a', 'web'));
    expect(group).toMatch(/^argocd-[0-9a-f]{40}$/);
  });
});

describe('queuedWriteMessage and readQueuedWrite', () => {
  it('sends the write in its group, deduplicated per trigger and app, and reads it back', () => {
    const message = queuedWriteMessage(writeGroupOf(plan('a')), write('a'));
    expect(message.group).toBe(writeGroupOf(plan('a')));
    expect(message.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(message.deduplicationId).toBe(
      queuedWriteMessage(writeGroupOf(plan('a')), write('a')).deduplicationId,
    );
    expect(message.deduplicationId).not.toBe(
      queuedWriteMessage(writeGroupOf(plan('b')), write('b')).deduplicationId,
    );
    expect(readQueuedWrite(message.body)).toEqual(write('a'));
  });

  it.each([
    ['not JSON', '{', 'message: is not JSON'],
    [
      'without a trigger',
      JSON.stringify({ app: 'a', repository: 'r', queuedAt: 1 }),
      'is not a queued write',
    ],
    [
      'with a push trigger that lacks its tag',
      JSON.stringify({ ...write('a'), trigger: { kind: 'push', eventId: 'e' } }),
      'is not a queued write',
    ],
  ])('refuses a body %s', (_what, body, message) => {
    expect(() => readQueuedWrite(body)).toThrow(message);
  });
});
