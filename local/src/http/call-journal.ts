/** One request a spec-checked fake served, for counting round trips and catching invalid requests. */
export interface ServedCall<FaultKind extends string = string> {
  readonly method: string;
  /** The description's path template (`/repos/{owner}/{repo}/contents/{path}`), or the path when none matched. */
  readonly route: string;
  /** The description's operationId, when the path and method matched one. */
  readonly operationId: string | undefined;
  /** The status answered; 0 when a `reset` fault dropped the connection. */
  readonly status: number;
  /** When the request arrived, in milliseconds since the epoch. */
  readonly at: number;
  /** How the request broke the description; empty for a valid request. */
  readonly problems: readonly string[];
  /** The injected fault that answered it, if one did. */
  readonly fault: FaultKind | undefined;
  /** For a 500 the fake did not mean to give: what went wrong inside it. */
  readonly error?: string;
}

/** The calls a fake served, oldest first: what its `calls`, `callCount`, `invalidCalls` and `clearCalls` read. */
export class CallJournal<C extends Pick<ServedCall, 'operationId' | 'problems'>> {
  readonly #calls: C[] = [];

  /** Adds a served call. */
  record(call: C): void {
    this.#calls.push(call);
  }

  /** Every call recorded since the last {@link clear}, oldest first. */
  get calls(): readonly C[] {
    return this.#calls;
  }

  /** How many calls were recorded, for one operation or for all. */
  count(operationId?: string): number {
    return operationId === undefined
      ? this.#calls.length
      : this.#calls.filter((call) => call.operationId === operationId).length;
  }

  /** The calls that broke the description. */
  invalid(): readonly C[] {
    return this.#calls.filter((call) => call.problems.length > 0);
  }

  /** Forgets the calls recorded so far. */
  clear(): void {
    this.#calls.length = 0;
  }
}
