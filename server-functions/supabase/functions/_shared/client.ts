// Who an anonymous caller is, as far as limits need to know: the address the
// Supabase gateway forwards, hashed with a salt (never stored as it is).

/** The client's address as the Supabase gateway forwards it (first x-forwarded-for hop). */
export function clientAddress(req: Request, fallback = 'unknown'): string {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.headers.get('x-real-ip') || fallback;
}

/** SHA-256 of salt and address, hex. */
export async function hashAddress(salt: string, address: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}:${address}`));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
