/**
 * Registering an app: validate every field (nothing is stored when one is wrong), then store it
 * under its name with the repositories it follows.
 */
import { InvalidInputError, mapProblems } from '../domain/errors.ts';
import { ProblemCollector } from '../domain/problem-collector.ts';
import { parseRegistration, type Registration, watchKeysOf } from '../domain/registration/registration.ts';
import type { AppRegistry, StoredApp } from './ports.ts';

export interface Registered {
  readonly registration: Registration;
  readonly stored: StoredApp;
  /** Things worth telling the operator, e.g. a constraint that has no effect on its strategy. */
  readonly notes: readonly string[];
}

/** Validates every document first, then stores them: one bad document means none is stored. */
export async function registerApps(
  registry: AppRegistry,
  documents: readonly unknown[],
): Promise<Registered[]> {
  // Every document is read, so that one run reports the problems of all of them.
  const problems = new ProblemCollector();
  const parsed = documents.map((document, index) =>
    problems.check(() => {
      try {
        return parseRegistration(document);
      } catch (error) {
        if (!(error instanceof InvalidInputError) || documents.length === 1) throw error;
        throw mapProblems(
          error,
          (problem) =>
            new InvalidInputError(`document ${index + 1}: ${problem.field}`, problem.problem, problem.fix),
        );
      }
    }),
  );
  problems.throwIfAny();
  const registrations = parsed as Registration[];
  const names = registrations.map((r) => r.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate)
    throw new InvalidInputError(
      'name',
      `'${duplicate}' is registered twice in the input`,
      'give each app once',
    );
  for (const registration of registrations) {
    problems.check(() =>
      registry.checkStorable(registration.name, registration.document, watchKeysOf(registration)),
    );
  }
  problems.throwIfAny();
  const registered: Registered[] = [];
  for (const registration of registrations) {
    const stored = await registry.put(registration.name, registration.document, watchKeysOf(registration));
    const notes = registration.images.flatMap((image, index) =>
      image.policy.notes.map((note) => `images[${index}]: ${note}`),
    );
    registered.push({ registration, stored, notes });
  }
  return registered;
}
