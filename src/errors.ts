/**
 * One error base class for the whole project. Subclasses say *where* a failure happened:
 * a remote that answered "no" (RemoteRefusedError) is not a remote we could not reach
 * (UnreachableError). Every error keeps its cause and carries a hint on what to do next.
 */
export class PermachatError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  static isInstance(value: unknown): value is PermachatError {
    return value instanceof PermachatError;
  }

  /** One line for people: the message, then what to do. */
  toUserMessage(): string {
    return this.hint ? `${this.message}\n  → ${this.hint}` : this.message;
  }
}

/** A setting is missing or invalid. `variable` names the environment variable. */
export class ConfigError extends PermachatError {
  constructor(readonly variable: string, message: string, hint?: string) {
    super('CONFIG', `${variable}: ${message}`, hint === undefined ? {} : { hint });
  }
}

/** Input from a person or a file was rejected (bad character file, bad message). */
export class InputError extends PermachatError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('INPUT', message, options);
  }
}

/** A remote service answered and refused (HTTP 4xx/5xx, an error body). */
export class RemoteRefusedError extends PermachatError {
  constructor(
    readonly service: string,
    readonly status: number,
    message: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super('REMOTE_REFUSED', `${service} refused (${status}): ${message}`, options);
  }
}

/** A remote service could not be reached at all (connection refused, DNS, timeout). */
export class UnreachableError extends PermachatError {
  constructor(readonly service: string, readonly url: string, options: { cause?: unknown; hint?: string } = {}) {
    super('UNREACHABLE', `${service} unreachable at ${url}`, options);
  }
}

/** Something we depend on is not available here (no model file, offline download). */
export class UnavailableError extends PermachatError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('UNAVAILABLE', message, options);
  }
}

/**
 * A request to one of our HTTP servers is refused: `status` is what the client gets, with the
 * message and hint as the body. `retryAfter` (seconds) becomes a Retry-After header.
 */
export class HttpError extends PermachatError {
  readonly retryAfter: number | undefined;

  constructor(readonly status: number, message: string, options: { cause?: unknown; hint?: string; retryAfter?: number } = {}) {
    super('HTTP', message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** Formats any thrown value for a person: no stack traces for our own errors. */
export function describeError(error: unknown): string {
  if (PermachatError.isInstance(error)) return error.toUserMessage();
  if (error instanceof Error) return error.message;
  return String(error);
}
