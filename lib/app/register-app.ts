/**
 * Registering apps: validate every document (nothing is stored when one is wrong, and every mistake of
 * every document is reported at once), check that the registry can store each, read the apps they
 * replace, then store each under its name with the repositories it follows, on the condition that
 * the app is still the one read, and say what each replaced and what changed. Each revision stored
 * records who stored it (the caller's identity) and when.
 */
import { InvalidInputError, mapProblems } from '../domain/errors.ts';
import { ProblemCollector } from '../domain/problem-collector.ts';
import { parseRegistration, type Registration, watchKeysOf } from '../domain/registration/registration.ts';
import { describeRegistrationChanges } from '../domain/registration/registration-changes.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';
import type { AppRegistry, CallerIdentity, StoredApp } from './ports.ts';

/** A validated registration, with what is worth telling the operator. */
export interface Validated {
  readonly registration: Registration;
  /** Things worth telling the operator, e.g. a constraint that has no effect on its strategy. */
  readonly notes: readonly string[];
}

export interface Registered extends Validated {
  /** The app as stored; after a dry run, as it would be stored. */
  readonly stored: StoredApp;
  /** The app of the same name it replaced, if there was one. */
  readonly previous?: StoredApp;
  /** What changed from `previous`, one short phrase each (`writeBack git -> argocd`); none for a new app. */
  readonly changes: readonly string[];
}

export interface RegisterOptions {
  /** Validate and read what would be replaced, and store nothing. */
  readonly dryRun?: boolean;
  /**
   * Where each document came from, for errors (`b.yaml`, `b.yaml document 2`); by default
   * `document <n>` when there are several.
   */
  readonly sources?: readonly string[];
  /** Who is registering, recorded with each revision stored; asked once, after validation. */
  readonly caller?: CallerIdentity;
}

// Reads of the apps to replace run side by side, as the CLI's registry client allows.
const READ_CONCURRENCY = 8;

/**
 * Validates every document and checks that the registry can store it, then reads the apps they
 * replace, then stores them (unless `dryRun`): one bad document means none is stored. Each write is conditional on the app's revision as read, so the changes
 * reported are the changes made.
 */
export async function registerApps(
  registry: AppRegistry,
  documents: readonly unknown[],
  options: RegisterOptions = {},
): Promise<Registered[]> {
  const validated = validateRegistrations(documents, options);
  const [previous, registeredBy] = await Promise.all([
    readPrevious(registry, validated),
    options.dryRun ? undefined : options.caller?.whoAmI(),
  ]);
  // Every app must fit in the registry, with who stores it, before the first is stored.
  const problems = new ProblemCollector();
  for (const { registration } of validated) {
    problems.check(() =>
      registry.checkStorable(
        registration.name,
        registration.document,
        watchKeysOf(registration),
        registeredBy,
      ),
    );
  }
  problems.throwIfAny();
  const registered: Registered[] = [];
  for (const [index, { registration, notes }] of validated.entries()) {
    const before = previous[index];
    if (options.dryRun) {
      const stored = {
        name: registration.name,
        document: registration.document,
        paused: before?.paused ?? false,
        revision: (before?.revision ?? 0) + 1,
      };
      registered.push(replacing(registration, notes, stored, before));
      continue;
    }
    const stored = await registry.put(
      registration.name,
      registration.document,
      watchKeysOf(registration),
      before?.revision ?? 0,
      registeredBy,
    );
    registered.push(replacing(registration, notes, stored, before));
  }
  return registered;
}

/**
 * Validates every document and refuses the same app twice; stores nothing. Every document is read, so
 * that one run reports the problems of all of them.
 */
export function validateRegistrations(
  documents: readonly unknown[],
  options: RegisterOptions = {},
): Validated[] {
  const problems = new ProblemCollector();
  const parsed = documents.map((document, index) =>
    problems.check(() => {
      try {
        return parseRegistration(document);
      } catch (error) {
        const source =
          options.sources?.[index] ?? (documents.length > 1 ? `document ${index + 1}` : undefined);
        if (!(error instanceof InvalidInputError) || source === undefined) throw error;
        throw mapProblems(
          error,
          (problem) => new InvalidInputError(`${source}: ${problem.field}`, problem.problem, problem.fix),
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
  return registrations.map((registration) => ({
    registration,
    notes: registration.images.flatMap((image, index) =>
      image.policy.notes.map((note) => `images[${index}]: ${note}`),
    ),
  }));
}

function readPrevious(
  registry: AppRegistry,
  validated: readonly Validated[],
): Promise<(StoredApp | undefined)[]> {
  return mapWithConcurrency(validated, READ_CONCURRENCY, ({ registration }) =>
    registry.get(registration.name),
  );
}

function replacing(
  registration: Registration,
  notes: readonly string[],
  stored: StoredApp,
  previous: StoredApp | undefined,
): Registered {
  return {
    registration,
    notes,
    stored,
    ...(previous ? { previous } : {}),
    changes: previous ? describeRegistrationChanges(previous.document, registration.document) : [],
  };
}
