import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lib/domain/errors.ts';
import { ProblemCollector } from '../../../lib/domain/problem-collector.ts';

const problem = (field: string) => new InvalidInputError(field, 'is wrong', 'fix it');
const thrown = (run: () => void): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('ProblemCollector', () => {
  it("answers a reader's value, or keeps its problem and answers undefined", () => {
    const problems = new ProblemCollector();
    expect(problems.check(() => 42)).toBe(42);
    expect(
      problems.check(() => {
        throw problem('a');
      }),
    ).toBeUndefined();
    expect(problems.count).toBe(1);
  });

  it('lets any other error through', () => {
    const problems = new ProblemCollector();
    expect(() =>
      problems.check(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });

  it('throws nothing without a problem, and a single problem as it is', () => {
    const problems = new ProblemCollector();
    expect(() => problems.throwIfAny()).not.toThrow();
    const only = problem('a');
    problems.add(only);
    expect(thrown(() => problems.throwIfAny())).toBe(only);
  });

  it('throws every problem in one error: the first on the first line, the others below', () => {
    const problems = new ProblemCollector();
    problems.check(() => {
      throw problem('images[0].ignoreTag');
    });
    problems.add(problem('images[0].stratgy'));
    const error = thrown(() => problems.throwIfAny()) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('images[0].ignoreTag');
    expect(error.message).toBe(
      'images[0].ignoreTag: is wrong; fix it\n  images[0].stratgy: is wrong; fix it',
    );
    expect(error.problems.map((p) => p.field)).toEqual(['images[0].ignoreTag', 'images[0].stratgy']);
  });

  it('keeps each problem once when a reader threw several', () => {
    const inner = new ProblemCollector();
    inner.add(problem('a'));
    inner.add(problem('b'));
    const outer = new ProblemCollector();
    outer.check(() => inner.throwIfAny());
    outer.add(problem('c'));
    const error = thrown(() => outer.throwIfAny()) as InvalidInputError;
    expect(error.problems.map((p) => p.field)).toEqual(['a', 'b', 'c']);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('lists 20 problems, then counts the rest', () => {
    const problems = new ProblemCollector();
    for (let i = 0; i < 25; i++) problems.add(problem(`f${i}`));
    const lines = (thrown(() => problems.throwIfAny()) as Error).message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[19]).toBe('  f19: is wrong; fix it');
    expect(lines[20]).toBe('  and 5 more');
  });

  it('builds the combined error with the given function, for a subclass', () => {
    class OwnError extends InvalidInputError {}
    const problems = new ProblemCollector(
      (first, others) => new OwnError(first.field, first.problem, first.fix, { others }),
    );
    problems.add(problem('a'));
    problems.add(problem('b'));
    expect(thrown(() => problems.throwIfAny())).toBeInstanceOf(OwnError);
  });
});
