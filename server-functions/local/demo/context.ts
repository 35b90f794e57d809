// What a demo incident needs of a running local stack: its database (to
// write what production would have written, backdated), its functions (called
// over HTTP with the service role key, as the scheduler calls them) and the
// control URLs of its doubles. Shared by the plants, the demo command and the
// Chromium tests that plant the same conditions.
import type postgres from 'postgres';
import type { StackInfo } from '../stack/stack.ts';

export interface DemoStack {
  sql: postgres.Sql;
  info: Pick<StackInfo, 'FUNCTIONS_URL' | 'SERVICE_ROLE_KEY' | 'ANON_KEY' | 'ZAI_DOUBLE_URL' | 'STRIPE_DOUBLE_URL'>;
  now?: () => Date;
}

export interface OpenAlert {
  severity: 'RED' | 'YELLOW';
  kind: string;
  subject: string;
  message: string;
  openedAt: Date;
}

export const nowOf = (stack: DemoStack) => (stack.now ?? (() => new Date()))();

export const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * 60_000);

/** POST a JSON body; the answer's JSON (or text) with its status. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  } catch (err) {
    throw new Error(`POST ${url} failed: ${(err as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Calls one of the stack's functions with the service role key, as the scheduler does. */
export function callFunction(stack: DemoStack, name: string, body: unknown) {
  return postJson(`${stack.info.FUNCTIONS_URL}/${name}`, body, { authorization: `Bearer ${stack.info.SERVICE_ROLE_KEY}` });
}

/** The scheduler's alerts refresh (every rule), called now instead of waiting up to a minute for it. */
export async function refreshAlerts(stack: DemoStack): Promise<void> {
  const res = await callFunction(stack, 'alerts-refresh', { scope: 'all' });
  if (res.status !== 200) throw new Error(`alerts-refresh answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
}

/** The open alerts of these kinds, newest first. */
export async function openAlerts(stack: DemoStack, kinds: string[]): Promise<OpenAlert[]> {
  return stack.sql<OpenAlert[]>`
    select severity, kind, subject, message, opened_at as "openedAt" from public.alerts
    where resolved_at is null and kind in ${stack.sql(kinds)}
    order by opened_at desc`;
}
