/**
 * An app's decisions as people read them: newest first, one block each: what triggered it, the
 * outcome, each image's move with the tags considered and why the others were skipped, the timings.
 */
import type { DecisionRecord } from '../../lib/app/decision-record.ts';
import type { StoredApp } from '../../lib/app/ports.ts';
import type { VerdictSummary } from '../../lib/domain/tags/verdict-summary.ts';
import { describeRegisteredBy } from './apps-output.ts';

/** The decisions, under a line saying who registered the app as it stands (when it is still registered). */
export function formatHistory(
  app: string,
  decisions: readonly DecisionRecord[],
  registered?: StoredApp,
): string {
  const header = registered ? `${app}: ${describeRegisteredBy(registered)}\n\n` : '';
  if (decisions.length === 0)
    return `${header}no decisions recorded for ${app} (none yet, or older than the retention period)\n`;
  return header + decisions.map(formatDecision).join('\n');
}

export function formatDecision(decision: DecisionRecord): string {
  const lines = [`${stamp(decision.timings.finishedAt)}  ${describeTrigger(decision)}`];
  lines.push(`  ${decision.outcome}${decision.skipped ? ` (${decision.skipped})` : ''}: ${decision.summary}`);
  for (const [image, summary] of Object.entries(decision.candidates))
    lines.push(`  ${image}: ${describeCandidates(summary)}`, ...describeSkipped(summary));
  if (decision.error)
    lines.push(
      `  error (${decision.error.reason}${decision.error.retryable ? ', retried' : ''}): ${decision.error.message}`,
    );
  lines.push(`  ${describeTimings(decision)}`);
  return `${lines.join('\n')}\n`;
}

function describeTrigger(decision: DecisionRecord): string {
  const { trigger } = decision;
  if (trigger.kind === 'reconcile') return `reconcile of ${decision.repository} (${trigger.id})`;
  if (trigger.scan)
    return `${trigger.scan} scan of ${trigger.tag} completed in ${decision.repository} (event ${trigger.eventId}, ${trigger.digest.slice(0, 19)}...)`;
  return `push of ${trigger.tag} to ${decision.repository} (event ${trigger.eventId}, ${trigger.digest.slice(0, 19)}...)`;
}

function describeCandidates(summary: VerdictSummary): string {
  const tags = `${summary.considered} tag${summary.considered === 1 ? '' : 's'} considered, ${summary.kept} kept`;
  return summary.chosen === undefined ? `${tags}, none chosen` : `${tags}, chose ${summary.chosen}`;
}

function describeSkipped(summary: VerdictSummary): string[] {
  return summary.skipped.map(
    (group) =>
      `    ${group.count} ${group.reason} (${group.examples.join(', ')}${group.count > group.examples.length ? ', ...' : ''})`,
  );
}

function describeTimings(decision: DecisionRecord): string {
  const { timings, trigger } = decision;
  const parts: string[] = [];
  if (trigger.kind === 'push') {
    const event = trigger.scan ? 'the scan' : 'the push';
    parts.push(`received ${seconds(timings.receivedAt - trigger.time)} after ${event}`);
    parts.push(`done ${seconds(timings.finishedAt - trigger.time)} after it`);
  } else parts.push(`took ${seconds(timings.finishedAt - timings.receivedAt)}`);
  if (decision.attempts !== undefined)
    parts.push(`${decision.attempts} attempt${decision.attempts === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}
