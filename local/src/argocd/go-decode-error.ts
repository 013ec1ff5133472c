import type { ErrorObject } from 'ajv';
import type { SwaggerSchema } from './swagger-spec.ts';

/** Where a decoded value sits: the definition it is decoded into, and the definitions it refers to. */
export interface DecodeTarget {
  readonly definition: string;
  readonly definitions: Readonly<Record<string, SwaggerSchema>>;
}

/**
 * Words a schema violation as Go's `encoding/json` does when Argo CD decodes a body into its types
 * (`json: cannot unmarshal number into Go struct field HelmParameter.spec.source.helm.parameters.value
 * of type string`), since that text is what the real API answers with.
 */
export function describeDecodeError(error: ErrorObject, target: DecodeTarget): string {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  const located = locate(segments, target);
  const found = describeValue(error);
  if (error.keyword === 'format' && (error.params as { format?: string }).format === 'byte') {
    return `illegal base64 data at input byte ${firstNonBase64(error.data)}`;
  }
  if (error.keyword !== 'type' && error.keyword !== 'format') {
    return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
  }
  const into = goType(located.schema);
  if (located.fields.length === 0) {
    return `json: cannot unmarshal ${found} into Go value of type ${into}`;
  }
  return `json: cannot unmarshal ${found} into Go struct field ${located.struct}.${located.fields.join('.')} of type ${into}`;
}

interface Located {
  /** The innermost struct holding the field, without its package (Go's `UnmarshalTypeError.Struct`). */
  readonly struct: string;
  /** JSON field names from the top, array indices left out, as Go's error path lists them. */
  readonly fields: readonly string[];
  readonly schema: SwaggerSchema;
}

function locate(segments: readonly string[], target: DecodeTarget): Located {
  let struct = typeName(target.definition).type;
  let schema: SwaggerSchema = { $ref: `#/definitions/${target.definition}` };
  const fields: string[] = [];
  for (const segment of segments) {
    const resolved = resolve(schema, target);
    if (resolved.definition && resolved.schema.type !== 'array') struct = typeName(resolved.definition).type;
    const properties = resolved.schema.properties as Record<string, SwaggerSchema> | undefined;
    if (resolved.schema.type === 'array') {
      schema = (resolved.schema.items ?? {}) as SwaggerSchema;
    } else if (properties?.[segment]) {
      fields.push(segment);
      schema = properties[segment];
    } else {
      schema = (resolved.schema.additionalProperties ?? {}) as SwaggerSchema;
    }
  }
  return { struct, fields, schema };
}

function resolve(
  schema: SwaggerSchema,
  target: DecodeTarget,
): { schema: SwaggerSchema; definition?: string } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return { schema };
  const definition = ref.replace(/^.*#\/definitions\//, '');
  return { schema: target.definitions[definition] ?? {}, definition };
}

/** Go's name for the type a schema decodes into: `string`, `int64`, `[]v1alpha1.HelmParameter`. */
function goType(schema: SwaggerSchema): string {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const { pkg, type } = typeName(ref.replace(/^.*#\/definitions\//, ''));
    return `${pkg}.${type}`;
  }
  switch (schema.type) {
    case 'array':
      return `[]${goType((schema.items ?? {}) as SwaggerSchema)}`;
    case 'boolean':
      return 'bool';
    case 'integer':
      return schema.format === 'int32' ? 'int32' : schema.format === 'uint64' ? 'uint64' : 'int64';
    case 'number':
      return schema.format === 'float' ? 'float32' : 'float64';
    case 'object': {
      const values = schema.additionalProperties as SwaggerSchema | undefined;
      return values ? `map[string]${goType(values)}` : 'map[string]interface {}';
    }
    default:
      if (schema.format === 'int64' || schema.format === 'uint64') return String(schema.format);
      return schema.format === 'byte' ? '[]uint8' : 'string';
  }
}

/** `v1alpha1HelmParameter` is Go's `v1alpha1.HelmParameter`; `applicationApplicationSyncRequest` is `application.ApplicationSyncRequest`. */
function typeName(definition: string): { pkg: string; type: string } {
  const match = /^([a-z][a-z0-9]*?)([A-Z].*)$/.exec(definition);
  return match ? { pkg: match[1] ?? '', type: match[2] ?? definition } : { pkg: 'main', type: definition };
}

/** How Go names the JSON value it could not store: `number`, `string`, `bool`, `array`, `object`. */
function describeValue(error: ErrorObject): string {
  const value: unknown = error.data;
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') {
    // Go quotes the literal of a number that does not fit the integer it decodes into.
    const intoInteger = (error.params as { type?: string }).type === 'integer' || error.keyword === 'format';
    return intoInteger ? `number ${value}` : 'number';
  }
  if (typeof value === 'object' && value !== null) return 'object';
  return typeof value === 'string' ? 'string' : 'null';
}

function firstNonBase64(value: unknown): number {
  const text = typeof value === 'string' ? value : '';
  const index = text.search(/[^A-Za-z0-9+/=]/);
  return index === -1 ? text.length : index;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
