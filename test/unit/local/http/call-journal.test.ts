import { CallJournal, type ServedCall } from '@ecr-image-updater/local/http/call-journal';
import { describe, expect, it } from 'vitest';

function call(operationId: string | undefined, problems: string[] = []): ServedCall<'reset'> {
  return { method: 'GET', route: '/x', operationId, status: 200, at: 0, problems, fault: undefined };
}

describe('CallJournal', () => {
  it('keeps the calls in the order they were recorded', () => {
    const journal = new CallJournal<ServedCall<'reset'>>();
    journal.record(call('a'));
    journal.record(call('b'));
    expect(journal.calls.map((c) => c.operationId)).toEqual(['a', 'b']);
  });

  it('counts the calls of one operation, or all of them', () => {
    const journal = new CallJournal<ServedCall<'reset'>>();
    for (const operationId of ['get', 'put', 'get', undefined]) journal.record(call(operationId));
    expect(journal.count('get')).toBe(2);
    expect(journal.count('delete')).toBe(0);
    expect(journal.count()).toBe(4);
  });

  it('lists as invalid the calls that broke the description', () => {
    const journal = new CallJournal<ServedCall<'reset'>>();
    journal.record(call('get'));
    journal.record(call('put', ['"sha" wasn\'t supplied.']));
    expect(journal.invalid().map((c) => c.operationId)).toEqual(['put']);
  });

  it('forgets every call on clear, also for a reader holding the list', () => {
    const journal = new CallJournal<ServedCall<'reset'>>();
    const calls = journal.calls;
    journal.record(call('get'));
    expect(calls).toHaveLength(1);
    journal.clear();
    expect(calls).toHaveLength(0);
    expect(journal.count()).toBe(0);
  });
});
