import type { ValidateFunction } from 'ajv';
import { describeSchemaError, LazySchemas } from '../http/lazy-schemas.ts';
import { describeDecodeError } from './go-decode-error.ts';
import type { SwaggerOperation, SwaggerParameter, SwaggerSchema, SwaggerSpec } from './swagger-spec.ts';

/** What a request carried, after routing and JSON parsing. */
export interface RequestToValidate {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, nulls already dropped (Go decodes `null` as "leave the zero value"). */
  readonly body: unknown;
}

const DEFINITIONS_ID = 'argocd-definitions.json';
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
// strconv.ParseBool's spellings, which grpc-gateway uses for boolean query parameters.
const BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((word) => [word, true]),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((word) => [word, false]),
]);

/**
 * Checks requests and responses against Argo CD's swagger.json with Ajv. The definitions are registered
 * once and each operation's schemas compile on first use, so the server starts in milliseconds.
 *
 * Swagger 2.0 is read as the real server reads JSON: it decodes bodies with Go's `encoding/json`, so an
 * `int64` is a JSON number even where the description (written for proto3 JSON) says string, `null`
 * means "absent", and unknown fields are ignored. Problems are worded as Go words them.
 */
export class SwaggerValidator {
  readonly #schemas = new LazySchemas();

  constructor(readonly spec: SwaggerSpec) {
    const ajv = this.#schemas.ajv;
    // Query parameters stay text (strconv parses them); in bodies int64 became `integer` below.
    ajv.addFormat('int64', /^-?\d+$/);
    ajv.addFormat('uint64', /^\d+$/);
    ajv.addFormat('int32', {
      type: 'number',
      validate: (value: number) => Number.isInteger(value) && value >= INT32.min && value <= INT32.max,
    });
    ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    ajv.addSchema({ $id: DEFINITIONS_ID, definitions: toJsonSchema(spec.definitions) }, DEFINITIONS_ID);
  }

  /** Every way the request breaks the operation's description, worded as the gateway words it. */
  validateRequest(operation: SwaggerOperation, request: RequestToValidate): string[] {
    const problems: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path' || parameter.in === 'query') {
        problems.push(...this.#checkParameter(operation, parameter, request));
      }
    }
    const body = operation.body;
    const definition = definitionOf(body?.schema);
    if (body && definition && request.body !== undefined) {
      problems.push(...this.decodeProblems(definition, request.body));
    }
    return problems;
  }

  /**
   * How Go's decoder refuses `value` as the named definition (e.g. `v1alpha1Application`); empty when
   * it decodes. The first entry is the message Argo CD would answer with.
   */
  decodeProblems(definition: string, value: unknown): string[] {
    const check = this.#validator(`definition ${definition}`, { $ref: `#/definitions/${definition}` });
    if (check(value)) return [];
    const target = { definition, definitions: this.spec.definitions };
    return [...new Set((check.errors ?? []).map((error) => describeDecodeError(error, target)))];
  }

  /**
   * Every way a response body breaks the schema the operation gives for its status (the `default`
   * schema, `runtimeError`, for every failure); empty when it fits.
   */
  validateResponse(operation: SwaggerOperation, status: number, body: unknown): string[] {
    const key = status === 200 ? '200' : 'default';
    const schema = operation.responses[key];
    if (!schema) return [`${operation.operationId} does not describe status ${status}`];
    const check = this.#validator(`${operation.operationId} response ${key}`, schema);
    if (check(body)) return [];
    return (check.errors ?? []).map(describeSchemaError);
  }

  #checkParameter(
    operation: SwaggerOperation,
    parameter: SwaggerParameter,
    request: RequestToValidate,
  ): string[] {
    const raw =
      parameter.in === 'path'
        ? [request.params[parameter.name]].filter((value) => value !== undefined)
        : request.query.getAll(parameter.name);
    if (raw.length === 0) return parameter.required ? [`missing parameter ${parameter.name}`] : [];
    const item = (
      parameter.schema.type === 'array' ? parameter.schema.items : parameter.schema
    ) as SwaggerSchema;
    const check = this.#validator(`${operation.operationId} ${parameter.in} ${parameter.name}`, item, true);
    // A repeated scalar keeps the last value, as grpc-gateway's query parser does.
    const values = parameter.schema.type === 'array' ? raw : raw.slice(-1);
    return values.flatMap((value) => (check(coerce(value, item)) ? [] : [parseProblem(value, item)]));
  }

  #validator(key: string, schema: SwaggerSchema, parameter = false): ValidateFunction {
    return this.#schemas.validator(key, () => toJsonSchema(schema, parameter) as SwaggerSchema);
  }
}

/**
 * Turns Swagger 2.0 schema text into JSON Schema Ajv accepts: references point at the registered
 * definitions and `x-` extensions are dropped. In a body an int64 or uint64 is a JSON number, as Go
 * decodes it; a path or query parameter (`parameter`) keeps it as text for strconv.
 */
function toJsonSchema(value: unknown, parameter = false): unknown {
  if (Array.isArray(value)) return value.map((item) => toJsonSchema(item, parameter));
  if (value === null || typeof value !== 'object') return value;
  const result: SwaggerSchema = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('x-') || key === 'example') continue;
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/definitions/')) {
      result[key] = `${DEFINITIONS_ID}${inner}`;
    } else {
      result[key] = toJsonSchema(inner, parameter);
    }
  }
  const format = result.format;
  if (!parameter && (format === 'int64' || format === 'uint64') && result.type === 'string') {
    result.type = 'integer';
    delete result.format;
  }
  return result;
}

function definitionOf(schema: SwaggerSchema | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? ref.replace('#/definitions/', '') : undefined;
}

function coerce(raw: string, schema: SwaggerSchema): unknown {
  if (schema.type === 'integer' && /^-?\d+$/.test(raw)) return Number(raw);
  if (schema.type === 'boolean') return BOOLEANS[raw] ?? raw;
  return raw;
}

/** strconv's wording, which grpc-gateway passes on for a query value it cannot parse. */
function parseProblem(raw: string, schema: SwaggerSchema): string {
  if (schema.type === 'boolean') return `strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`;
  const syntax = /^-?\d+$/.test(raw) ? 'value out of range' : 'invalid syntax';
  return `strconv.ParseInt: parsing ${JSON.stringify(raw)}: ${syntax}`;
}
