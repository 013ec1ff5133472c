import { InvalidInputError } from '../../lib/domain/errors.ts';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';

/** The InvalidInputError a registration document is refused with; an accepted document fails the test. */
export function registrationRefusal(document: unknown): InvalidInputError {
  try {
    parseRegistration(document);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}
