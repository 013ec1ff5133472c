/**
 * Reading a document to the end: each field's reader still throws at its first problem, and the
 * collector keeps that problem and lets the reading go on, so that one run reports every mistake of the
 * document (a typo and a wrong strategy) instead of the first one only.
 */
import { InvalidInputError } from './errors.ts';

type Combine = (first: InvalidInputError, others: readonly InvalidInputError[]) => InvalidInputError;

const combineProblems: Combine = (first, others) =>
  new InvalidInputError(first.field, first.problem, first.fix, { cause: first.cause, others });

/**
 * Collects the {@link InvalidInputError}s of one input, to throw them together. `combine` builds the
 * error that carries several (an InvalidInputError, or a subclass of the caller's).
 */
export class ProblemCollector {
  private readonly found: InvalidInputError[] = [];

  constructor(private readonly combine: Combine = combineProblems) {}

  /** Runs `read`; when it throws an InvalidInputError, keeps its problems and answers undefined. */
  check<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      this.found.push(...error.problems);
      return undefined;
    }
  }

  /** Keeps one problem found without a reader. */
  add(problem: InvalidInputError): void {
    this.found.push(...problem.problems);
  }

  /** How many problems were kept so far. */
  get count(): number {
    return this.found.length;
  }

  /** Throws every problem kept as one error, the first one's, the others listed below it; or returns. */
  throwIfAny(): void {
    const [first, ...others] = this.found;
    if (first === undefined) return;
    throw others.length === 0 ? first : this.combine(first, others);
  }
}
