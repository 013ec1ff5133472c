/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundle (see ../function-bundling.ts).
 * The SDK clients take their credentials from its `defaultProvider`, a chain that tries the environment
 * first, then SSO, INI files, credential processes, web identity and the metadata services. Lambda puts
 * the function role's credentials in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`), so the bundle keeps the chain's first link, the SDK's own `fromEnv`, and leaves
 * out the rest and the STS and SSO clients they bring.
 */
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/** What the clients call for their default credentials: the environment's, as the SDK reads them. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
