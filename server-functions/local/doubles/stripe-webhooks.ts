// Webhook delivery of the Stripe double, the way Stripe does it: one POST per
// event with the event's fixed JSON bytes and a fresh `Stripe-Signature`
// (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the
// endpoint secret), a non-2xx answer or network error retried with back-off,
// and per-event attempt tracking that GET /v1/events?delivery_success=…
// reads. Redirects count as failures, as they do at Stripe.
import { createHmac } from 'node:crypto';
import type { StoredEvent } from './stripe-store.ts';

/** The header Stripe would send for `payload` signed with `secret` at `timestamp` (unix seconds). */
export function signPayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface DeliveryLogEntry {
  eventId: string;
  type: string;
  /** 1 for the first try of this event, counting retries and manual resends. */
  attempt: number;
  /** HTTP status, or null when the connection failed or timed out. */
  status: number | null;
  ok: boolean;
  error?: string;
  /** A resend asked for by a person (handle.redeliver / dashboard), not the retry schedule. */
  manual: boolean;
  url: string;
  at: Date;
}

interface EventState {
  stored: StoredEvent;
  attempts: number;
  succeeded: boolean;
}

export interface WebhookOptions {
  url?: string;
  secret?: string;
  /** Wait before retry n (n = 1..length); attempts = length + 1. Stripe spreads these over 3 days. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export class WebhookDeliverer {
  url: string | null;
  secret: string | null;
  readonly log: DeliveryLogEntry[] = [];
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private readonly states = new Map<string, EventState>();
  /** Ready to send, oldest first. One delivery is in flight at a time, so receivers see creation order. */
  private readonly queue: EventState[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private paused = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(opts: WebhookOptions = {}) {
    this.url = opts.url ?? null;
    this.secret = opts.secret ?? null;
    this.retryDelaysMs = opts.retryDelaysMs ?? [200, 1000, 5000];
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  hasEndpoint(): boolean {
    return this.url !== null && this.secret !== null;
  }

  setEndpoint(url: string | null, secret: string | null): void {
    this.url = url;
    this.secret = secret;
  }

  /** True when the event's latest state is "delivered with a 2xx" (false while pending or failing). */
  delivered(eventId: string): boolean {
    return this.states.get(eventId)?.succeeded ?? false;
  }

  attempts(eventId: string): number {
    return this.states.get(eventId)?.attempts ?? 0;
  }

  /** A new event: sent now (or when resumed) if an endpoint was configured when it happened. */
  enqueue(stored: StoredEvent): void {
    const state: EventState = { stored, attempts: 0, succeeded: false };
    this.states.set(stored.event.id, state);
    if (!stored.hasEndpoint) return;
    this.queue.push(state);
    this.pump();
  }

  pause(): void {
    this.paused = true;
    this.settle();
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** One extra attempt now, outside the retry schedule (the dashboard's "Resend"). */
  async redeliver(eventId: string): Promise<DeliveryLogEntry> {
    const state = this.states.get(eventId);
    if (!state) throw new Error(`No such event: '${eventId}'`);
    if (!this.hasEndpoint()) throw new Error('No webhook endpoint is configured');
    this.inFlight++;
    try {
      return await this.attempt(state, true);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** Resolves once nothing is in flight or waiting on a retry timer (events held by pause() do not count). */
  waitForDeliveries(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.settle();
    });
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.settle();
  }

  private idle(): boolean {
    return this.inFlight === 0 && this.timers.size === 0 && (this.paused || this.queue.length === 0);
  }

  private settle(): void {
    if (!this.idle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    const next = this.paused || this.closed || this.inFlight > 0 ? undefined : this.queue.shift();
    if (!next) {
      this.settle();
      return;
    }
    this.inFlight++;
    void this.attempt(next, false).then((entry) => {
      this.inFlight--;
      if (!entry.ok && !this.closed && next.attempts <= this.retryDelaysMs.length && !next.succeeded) {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            if (!next.succeeded) this.queue.push(next); // a manual resend may have succeeded meanwhile
            this.pump();
          },
          this.retryDelaysMs[next.attempts - 1],
        );
        this.timers.add(timer);
      }
      this.pump();
    });
  }

  private async attempt(state: EventState, manual: boolean): Promise<DeliveryLogEntry> {
    const url = this.url ?? '';
    const secret = this.secret ?? '';
    state.attempts++;
    const entry: DeliveryLogEntry = {
      eventId: state.stored.event.id,
      type: state.stored.event.type,
      attempt: state.attempts,
      status: null,
      ok: false,
      manual,
      url,
      at: new Date(),
    };
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: '*/*; q=0.5, application/xml',
          'cache-control': 'no-cache',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // Signed at send time, with real time: a retry hours later carries a fresh timestamp.
          'stripe-signature': signPayload(state.stored.payload, secret),
        },
        body: state.stored.payload,
      });
      await res.arrayBuffer().catch(() => undefined);
      entry.status = res.status;
      entry.ok = res.status >= 200 && res.status < 300;
    } catch (error) {
      entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (entry.ok) state.succeeded = true;
    this.log.push(entry);
    return entry;
  }
}
