import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import { parseScanGate } from '../../../../lib/domain/tags/scan-gate.ts';
import type { ImageScan } from '../../../../lib/domain/tags/tag-candidate.ts';

const gate = parseScanGate({ CRITICAL: 0, high: 2 })!;
const verdict = (scan?: ImageScan) => gate.reject(scan ? { tag: '1.4.2', scan } : { tag: '1.4.2' });

describe('parseScanGate', () => {
  it('is no filter when absent', () => {
    expect(parseScanGate(undefined)).toBeUndefined();
    expect(parseScanGate(null)).toBeUndefined();
  });

  it('reads severities in any case, and describes the gate in ECR names', () => {
    expect(gate.description).toBe('scan-gate CRITICAL<=0,HIGH<=2');
    expect(gate.scanLimits).toEqual({ CRITICAL: 0, HIGH: 2 });
    expect(parseScanGate('critical=0, HIGH=2')?.description).toBe('scan-gate CRITICAL<=0,HIGH<=2');
    expect(parseScanGate({})?.description).toBe('scan-gate complete');
    expect(parseScanGate('complete')?.description).toBe('scan-gate complete');
  });

  it('keeps a complete scan within the limits; a severity not named is unlimited', () => {
    expect(verdict({ status: 'COMPLETE', findings: { HIGH: 2, MEDIUM: 40, LOW: 9 } })).toBeUndefined();
    expect(verdict({ status: 'COMPLETE', findings: {} })).toBeUndefined();
    expect(verdict({ status: 'ACTIVE', findings: { HIGH: 1, UNTRIAGED: 3 } })).toBeUndefined();
  });

  it('drops an image whose scan is not complete, saying its status', () => {
    expect(verdict({ status: 'IN_PROGRESS' })).toBe('scan not complete (IN_PROGRESS)');
    expect(verdict({ status: 'FAILED' })).toBe('scan not complete (FAILED)');
    expect(verdict({ status: 'PENDING' })).toBe('scan not complete (PENDING)');
    expect(verdict()).toBe('scan not complete (not scanned)');
  });

  it('drops a complete scan whose counts are unknown, unless the gate names no limit', () => {
    expect(verdict({ status: 'COMPLETE' })).toBe('scan findings unknown (no findings summary)');
    expect(parseScanGate('complete')?.reject({ tag: 'a', scan: { status: 'COMPLETE' } })).toBeUndefined();
  });

  it('drops an image over the limits, with the counts', () => {
    expect(verdict({ status: 'COMPLETE', findings: { CRITICAL: 1, HIGH: 3 } })).toBe(
      'scan findings over the gate: 1 CRITICAL (at most 0), 3 HIGH (at most 2)',
    );
  });

  it.each([
    ['a severity ECR does not know', { SEVERE: 1 }, 'scanGate.SEVERE', "'SEVERE' is not a severity"],
    ['a negative count', { HIGH: -1 }, 'scanGate.HIGH', "'-1' is not a number of findings"],
    ['a fraction', { HIGH: 1.5 }, 'scanGate.HIGH', 'is not a number of findings'],
    ['text for a count', { HIGH: 'two' }, 'scanGate.HIGH', "'two' is not a number of findings"],
    ['a list', ['HIGH'], 'scanGate', 'expected a mapping'],
    ['a severity twice', { high: 1, HIGH: 2 }, 'scanGate.HIGH', 'given twice'],
    ['text without counts', 'HIGH', 'scanGate', "'HIGH' is not severity=count"],
  ])('refuses %s, naming the field', (_what, value, field, message) => {
    let error: unknown;
    try {
      parseScanGate(value);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const problems = (error as InvalidInputError).problems;
    const first = problems.length > 0 ? problems[0]! : (error as InvalidInputError);
    expect(first.field).toBe(field);
    expect(first.message).toContain(message);
  });
});
