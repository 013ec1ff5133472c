/** Readable lines for what one push did: each event ECR emitted and what became of it. */
import { type AppOutcome, failuresLast } from 'ecr-image-updater/lib/app/outcomes';
import type { DeliveredScannedPush } from '../deliver-push.ts';

export function describeDelivery(
  delivered: DeliveredScannedPush,
  summarize: (outcome: AppOutcome) => string,
): string[] {
  return delivered.deliveries.flatMap(({ event, outcome }) => {
    const detail = event.detail;
    const head =
      'scan-status' in detail
        ? `event ${event['detail-type']} ${detail['scan-status']} ${detail['repository-name']}:${detail['image-tags'].join(',')} ${describeFindings(detail['finding-severity-counts'])}`
        : `event ${event['detail-type']} ${detail['action-type']} ${detail.result} ${detail['repository-name']}${detail['image-tag'] ? `:${detail['image-tag']}` : ' (untagged)'} ${detail['image-digest'].slice(0, 19)}...`;
    if (outcome.kind === 'ignored') return [head, `  ignored: ${outcome.reason}`];
    if (outcome.apps.length === 0) return [head, '  no app follows this repository'];
    return [head, ...failuresLast(outcome.apps).map((app) => `  ${summarize(app)}`)];
  });
}

function describeFindings(counts: Readonly<Record<string, number>>): string {
  const found = Object.entries(counts).filter(([, count]) => count > 0);
  return found.length === 0
    ? '(no findings)'
    : `(${found.map(([severity, count]) => `${count} ${severity}`).join(', ')})`;
}
