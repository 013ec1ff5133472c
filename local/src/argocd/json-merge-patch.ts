import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from './argocd-application.ts';
import { parseGoJson } from './go-json.ts';

/** A merge patch that is not a JSON object (or array), worded as evanphx/json-patch words it. */
export class JsonMergePatchError extends Error {
  constructor(message = 'Invalid JSON Patch') {
    super(message);
    this.name = 'JsonMergePatchError';
  }
}

/**
 * Applies a JSON merge patch (RFC 7386) to a copy of `document`: objects merge member by member, `null`
 * removes a member, anything else (arrays included) replaces. As in `jsonpatch.MergePatch`, a patch
 * that is an array becomes the whole result (the caller then fails to read it as an Application), and
 * a patch that is neither object nor array is `Invalid JSON Patch`.
 */
export function applyMergePatch(document: JsonObject, patchText: string): JsonValue {
  let patch: unknown;
  try {
    patch = parseGoJson(patchText, 'unmarshal');
  } catch {
    throw new JsonMergePatchError();
  }
  if (Array.isArray(patch)) return patch.map((item) => (isJsonObject(item) ? withoutNulls(item) : item));
  if (!isJsonObject(patch)) throw new JsonMergePatchError();
  return merge(cloneJson(document), patch);
}

function merge(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isJsonObject(value)) {
      const current = target[key];
      target[key] = merge(isJsonObject(current) ? current : {}, value);
    } else {
      target[key] = cloneJson(value);
    }
  }
  return target;
}

function withoutNulls(value: JsonObject): JsonObject {
  return merge({}, value);
}
