import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from './argocd-application.ts';
import { GoJsonSyntaxError, goJsonKind, parseGoJson } from './go-json.ts';
import { equalsRawJson, parseRawJson, type RawJson } from './raw-json.ts';

/** A JSON Patch that does not parse or does not apply, worded as the Go library Argo CD uses words it. */
export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

/** One operation of a JSON Patch (RFC 6902), as sent: `{ op, path, value?, from? }`. */
export type JsonPatchOperation = Readonly<Record<string, unknown>>;

type Container = JsonObject | JsonValue[];

const MISSING = 'missing value';

/** Each decoded operation's `value` as it was sent, which a `test` compares byte for byte. */
const sentValues = new WeakMap<JsonPatchOperation, RawJson>();
const INVALID_INDEX = 'invalid index referenced';

/** Parses the `patch` text of a PATCH request as `jsonpatch.DecodePatch` does. */
export function decodeJsonPatch(text: string): JsonPatchOperation[] {
  let parsed: unknown;
  try {
    parsed = parseGoJson(text, 'unmarshal');
  } catch (error) {
    throw new JsonPatchError(error instanceof GoJsonSyntaxError ? error.message : String(error));
  }
  if (!Array.isArray(parsed)) {
    throw new JsonPatchError(
      `json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type jsonpatch.Patch`,
    );
  }
  const raw = parseRawJson(text);
  return parsed.map((operation, index) => {
    if (operation === null) return {};
    if (!isJsonObject(operation)) {
      throw new JsonPatchError(
        `json: cannot unmarshal ${goJsonKind(operation)} into Go value of type jsonpatch.Operation`,
      );
    }
    const value = raw.kind === 'array' ? raw.items[index] : undefined;
    const sent = value?.kind === 'object' ? value.members.get('value') : undefined;
    if (sent !== undefined) sentValues.set(operation, sent);
    return operation;
  });
}

/**
 * Applies a JSON Patch to a copy of `document` and returns the copy; the input is never changed, so a
 * failed `test` leaves nothing half-applied. Pointers are RFC 6901 (`~1` is `/`, `~0` is `~`, `-`
 * appends). Errors carry the messages of github.com/evanphx/json-patch, which the Argo CD API server
 * uses, including its habit of reading the first segment of a pointer as the root.
 */
export function applyJsonPatch(document: JsonObject, operations: readonly JsonPatchOperation[]): JsonObject {
  const root = cloneJson(document);
  for (const operation of operations) {
    const kind = typeof operation.op === 'string' ? operation.op : 'unknown';
    switch (kind) {
      case 'add':
        add(root, operation);
        break;
      case 'remove':
        remove(root, operation);
        break;
      case 'replace':
        replace(root, operation);
        break;
      case 'move':
        move(root, operation);
        break;
      case 'copy':
        copy(root, operation);
        break;
      case 'test':
        test(root, operation);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${kind}`);
    }
  }
  return root;
}

function add(root: JsonObject, operation: JsonPatchOperation): void {
  const path = pointer(operation, 'path', `add operation failed to decode path: ${MISSING}`);
  const { container, key } = locate(
    root,
    path,
    `add operation does not apply: doc is missing path: "${path}"`,
  );
  wrap(`error in add for path: '${path}'`, () => insert(container, key, operationValue(operation)));
}

function remove(root: JsonObject, operation: JsonPatchOperation): void {
  const path = pointer(operation, 'path', `remove operation failed to decode path: ${MISSING}`);
  const { container, key } = locate(
    root,
    path,
    `remove operation does not apply: doc is missing path: "${path}"`,
  );
  wrap(`error in remove for path: '${path}'`, () => erase(container, key));
}

function replace(root: JsonObject, operation: JsonPatchOperation): void {
  const path = pointer(operation, 'path', `replace operation failed to decode path: ${missingField('path')}`);
  const { container, key } = locate(
    root,
    path,
    `replace operation does not apply: doc is missing path: ${path}`,
  );
  // RFC 6902 4.3: the target must exist. (evanphx/json-patch v4 quietly adds a missing object member.)
  if (read(container, key, true) === undefined) {
    throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
  }
  overwrite(container, key, operationValue(operation));
}

function move(root: JsonObject, operation: JsonPatchOperation): void {
  const from = pointer(operation, 'from', `move operation failed to decode from: ${missingField('from')}`);
  const source = locate(root, from, `move operation does not apply: doc is missing from path: ${from}`);
  const value = wrap(`error in move for path: '${source.key}'`, () => read(source.container, source.key));
  wrap(`error in move for path: '${source.key}'`, () => erase(source.container, source.key));
  const path = pointer(operation, 'path', `move operation failed to decode path: ${missingField('path')}`);
  const target = locate(
    root,
    path,
    `move operation does not apply: doc is missing destination path: ${path}`,
  );
  wrap(`error in move for path: '${path}'`, () => insert(target.container, target.key, value ?? null));
}

function copy(root: JsonObject, operation: JsonPatchOperation): void {
  const from = pointer(operation, 'from', `copy operation failed to decode from: ${missingField('from')}`);
  const source = locate(root, from, `copy operation does not apply: doc is missing from path: ${from}`);
  const value = wrap(`error in copy for from: '${from}'`, () => read(source.container, source.key));
  const path = pointer(operation, 'path', `copy operation failed to decode path: ${MISSING}`);
  const target = locate(
    root,
    path,
    `copy operation does not apply: doc is missing destination path: ${path}`,
  );
  wrap('error while adding value during copy', () =>
    insert(target.container, target.key, cloneJson(value ?? null)),
  );
}

function test(root: JsonObject, operation: JsonPatchOperation): void {
  const path = pointer(operation, 'path', `test operation failed to decode path: ${missingField('path')}`);
  const { container, key } = locate(root, path, `test operation does not apply: is missing path: ${path}`);
  const actual = wrap(`error in test for path: '${path}'`, () => read(container, key));
  const expected = operation.value;
  // As patch.go's `test`: a null or absent member passes against a null or absent value; otherwise
  // the value is compared as sent (an operation built in code, not decoded, as JSON.stringify sends it).
  const passes =
    actual === undefined || actual === null
      ? expected === undefined || expected === null
      : expected !== undefined &&
        equalsRawJson(actual, sentValues.get(operation) ?? parseRawJson(JSON.stringify(expected)));
  if (!passes) throw new JsonPatchError(`testing value ${path} failed: test failed`);
}

function pointer(operation: JsonPatchOperation, field: 'path' | 'from', missing: string): string {
  const value = operation[field];
  if (typeof value !== 'string') throw new JsonPatchError(missing);
  return value;
}

function missingField(field: 'path' | 'from'): string {
  return field === 'path'
    ? `operation missing path field: ${MISSING}`
    : `operation, missing from field: ${MISSING}`;
}

function operationValue(operation: JsonPatchOperation): JsonValue {
  return cloneJson((operation.value ?? null) as JsonValue);
}

/** The container a pointer's last segment lives in, walking all segments but the first and last. */
function locate(root: JsonObject, path: string, missing: string): { container: Container; key: string } {
  const segments = path.split('/');
  if (segments.length < 2) throw new JsonPatchError(`${missing}: ${MISSING}`);
  let container: Container = root;
  for (const raw of segments.slice(1, -1)) {
    let next: JsonValue | undefined;
    try {
      next = read(container, decodeSegment(raw));
    } catch {
      next = undefined;
    }
    if (typeof next !== 'object' || next === null) throw new JsonPatchError(`${missing}: ${MISSING}`);
    container = next;
  }
  return { container, key: decodeSegment(segments.at(-1) ?? '') };
}

function decodeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A member or element; an absent member is undefined, an index past the end an error. */
function read(container: Container, key: string, lenient = false): JsonValue | undefined {
  if (!Array.isArray(container)) return Object.hasOwn(container, key) ? container[key] : undefined;
  const index = parseIndex(key);
  if (index < 0 || index >= container.length) {
    if (lenient) return undefined;
    throw new JsonPatchError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  return container[index];
}

function insert(container: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let index: number;
  try {
    index = parseIndex(key);
  } catch (error) {
    throw new JsonPatchError(`value was not a proper array index: '${key}': ${(error as Error).message}`);
  }
  const size = container.length + 1;
  if (index >= size || index < -size) {
    throw new JsonPatchError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  container.splice(index < 0 ? index + size : index, 0, value);
}

function overwrite(container: Container, key: string, value: JsonValue): void {
  if (Array.isArray(container)) container[parseIndex(key)] = value;
  else container[key] = value;
}

function erase(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) {
      throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    }
    delete container[key];
    return;
  }
  const index = parseIndex(key);
  if (index >= container.length || index < -container.length) {
    throw new JsonPatchError(`Unable to access invalid index: ${index}: ${INVALID_INDEX}`);
  }
  container.splice(index < 0 ? index + container.length : index, 1);
}

/** Go's `strconv.Atoi`, which the library uses for array indices. */
function parseIndex(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) {
    throw new JsonPatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  }
  return Number(key);
}

function wrap<T>(prefix: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new JsonPatchError(`${prefix}: ${(error as Error).message}`);
  }
}
