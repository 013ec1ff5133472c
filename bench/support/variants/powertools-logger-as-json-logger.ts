// Bench variant: Powertools Logger under the names the handler imports from json-logger.ts.
export {
  type InvocationContext,
  PowertoolsLogger as JsonLogger,
} from '../../../lib/adapters/powertools-logger.ts';
