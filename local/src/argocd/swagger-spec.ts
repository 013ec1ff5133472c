import { readFileSync } from 'node:fs';
import { type PathMatch, PathRouter } from '../http/path-router.ts';

/** Argo CD's own API description (Swagger 2.0, from `assets/swagger.json`), vendored for run time. */
export const ARGOCD_SWAGGER = new URL('./argocd-swagger.json', import.meta.url);

/** A schema as the Swagger document writes it (draft-04 flavoured, `#/definitions/` references). */
export type SwaggerSchema = Record<string, unknown>;

/** One parameter of an operation. A body parameter carries its `schema`; the others their type. */
export interface SwaggerParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'body' | 'header' | 'formData';
  readonly required: boolean;
  /** The body's schema, or `{ type, format, items }` of a path or query parameter. */
  readonly schema: SwaggerSchema;
  /** A query array sent as repeated keys (`?projects=a&projects=b`). */
  readonly multi: boolean;
}

/** What the fake needs to know about one operation of the description. */
export interface SwaggerOperation {
  readonly operationId: string;
  /** Lower case, as in the document. */
  readonly method: string;
  /** The path template, e.g. `/api/v1/applications/{name}`. */
  readonly route: string;
  readonly parameters: readonly SwaggerParameter[];
  readonly body: SwaggerParameter | undefined;
  /** Response schemas by status key (`200`, `default`). */
  readonly responses: Readonly<Record<string, SwaggerSchema | undefined>>;
}

/** What a request addresses: an operation, a path served only for other methods, or (undefined) nothing. */
export type SwaggerMatch = PathMatch<SwaggerOperation>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The parsed Swagger document: its operations, definitions, and a router from paths to operations. */
export class SwaggerSpec {
  readonly #byId = new Map<string, SwaggerOperation>();
  readonly #router: PathRouter<SwaggerOperation>;

  private constructor(readonly document: SwaggerSchema) {
    for (const operation of readOperations(document)) this.#byId.set(operation.operationId, operation);
    this.#router = new PathRouter([...this.#byId.values()]);
  }

  /** Reads and indexes the vendored description (or another file of the same shape). */
  static load(file: URL | string = ARGOCD_SWAGGER): SwaggerSpec {
    return new SwaggerSpec(JSON.parse(readFileSync(file, 'utf8')) as SwaggerSchema);
  }

  /** Every named schema under `definitions`. */
  get definitions(): Readonly<Record<string, SwaggerSchema>> {
    return (this.document.definitions ?? {}) as Record<string, SwaggerSchema>;
  }

  /** Every operation of the description. */
  get operations(): readonly SwaggerOperation[] {
    return [...this.#byId.values()];
  }

  /** The operation with this id; throws for an id the description does not have. */
  operation(operationId: string): SwaggerOperation {
    const found = this.#byId.get(operationId);
    if (!found) throw new Error(`Argo CD's swagger.json has no operation '${operationId}'`);
    return found;
  }

  /** Routes a request as grpc-gateway does: one path segment per variable, percent-decoded. */
  match(method: string, rawPath: string): SwaggerMatch | undefined {
    return this.#router.match(method, rawPath);
  }
}

function readOperations(document: SwaggerSchema): SwaggerOperation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, SwaggerSchema>>;
  const operations: SwaggerOperation[] = [];
  for (const [route, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const parameters = ((raw.parameters ?? []) as SwaggerSchema[]).map(readParameter);
      const responses: Record<string, SwaggerSchema | undefined> = {};
      for (const [status, response] of Object.entries(
        (raw.responses ?? {}) as Record<string, SwaggerSchema>,
      )) {
        responses[status] = response.schema as SwaggerSchema | undefined;
      }
      operations.push({
        operationId: String(raw.operationId),
        method,
        route,
        parameters,
        body: parameters.find((parameter) => parameter.in === 'body'),
        responses,
      });
    }
  }
  return operations;
}

function readParameter(raw: SwaggerSchema): SwaggerParameter {
  const where = raw.in as SwaggerParameter['in'];
  const { name, in: _in, required, description, collectionFormat, schema, ...typed } = raw;
  return {
    name: String(name),
    in: where,
    required: required === true,
    schema: where === 'body' ? ((schema ?? {}) as SwaggerSchema) : typed,
    multi: collectionFormat === 'multi',
  };
}
