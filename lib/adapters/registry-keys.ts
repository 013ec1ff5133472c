/**
 * The registry table's key schema, in one place: the construct creates the table in AWS with it and
 * scopes the function's writes by its prefixes, local mode creates its table with it, and the DynamoDB
 * adapters read and write their items by it. Changing a name here orphans every item of a deployed table.
 */

/** The table's attributes: a string partition and sort key, and the TTL of the records that expire. */
export const REGISTRY_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB deletes the item on its own. */
  timeToLive: 'expiresAt',
} as const;

/** What each kind of item's partition key starts with; IAM tells the kinds apart by these alone. */
export const REGISTRY_KEY_PREFIXES = {
  /** `app#<name>`: an app's registration (sort key `app`). */
  app: 'app#',
  /** `watch#<account>/<region>/<repository>`: a copy of each app that follows it (sort key `app#<name>`). */
  watch: 'watch#',
  /** `event#<id>`: an event handled (sort key `event`). */
  event: 'event#',
  /** `history#<app>`: one decision of the app (sort key `<ISO time>#<trigger id>`). */
  history: 'history#',
} as const;
