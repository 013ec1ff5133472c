import { InvalidInputError } from 'ecr-image-updater/lib/domain/errors';

/** What `local push` and `local show` say when the environment `local up` writes is not there. */
export function noLocalPeersError(): InvalidInputError {
  return new InvalidInputError(
    'environment',
    'no local peers are known',
    'run ecr-image-updater local up --env-out .local.env, then source .local.env',
  );
}
