/**
 * The batch actions' shared rules (Developer Guide, "Amazon SQS batch actions"; API reference,
 * SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch): 1 to 10 entries whose Ids are
 * distinct, alphanumeric, hyphens and underscores, at most 80 long; a problem with the request fails it
 * whole, a problem with one entry fails that entry only, in `Failed`, beside the `Successful` ones.
 * The wording is AWS's, as LocalStack's AWS-validated snapshots record it.
 */
import { AwsJsonError } from '../aws-json-server.ts';
import { sqsError } from './sqs-error.ts';

type Entry = Record<string, unknown>;

const MAX_ENTRIES = 10;
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The entries of a batch request, refused whole when the batch itself is malformed. */
export function batchEntries(input: Entry, entryType: string): Entry[] {
  const entries = Array.isArray(input.Entries) ? (input.Entries as Entry[]) : [];
  if (entries.length === 0)
    throw sqsError('EmptyBatchRequest', `There should be at least one ${entryType} in the request.`);
  if (entries.length > MAX_ENTRIES)
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${entries.length}.`,
    );
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = String(entry.Id ?? '');
    if (!ENTRY_ID.test(id))
      throw sqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    if (seen.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return entries;
}

/** Runs each entry; an entry whose action throws SQS's error is reported in `Failed` with its code. */
export function runBatch(
  entries: readonly Entry[],
  act: (entry: Entry) => Record<string, unknown>,
): { Successful: Record<string, unknown>[]; Failed: Record<string, unknown>[] } {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...act(entry) });
    } catch (error) {
      if (!(error instanceof AwsJsonError)) throw error;
      const code = error.headers['x-amzn-query-error']?.split(';')[0] ?? error.type;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: code, Message: error.message });
    }
  }
  return { Successful, Failed };
}
