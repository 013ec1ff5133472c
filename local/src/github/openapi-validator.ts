import type { ErrorObject, ValidateFunction } from 'ajv';
import { describeSchemaError, LazySchemas } from '../http/lazy-schemas.ts';
import type { OpenApiOperation, OpenApiSpec, SchemaObject } from './openapi-spec.ts';

/** What a request carried, after routing and JSON parsing. */
export interface RequestToValidate {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined when the request had none. */
  readonly body: unknown;
}

const COMPONENTS_ID = 'github-components.json';

/**
 * Checks requests and responses against the OpenAPI description with Ajv. The shared components are
 * registered once; each operation's schemas compile on first use, so a server answers its first request
 * in milliseconds instead of compiling all of GitHub's schemas up front.
 *
 * Request problems are worded as GitHub words its own `Invalid request.` answers
 * (`"sha" wasn't supplied.`, `For 'properties/sha', nil is not a string.`).
 */
export class OpenApiValidator {
  readonly #schemas = new LazySchemas();

  constructor(readonly spec: OpenApiSpec) {
    const ajv = this.#schemas.ajv;
    // Formats GitHub's description uses that are not JSON Schema's: checked loosely, never rejected.
    ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
    ajv.addFormat('timestamp', true);
    const components = (spec.document.components ?? {}) as SchemaObject;
    ajv.addSchema(
      { $id: COMPONENTS_ID, components: { schemas: toJsonSchema(components.schemas ?? {}) } },
      COMPONENTS_ID,
    );
  }

  /** Every way the request breaks the operation's description, worded as GitHub does; empty when valid. */
  validateRequest(operation: OpenApiOperation, request: RequestToValidate): string[] {
    const problems: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      const raw =
        parameter.in === 'path' ? request.params[parameter.name] : request.query.get(parameter.name);
      if (raw === undefined || raw === null) {
        if (parameter.required) problems.push(`"${parameter.name}" wasn't supplied.`);
        continue;
      }
      const check = this.#validator(
        `${operation.operationId} ${parameter.in} ${parameter.name}`,
        parameter.schema,
      );
      if (!check(coerceParameter(raw, parameter.schema))) {
        problems.push(...describeErrors(check.errors, parameter.name));
      }
    }
    const body = operation.requestBody;
    if (body && request.body === undefined) {
      if (body.required) problems.push('A request body is required.');
    } else if (body) {
      const check = this.#validator(`${operation.operationId} request`, body.schema);
      if (!check(request.body)) problems.push(...describeErrors(check.errors));
    }
    return problems;
  }

  /**
   * Every way a response body breaks the operation's response schema for that status and media type;
   * empty when valid. A status or media type the description does not list is itself a problem.
   */
  validateResponse(operation: OpenApiOperation, status: number, mediaType: string, body: unknown): string[] {
    const byType = operation.responses[String(status)];
    if (!byType) return [`${operation.operationId} does not describe status ${status}`];
    if (Object.keys(byType).length === 0) return [];
    const schema = byType[mediaType];
    if (!schema) return [`${operation.operationId} ${status} does not describe media type ${mediaType}`];
    const check = this.#validator(`${operation.operationId} response ${status} ${mediaType}`, schema);
    if (check(body)) return [];
    return (check.errors ?? []).map(describeSchemaError);
  }

  /** Every way `value` breaks the named component schema (e.g. `basic-error`); empty when valid. */
  validateComponent(name: string, value: unknown): string[] {
    const check = this.#validator(`component ${name}`, { $ref: `#/components/schemas/${name}` });
    if (check(value)) return [];
    return (check.errors ?? []).map(describeSchemaError);
  }

  /**
   * Every way a response header's text breaks the named header component (`x-rate-limit-limit`); empty
   * when valid, and a problem when the description has no such header.
   */
  validateHeader(name: string, raw: string): string[] {
    const headers = ((this.spec.document.components as SchemaObject | undefined)?.headers ?? {}) as Record<
      string,
      { schema?: SchemaObject }
    >;
    const schema = headers[name]?.schema;
    if (!schema) return [`the description has no header ${name}`];
    const check = this.#validator(`header ${name}`, schema);
    if (check(coerceParameter(raw, schema))) return [];
    return (check.errors ?? []).map(describeSchemaError);
  }

  #validator(key: string, schema: SchemaObject): ValidateFunction {
    return this.#schemas.validator(key, () => toJsonSchema(schema) as SchemaObject);
  }
}

/**
 * Turns OpenAPI 3.0 schema text into JSON Schema Ajv accepts: `nullable` becomes a `null` type (Ajv
 * refuses `nullable` beside `oneOf`, which GitHub uses), `oneOf` is read as `anyOf`, and local
 * component references point at the registered components document.
 */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const result: SchemaObject = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/')) {
      result[key] = `${COMPONENTS_ID}${inner}`;
    } else if (key === 'oneOf') {
      // GitHub's description says oneOf where branches overlap (any error body is both a basic-error
      // and a repository-rule-violation-error), so a strict oneOf would reject GitHub's own answers.
      result.anyOf = toJsonSchema(inner);
    } else {
      result[key] = toJsonSchema(inner);
    }
  }
  if ((value as SchemaObject).nullable !== true) return result;
  if (typeof result.type === 'string') {
    result.type = [result.type, 'null'];
    if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
    return result;
  }
  return { anyOf: [result, { type: 'null' }] };
}

/** Parameters and headers arrive as text; the description types some as integers or booleans. */
function coerceParameter(raw: string, schema: SchemaObject): unknown {
  if (schema.type === 'integer' && /^-?\d+$/.test(raw)) return Number(raw);
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

function describeErrors(errors: ErrorObject[] | null | undefined, parameter?: string): string[] {
  const missing: string[] = [];
  const others: string[] = [];
  // `oneOf`/`anyOf` only say that no branch matched; the branch errors say what is really wrong.
  const all = errors ?? [];
  const specific = all.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf');
  for (const error of specific.length > 0 ? specific : all) {
    if (error.keyword === 'required') {
      const name = String((error.params as { missingProperty?: string }).missingProperty);
      missing.push(error.instancePath ? `${error.instancePath.slice(1)}/${name}` : name);
      continue;
    }
    const where = parameter ?? githubPath(error.instancePath);
    others.push(`For '${where}', ${describeValue(error.data)} ${explain(error)}.`);
  }
  const lines: string[] = [];
  if (missing.length === 1) lines.push(`"${missing[0]}" wasn't supplied.`);
  if (missing.length > 1) lines.push(`${missing.map((name) => `"${name}"`).join(', ')} weren't supplied.`);
  return [...lines, ...new Set(others)];
}

function explain(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `is not ${article(String(params.type))}`;
    case 'enum':
      return `is not a member of ${JSON.stringify(params.allowedValues)}`;
    case 'additionalProperties':
      return `is not a permitted key (${String(params.additionalProperty)})`;
    default:
      return error.message ?? 'is not valid';
  }
}

function article(type: string): string {
  const names = type.split(',');
  return names.map((name) => (/^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`)).join(' or ');
}

/** GitHub names the failing value by schema path: `properties/tree/items/properties/mode`. */
function githubPath(instancePath: string): string {
  if (!instancePath) return 'body';
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? 'items' : `properties/${segment}`))
    .join('/');
}

/** Values read as GitHub's (Ruby) messages print them. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
