/**
 * Routes request paths to the operations of an API description by their path templates
 * (`/repos/{owner}/{repo}/contents/{path}`), with the variables percent-decoded. The more literal text
 * a template has, the earlier it is tried, so `/git/ref/{ref}` wins over anything looser.
 */

/** What the router needs to know of an operation. */
export interface RoutedOperation {
  readonly operationId: string;
  /** Lower case, as descriptions write it. */
  readonly method: string;
  /** The path template. */
  readonly route: string;
}

/** A request that addresses an operation, with its path variables decoded. */
export interface OperationMatch<Operation> {
  readonly kind: 'operation';
  readonly operation: Operation;
  readonly params: Readonly<Record<string, string>>;
}

/** What a request addresses: an operation, or a path that is served only for other methods. */
export type PathMatch<Operation> = OperationMatch<Operation> | { readonly kind: 'method-not-allowed' };

/** How templates read, where APIs differ. */
export interface PathRouterOptions {
  /** The regular expression a variable's value matches. Default one path segment, `[^/]+`. */
  readonly variable?: (name: string) => string;
  /** Variables that may be left out, with the slash before them, when they end a template. */
  readonly optionalAtEnd?: ReadonlySet<string>;
  /** Whether a path may end with one extra slash. Default false. */
  readonly trailingSlash?: boolean;
}

interface CompiledRoute<Operation> {
  readonly operation: Operation;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const ONE_SEGMENT = '[^/]+';

export class PathRouter<Operation extends RoutedOperation> {
  readonly #routes: readonly CompiledRoute<Operation>[];

  constructor(operations: readonly Operation[], options: PathRouterOptions = {}) {
    this.#routes = operations.map((operation) => compileRoute(operation, options)).sort(bySpecificity);
  }

  /**
   * The first operation, most literal template first, whose template matches `rawPath` (still
   * percent-encoded) for this method and whose variables decode; `method-not-allowed` when templates
   * match only for other methods; undefined when none matches.
   */
  match(method: string, rawPath: string): PathMatch<Operation> | undefined {
    const wanted = method.toLowerCase();
    let otherMethod = false;
    for (const route of this.#routes) {
      if (route.operation.method !== wanted) {
        otherMethod ||= route.pattern.test(rawPath);
        continue;
      }
      const found = route.pattern.exec(rawPath);
      if (!found) continue;
      const params = decodeParams(route.names, found);
      if (params) return { kind: 'operation', operation: route.operation, params };
    }
    return otherMethod ? { kind: 'method-not-allowed' } : undefined;
  }
}

function compileRoute<Operation extends RoutedOperation>(
  operation: Operation,
  options: PathRouterOptions,
): CompiledRoute<Operation> {
  const names: string[] = [];
  let source = operation.route.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
    if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(name);
    return `(${options.variable?.(name) ?? ONE_SEGMENT})`;
  });
  const last = /\/\{([^}]+)\}$/.exec(operation.route)?.[1];
  if (last !== undefined && options.optionalAtEnd?.has(last)) {
    const tail = `/(${options.variable?.(last) ?? ONE_SEGMENT})`;
    source = `${source.slice(0, -tail.length)}(?:${tail})?`;
  }
  const slash = options.trailingSlash ? '/?' : '';
  return { operation, names, pattern: new RegExp(`^${source}${slash}$`) };
}

/** The variables percent-decoded, or undefined when one does not decode. */
function decodeParams(names: readonly string[], found: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  try {
    names.forEach((name, index) => {
      params[name] = decodeURIComponent(found[index + 1] ?? '');
    });
  } catch {
    return undefined;
  }
  return params;
}

function bySpecificity<Operation extends RoutedOperation>(
  a: CompiledRoute<Operation>,
  b: CompiledRoute<Operation>,
): number {
  const literal = (route: CompiledRoute<Operation>) => route.operation.route.replace(/\{[^}]+\}/g, '').length;
  return literal(b) - literal(a);
}
