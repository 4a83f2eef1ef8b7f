/**
 * One small error hierarchy. A `UserError` is something the person running OpenPHM can fix
 * (bad input, bad option, missing file); an `InternalError` is a bug or an environment failure.
 * Exit codes and HTTP statuses are derived from the kind in exactly one place: `exitCodeFor` / `httpStatusFor`.
 */
export type ErrorKind = 'usage' | 'invalid-input' | 'not-found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'rate-limited' | 'not-implemented' | 'internal';

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

/** One problem with a field of an input, named by its path (`rule.of.0.feature`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Input whose problems are named field by field, so callers never parse a message: the message
 * reads `<source>: <field>: <problem>; …`, and `fields` holds the same problems.
 */
export class FieldValidationError extends UserError {
  readonly fields: readonly FieldProblem[];
  constructor(source: string, fields: readonly FieldProblem[], kind: 'usage' | 'invalid-input' = 'invalid-input') {
    super(`${source}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, kind);
    this.fields = fields;
  }

  /** The same problems inside a larger input (`prefix.field`), e.g. a definition nested in a request body. */
  within(prefix: string, source: string, kind: 'usage' | 'invalid-input' = this.kind === 'usage' ? 'usage' : 'invalid-input'): FieldValidationError {
    return new FieldValidationError(source, this.fields.map((f) => ({ field: f.field === '(root)' ? prefix : `${prefix}.${f.field}`, message: f.message })), kind);
  }
}

/** Something that exists but is not available yet (HTTP 501). */
export class NotImplementedError extends UserError {
  constructor(message: string) {
    super(message, 'not-implemented');
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
  'not-implemented': 1,
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
  'not-implemented': 501,
};

const kindOf = (error: unknown): ErrorKind => (error instanceof PhmError ? error.kind : 'internal');

/** Process exit code for an error: 1 internal, 2 usage, 3 invalid input data, 4 not found, 5 conflict, 6 access, 7 too many requests. */
export const exitCodeFor = (error: unknown): number => EXIT_CODES[kindOf(error)];
export const httpStatusFor = (error: unknown): number => HTTP_STATUS[kindOf(error)];
export const isUserError = (error: unknown): error is UserError => error instanceof UserError;

/** A schema library's issues (zod's `{ path, message }`) as field problems; an issue at the root is `(root)`. */
export const fieldProblemsOf = (issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): FieldProblem[] =>
  issues.map((i) => ({ field: i.path.map(String).join('.') || '(root)', message: i.message }));
