/**
 * What an Application's sync operation works from. Argo CD's controller copies the spec's source(s)
 * into `status.operationState.syncResult` when an operation starts and deploys that copy to its end
 * (`newSyncOperationResult` and `SyncAppState` in controller/sync.go). A spec changed while a sync
 * runs is not what that sync deploys: for an app without automated sync, nothing deploys it until
 * another sync is asked for.
 */

interface SyncedApplication {
  spec?: { source?: unknown; sources?: unknown };
  status?: { operationState?: { phase?: unknown; syncResult?: { source?: unknown; sources?: unknown } } };
}

/**
 * True when the latest sync operation (running or ended) deploys other sources than the spec holds
 * now; false when it deploys these, or when no operation has recorded its sources.
 */
export function isLastSyncOfOtherSource(application: unknown): boolean {
  const { spec, status } = (application as SyncedApplication | null) ?? {};
  const result = status?.operationState?.syncResult;
  if (!result || (result.source === undefined && result.sources === undefined)) return false;
  const synced =
    Array.isArray(result.sources) && result.sources.length > 0 ? result.sources : [result.source];
  const wanted = Array.isArray(spec?.sources) && spec.sources.length > 0 ? spec.sources : [spec?.source];
  return canonical(synced) !== canonical(wanted);
}

// JSON with object keys sorted: Go writes struct fields in one order, a copy may come back in another.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
