/** The gRPC status codes Argo CD's handlers return; grpc-gateway turns them into HTTP statuses. */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/** One of {@link GrpcCode}. */
export type GrpcCodeValue = (typeof GrpcCode)[keyof typeof GrpcCode];

// grpc-gateway v1.16 runtime.HTTPStatusFromCode, which Argo CD's API server uses unchanged.
const HTTP_STATUS_BY_CODE: Readonly<Record<number, number>> = {
  1: 408,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

/** The HTTP status grpc-gateway answers for a gRPC code. */
export function httpStatusFromCode(code: number): number {
  return HTTP_STATUS_BY_CODE[code] ?? 500;
}

/** The gRPC code a status most likely came from, for faults injected by HTTP status alone. */
export function codeFromHttpStatus(status: number): number {
  const preferred: Readonly<Record<number, number>> = { 400: 3, 409: 10, 500: 13 };
  const found = Object.entries(HTTP_STATUS_BY_CODE).find(([, http]) => http === status);
  return preferred[status] ?? (found ? Number(found[0]) : GrpcCode.Unknown);
}

/** The body grpc-gateway v1 writes for an error: the message twice, and the gRPC code. */
export interface GrpcErrorBody {
  readonly error: string;
  readonly code: number;
  readonly message: string;
}

/**
 * An answer Argo CD gives instead of a result, thrown by a route. It carries the gRPC code the real
 * handler returns; errors Argo CD wraps with `fmt.Errorf` reach the client as code 2 (Unknown), HTTP 500.
 */
export class ArgoCdApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ArgoCdApiError';
  }

  /** The HTTP status the gateway maps {@link code} to. */
  get status(): number {
    return httpStatusFromCode(this.code);
  }

  /** The JSON body the gateway writes. */
  get body(): GrpcErrorBody {
    return { error: this.message, code: this.code, message: this.message };
  }

  /** What Argo CD answers when it will not say whether an app exists (no `project` given). */
  static permissionDenied(): ArgoCdApiError {
    return new ArgoCdApiError(GrpcCode.PermissionDenied, 'permission denied');
  }

  /** The Kubernetes not-found message Argo CD passes on when the caller named a project. */
  static applicationNotFound(name: string): ArgoCdApiError {
    return new ArgoCdApiError(GrpcCode.NotFound, `applications.argoproj.io "${name}" not found`);
  }

  /** A request the gateway could not decode, or a handler refused as malformed. */
  static invalidArgument(message: string): ArgoCdApiError {
    return new ArgoCdApiError(GrpcCode.InvalidArgument, message);
  }

  /** A plain Go error: no gRPC status, so the gateway answers 500 with code 2. */
  static unknown(message: string): ArgoCdApiError {
    return new ArgoCdApiError(GrpcCode.Unknown, message);
  }
}
