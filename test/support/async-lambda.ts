/**
 * Lambda's asynchronous invocation, as EventBridge uses it, in memory: the handler is called; when it
 * throws, Lambda calls it again with the same event up to two more times (the default
 * MaximumRetryAttempts); when every attempt threw, the event and the last error go to the dead-letter
 * destination. Redriving replays what is there through the same handler.
 */

/** An event that failed every attempt, with the error of the last one, as the dead-letter queue keeps it. */
export interface DeadLetter {
  readonly event: unknown;
  readonly error: unknown;
}

/** What became of one invocation: its result after `attempts` calls, or its dead letter. */
export type Invocation<R> =
  | { readonly kind: 'succeeded'; readonly attempts: number; readonly result: R; readonly errors: unknown[] }
  | {
      readonly kind: 'dead-lettered';
      readonly attempts: number;
      readonly deadLetter: DeadLetter;
      readonly errors: unknown[];
    };

export class AsyncLambda<R> {
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly handler: (event: unknown) => Promise<R>,
    private readonly maxRetries = 2,
  ) {}

  /** Delivers `event` as Lambda does an asynchronous invocation. */
  async invoke(event: unknown): Promise<Invocation<R>> {
    const errors: unknown[] = [];
    for (let attempt = 1; attempt <= this.maxRetries + 1; attempt++) {
      try {
        return { kind: 'succeeded', attempts: attempt, result: await this.handler(event), errors };
      } catch (error) {
        errors.push(error);
      }
    }
    const deadLetter = { event, error: errors.at(-1) };
    this.deadLetters.push(deadLetter);
    return { kind: 'dead-lettered', attempts: this.maxRetries + 1, deadLetter, errors };
  }

  /** Replays every dead letter once, in order, as a fresh invocation; what fails again stays. */
  async redrive(): Promise<Array<Invocation<R>>> {
    const letters = this.deadLetters.splice(0);
    const replayed: Array<Invocation<R>> = [];
    for (const letter of letters) replayed.push(await this.invoke(letter.event));
    return replayed;
  }
}
