/**
 * Stands in for `mnemonist/lru-cache` in the Lambda bundle (see ../function-bundling.ts). Its one user
 * there is the DynamoDB client's endpoint-discovery cache (`@aws-sdk/endpoint-cache`), which every
 * client builds and, unless endpoint discovery is turned on, never fills. mnemonist's cache (with the
 * typed-array helpers and iterator library it brings) is 7 KiB of the bundle; a `Map` keeps insertion
 * order, which is all a least-recently-used cache needs. Same behaviour for what the endpoint cache
 * calls: `get` and `set` refresh a key, `has` and `peek` do not, a full cache drops the least recent.
 */
export default class LruCache<K, V> {
  readonly capacity: number;
  readonly #items = new Map<K, V>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`LruCache: capacity should be a whole number of 1 or more, not ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#items.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    if (!this.#items.has(key)) return undefined;
    const value = this.#items.get(key) as V;
    this.#items.delete(key);
    this.#items.set(key, value);
    return value;
  }

  /** The value, leaving the order alone. */
  peek(key: K): V | undefined {
    return this.#items.get(key);
  }

  has(key: K): boolean {
    return this.#items.has(key);
  }

  /** Stores the value as the most recently used, dropping the least recent when the cache is full. */
  set(key: K, value: V): this {
    this.#items.delete(key);
    if (this.#items.size >= this.capacity) this.#items.delete(this.#items.keys().next().value as K);
    this.#items.set(key, value);
    return this;
  }

  clear(): void {
    this.#items.clear();
  }
}
