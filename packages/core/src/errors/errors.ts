/**
 * One small error hierarchy. A `UserError` is something the person running OpenPHM can fix
 * (bad input, bad option, missing file); an `InternalError` is a bug or an environment failure.
 * Exit codes and HTTP statuses are derived from the kind in exactly one place: `exitCodeFor` / `httpStatusFor`.
 */
export type ErrorKind = 'usage' | 'invalid-input' | 'not-found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'rate-limited' | 'internal';

export abstract class PhmError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something the user can correct: the message says what and where. */
export class UserError extends PhmError {
  readonly kind: Exclude<ErrorKind, 'internal'>;
  constructor(message: string, kind: Exclude<ErrorKind, 'internal'> = 'usage', options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** Where in an input file a problem was found. `line` is the line number in the file (the header is line 1). */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

export const formatLocation = (loc: InputLocation): string =>
  [loc.file, loc.line !== undefined ? `line ${loc.line}` : undefined, loc.field !== undefined ? `field '${loc.field}'` : undefined]
    .filter((part): part is string => part !== undefined)
    .join(', ');

/** Bad data in an input file: names the file, row and field. */
export class InputError extends UserError {
  readonly location: InputLocation;
  readonly problem: string;
  constructor(location: InputLocation, problem: string) {
    super(`${formatLocation(location)}: ${problem}`, 'invalid-input');
    this.location = location;
    this.problem = problem;
  }
}

export class InternalError extends PhmError {
  readonly kind = 'internal' as const;
}

const EXIT_CODES: Record<ErrorKind, number> = {
  internal: 1,
  usage: 2,
  'invalid-input': 3,
  'not-found': 4,
  conflict: 5,
  forbidden: 6,
  unauthenticated: 6,
  'rate-limited': 7,
};

const HTTP_STATUS: Record<ErrorKind, number> = {
  internal: 500,
  usage: 400,
  'invalid-input': 422,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  'rate-limited': 429,
};

const kindOf = (error: unknown): ErrorKind => (error instanceof PhmError ? error.kind : 'internal');

/** Process exit code for an error: 1 internal, 2 usage, 3 invalid input data, 4 not found, 5 conflict, 6 access, 7 too many requests. */
export const exitCodeFor = (error: unknown): number => EXIT_CODES[kindOf(error)];
export const httpStatusFor = (error: unknown): number => HTTP_STATUS[kindOf(error)];
export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
