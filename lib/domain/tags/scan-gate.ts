/**
 * `scanGate`: keep only images whose vulnerability scan is complete, with at most the given number of
 * findings per severity (a severity not named is unlimited). It reads what ECR's DescribeImages already
 * says of each image (`imageScanStatus`, `imageScanFindingsSummary.findingSeverityCounts`), for basic
 * and enhanced scanning alike; see docs/choosing-a-tag.md for what each kind of scan reports.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import type { TagCandidate } from './tag-candidate.ts';
import type { TagFilter } from './tag-filters.ts';

/**
 * The severities ECR counts: FindingSeverity of the ECR API (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL,
 * UNDEFINED), and UNTRIAGED, which Amazon Inspector gives findings of enhanced scans it has not rated
 * (Inspector API reference, Finding.severity).
 */
export const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
  'UNTRIAGED',
] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The scan statuses that mean findings are final for now: COMPLETE (basic scanning, and enhanced
 * scanning on push) and ACTIVE (enhanced continuous scanning: scanned, and rescanned as new
 * vulnerabilities are published). ECR API reference, ImageScanStatus; ECR user guide, "Enhanced scanning".
 */
const COMPLETE = new Set(['COMPLETE', 'ACTIVE']);

/** What a scan gate allows: the most findings of each severity named. */
export type ScanLimits = Readonly<Partial<Record<Severity, number>>>;

const MAX_LIMIT = 1_000_000;
const FIX = 'write severity: most findings, e.g. { CRITICAL: 0, HIGH: 2 }, or {} for "scan complete"';

/**
 * Reads a gate: a mapping of severity to the most findings allowed (`{ CRITICAL: 0, HIGH: 2 }`), or
 * the same as text (`CRITICAL=0,HIGH=2`; `complete` for no limit but a finished scan). Severity names
 * are case-insensitive. Absent: no gate.
 */
export function parseScanGate(value: unknown, field = 'scanGate'): TagFilter | undefined {
  if (value === undefined || value === null) return undefined;
  const entries = typeof value === 'string' ? textEntries(value, field) : objectEntries(value, field);
  const problems = new ProblemCollector();
  const limits: Partial<Record<Severity, number>> = {};
  for (const [key, limit] of entries) {
    const severity = key.trim().toUpperCase() as Severity;
    problems.check(() => {
      if (!SEVERITIES.includes(severity)) {
        throw new InvalidInputError(
          `${field}.${key}`,
          `${quoteInput(key)} is not a severity`,
          `use ${SEVERITIES.join(', ')}`,
        );
      }
      if (severity in limits) throw new InvalidInputError(`${field}.${key}`, 'given twice', 'keep one');
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
        throw new InvalidInputError(
          `${field}.${key}`,
          `${quoteInput(String(limit))} is not a number of findings`,
          `write a whole number from 0 to ${MAX_LIMIT}`,
        );
      }
      limits[severity] = limit;
    });
  }
  problems.throwIfAny();
  return scanGateFilter(limits);
}

/** The gate as a filter: a candidate passes when its scan is complete and within every limit. */
export function scanGateFilter(limits: ScanLimits): TagFilter {
  const named = SEVERITIES.filter((severity) => limits[severity] !== undefined);
  const description =
    named.length === 0
      ? 'scan-gate complete'
      : `scan-gate ${named.map((severity) => `${severity}<=${limits[severity]}`).join(',')}`;
  return {
    kind: 'scanGate',
    description,
    scanLimits: limits,
    reject: (candidate) => scanRejection(candidate, limits, named),
  };
}

function scanRejection(candidate: TagCandidate, limits: ScanLimits, named: readonly Severity[]) {
  const scan = candidate.scan;
  if (scan === undefined) return 'scan not complete (not scanned)';
  if (!COMPLETE.has(scan.status)) return `scan not complete (${scan.status})`;
  if (scan.findings === undefined && named.length > 0) return 'scan findings unknown (no findings summary)';
  const over = named.flatMap((severity) => {
    const found = scan.findings?.[severity] ?? 0;
    return found > limits[severity]! ? [`${found} ${severity} (at most ${limits[severity]})`] : [];
  });
  return over.length === 0 ? undefined : `scan findings over the gate: ${over.join(', ')}`;
}

function textEntries(value: string, field: string): [string, unknown][] {
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'complete') return [];
  return text.split(',').map((item) => {
    const [key, count, ...rest] = item.split('=');
    if (count === undefined || rest.length > 0 || key!.trim() === '')
      throw new InvalidInputError(
        field,
        `${quoteInput(item)} is not severity=count`,
        'e.g. CRITICAL=0,HIGH=2',
      );
    return [key!.trim(), /^\s*\d+\s*$/.test(count) ? Number(count) : count.trim()];
  });
}

function objectEntries(value: unknown, field: string): [string, unknown][] {
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InvalidInputError(field, 'expected a mapping of severity to a number of findings', FIX);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > SEVERITIES.length)
    throw new InvalidInputError(field, `${entries.length} entries; at most ${SEVERITIES.length}`, FIX);
  return entries;
}
