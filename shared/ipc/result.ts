// Errors as values at the console's boundary: every call answers
// { ok: true, value } or { ok: false, error: { kind, message } }. `kind` is a
// small closed set the renderer can act on (offer a sign-in, say "offline");
// `message` is a sentence for the operator, shown as main wrote it.
export const ERROR_KINDS = ['offline', 'not_signed_in', 'invalid', 'not_found', 'refused', 'server'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ConsoleFailure {
  kind: ErrorKind;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ConsoleFailure };

/** What a main-process service throws to answer with a given kind. */
export class ConsoleError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = (kind: ErrorKind, message: string): Result<never> => ({ ok: false, error: { kind, message } });
