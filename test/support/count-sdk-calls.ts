/** Counts the commands a real SDK client sends, by name: round trips, measured, not mocked. */
export function countSdkCalls(client: {
  middlewareStack: { add(middleware: never, options: never): void };
}): string[] {
  const calls: string[] = [];
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'countSdkCalls' } as never);
  return calls;
}
