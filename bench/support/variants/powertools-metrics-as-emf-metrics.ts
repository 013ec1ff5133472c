// Bench variant: Powertools Metrics under the name the handler imports from emf-metrics.ts.
export { PowertoolsMetrics as EmfMetrics } from '../../../lib/adapters/powertools-metrics.ts';
