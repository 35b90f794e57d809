// Free text a person typed, as every boundary accepts it: the same rule for
// the public site, trainers and the operator. PostgreSQL refuses NUL in text
// (and a half of a surrogate pair is not text at all); refused here with the
// field named, such a value never reaches SQL as a 500, nor sits in the
// console's outbox as a command the server can never store.
import { z } from 'zod';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text of min..max characters: no control characters except newlines and tabs, no lone surrogates. */
export const humanText = (min: number, max: number, tooShort = `must be at least ${min} characters`) =>
  z
    .string()
    .min(min, tooShort)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid text (it holds half of a surrogate pair)');
