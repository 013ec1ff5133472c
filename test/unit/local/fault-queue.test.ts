import { byOperationId, FaultQueue, waitUnlessClosed } from '@ecr-image-updater/local/fault-queue';
import { describe, expect, it } from 'vitest';

type Fault = { readonly operationId?: string; readonly times?: number; readonly name: string };

describe('FaultQueue', () => {
  it('hits the next matching requests, `times` of them, in the order the faults were injected', () => {
    const faults = new FaultQueue<Fault>(byOperationId);
    faults.inject({ name: 'get twice', operationId: 'get', times: 2 });
    faults.inject({ name: 'any' });
    expect(faults.pending).toBe(2);
    expect(['put', 'get', 'get', 'get', 'get'].map((op) => faults.take(op)?.name)).toEqual([
      'any',
      'get twice',
      'get twice',
      undefined,
      undefined,
    ]);
    expect(faults.pending).toBe(0);
  });

  it('matches as the peer says: here a short name against a full target', () => {
    const faults = new FaultQueue<{ target?: string; times?: number }>(
      (fault, target) => fault.target === undefined || target?.endsWith(`.${fault.target}`) === true,
    );
    faults.inject({ target: 'Query' });
    expect(faults.take('DynamoDB_20120810.GetItem')).toBeUndefined();
    expect(faults.take('DynamoDB_20120810.Query')).toEqual({ target: 'Query' });
  });

  it('refuses a count that is not a whole number of one or more, and forgets everything on clear', () => {
    const faults = new FaultQueue<Fault>(byOperationId);
    expect(() => faults.inject({ name: 'never', times: 0 })).toThrow('A fault needs times >= 1, got 0');
    expect(() => faults.inject({ name: 'half', times: 1.5 })).toThrow('times >= 1');
    faults.inject({ name: 'x', times: 3 });
    faults.clear();
    expect(faults.take(undefined)).toBeUndefined();
  });
});

describe('waitUnlessClosed', () => {
  it('waits when the peer stays open, and says false at once when it closes', async () => {
    const closing = new AbortController();
    expect(await waitUnlessClosed(1, closing.signal)).toBe(true);
    expect(await waitUnlessClosed(0, closing.signal)).toBe(true);
    const waiting = waitUnlessClosed(60_000, closing.signal);
    closing.abort();
    expect(await waiting).toBe(false);
    expect(await waitUnlessClosed(0, closing.signal)).toBe(false);
  });
});
