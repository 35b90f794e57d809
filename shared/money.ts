// Money as the operator reads it: integer cents in, Australian dollars out.
const aud = new Intl.NumberFormat('en-AU', { style: 'currency', currency: 'AUD' });

/** 2200 → "$22.00". */
export const formatAud = (cents: number): string => aud.format(cents / 100);
