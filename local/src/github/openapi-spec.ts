import { readFileSync } from 'node:fs';
import { type OperationMatch as KitOperationMatch, PathRouter } from '../http/path-router.ts';

/** Where a clone finds the vendored subset of GitHub's OpenAPI description. */
export const GITHUB_SUBSET_SPEC = new URL('./github-api.subset.json', import.meta.url);

/** A JSON Schema object as it appears in the description (OpenAPI 3.0 dialect). */
export type SchemaObject = Record<string, unknown>;

/** One path, query or header parameter of an operation. */
export interface OperationParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: SchemaObject;
}

/** What the fake needs to know about one operation of the description. */
export interface OpenApiOperation {
  readonly operationId: string;
  readonly method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/contents/{path}`. */
  readonly route: string;
  /** GitHub's documentation page for the operation, used in error bodies as GitHub does. */
  readonly documentationUrl: string;
  readonly parameters: readonly OperationParameter[];
  readonly requestBody: { readonly required: boolean; readonly schema: SchemaObject } | undefined;
  /** Response schemas by status code, then by media type. */
  readonly responses: Readonly<Record<string, Readonly<Record<string, SchemaObject>>>>;
}

/** An operation matched by a request, with its path parameters decoded. */
export type OperationMatch = KitOperationMatch<OpenApiOperation>;

// Parameters GitHub lets span several segments (branch names with slashes, `a...b`); `path` too, below.
const MULTI_SEGMENT_PARAMETERS = new Set(['ref', 'branch', 'basehead']);
// `/contents` with no path at all is the repository root, as on GitHub.
const OPTIONAL_AT_END = new Set(['path']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * The parsed OpenAPI description: its operations, a router from request paths to operations, and the
 * shared components that schemas refer to. Parsing is cheap; schema compilation lives in the validator.
 */
export class OpenApiSpec {
  readonly #router: PathRouter<OpenApiOperation>;
  readonly #byId = new Map<string, OpenApiOperation>();

  private constructor(
    readonly document: SchemaObject,
    operations: OpenApiOperation[],
  ) {
    for (const operation of operations) this.#byId.set(operation.operationId, operation);
    this.#router = new PathRouter(operations, {
      variable: variablePattern,
      optionalAtEnd: OPTIONAL_AT_END,
      trailingSlash: true,
    });
  }

  /** Reads and indexes a description file (by default the vendored GitHub subset). */
  static load(file: URL | string = GITHUB_SUBSET_SPEC): OpenApiSpec {
    return OpenApiSpec.fromDocument(JSON.parse(readFileSync(file, 'utf8')) as SchemaObject);
  }

  /** Indexes a description already in memory. */
  static fromDocument(document: SchemaObject): OpenApiSpec {
    return new OpenApiSpec(document, readOperations(document));
  }

  /** Every operation of the description. */
  get operations(): readonly OpenApiOperation[] {
    return [...this.#byId.values()];
  }

  /** The operation with this id; throws for an id the description does not have. */
  operation(operationId: string): OpenApiOperation {
    const found = this.#byId.get(operationId);
    if (!found) throw new Error(`The OpenAPI description has no operation '${operationId}'`);
    return found;
  }

  /**
   * The operation a request addresses, or undefined; `rawPath` is still percent-encoded. GitHub answers
   * a known path with another method as it answers an unknown path, so there is no 405.
   */
  match(method: string, rawPath: string): OperationMatch | undefined {
    const found = this.#router.match(method, rawPath);
    return found?.kind === 'operation' ? found : undefined;
  }
}

function readOperations(document: SchemaObject): OpenApiOperation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const operations: OpenApiOperation[] = [];
  for (const [route, item] of Object.entries(paths)) {
    const shared = (item.parameters ?? []) as SchemaObject[];
    for (const method of HTTP_METHODS) {
      const raw = item[method] as SchemaObject | undefined;
      if (!raw) continue;
      const own = (raw.parameters ?? []) as SchemaObject[];
      const parameters = [...shared, ...own].map((p) => resolveParameter(p, components));
      const body = raw.requestBody as SchemaObject | undefined;
      const bodySchema = (body?.content as Record<string, SchemaObject> | undefined)?.['application/json']
        ?.schema as SchemaObject | undefined;
      operations.push({
        operationId: String(raw.operationId),
        method,
        route,
        documentationUrl: String(
          (raw.externalDocs as SchemaObject | undefined)?.url ?? 'https://docs.github.com/rest',
        ),
        parameters,
        requestBody: bodySchema ? { required: body?.required === true, schema: bodySchema } : undefined,
        responses: readResponses(raw.responses as Record<string, SchemaObject> | undefined, components),
      });
    }
  }
  return operations;
}

function resolveParameter(parameter: SchemaObject, components: Record<string, Record<string, unknown>>) {
  const resolved = resolveComponent(parameter, components) as SchemaObject;
  return {
    name: String(resolved.name),
    in: resolved.in as OperationParameter['in'],
    required: resolved.required === true,
    schema: (resolved.schema ?? {}) as SchemaObject,
  };
}

function readResponses(
  responses: Record<string, SchemaObject> | undefined,
  components: Record<string, Record<string, unknown>>,
): Record<string, Record<string, SchemaObject>> {
  const result: Record<string, Record<string, SchemaObject>> = {};
  for (const [status, response] of Object.entries(responses ?? {})) {
    const resolved = resolveComponent(response, components) as SchemaObject;
    const content = (resolved.content ?? {}) as Record<string, SchemaObject>;
    result[status] = Object.fromEntries(
      Object.entries(content).map(([type, media]) => [type, (media.schema ?? {}) as SchemaObject]),
    );
  }
  return result;
}

/** Follows a `#/components/<kind>/<name>` reference of a parameter or a response. */
function resolveComponent(value: SchemaObject, components: Record<string, Record<string, unknown>>): unknown {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  const [, , kind, name] = ref.split('/');
  const target = kind && name ? components[kind]?.[name] : undefined;
  if (!target) throw new Error(`Unresolvable reference ${ref} in the OpenAPI description`);
  return target;
}

/** A file path spans segments and may be empty (`/contents/`); a few other parameters span segments too. */
function variablePattern(name: string): string {
  if (name === 'path') return '.*';
  return MULTI_SEGMENT_PARAMETERS.has(name) ? '.+' : '[^/]+';
}
