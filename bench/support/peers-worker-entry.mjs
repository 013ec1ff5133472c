// The worker's entry: Node 20 does not hand a thread's TypeScript loader to a worker, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./peers-worker.ts');
