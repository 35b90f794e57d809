// The console's handlers in a small world for tests: the real store on a
// temporary SQLite file, the real engine and command desk, and at the HTTP
// boundary a fake operator server (an OperatorTransport) that serves the
// rows a test gives it and answers pushes as the server would: applied
// unless the test says otherwise, its rows changed the way the command's
// declaration says, and a resent command answered as a duplicate. The
// online-only reads (investigation, metrics, reconciliation) are the real
// clients over a fetch that answers what the test put at each path.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComplaintItem } from '../../../shared/api/complaints.ts';
import type { EscalationItem } from '../../../shared/api/escalations.ts';
import type {
  AlertItem,
  CommandResult,
  CommandVerdict,
  MetricsSnapshot,
  OperatorPolicy,
  PullResponse,
  RefundItem,
  ReviewItem,
  WireCommand,
} from '../../../shared/api/operator.ts';
import { declarationOf } from '../../../shared/commands/index.ts';
import type { ConsoleFailure } from '../../../shared/ipc/result.ts';
import { toFailure } from '../../ipc/edge.ts';
import { openLocalDatabase } from '../../store/db.ts';
import { createStore } from '../../store/store.ts';
import { createSyncEngine } from '../../sync/engine.ts';
import { TransportError, type OperatorTransport } from '../../sync/transport.ts';
import { createConsoleService } from '../handlers/index.ts';
import { createInvestigationClient } from '../investigation.ts';
import { createPlaybooksClient } from '../playbooks.ts';
import { createReconciliationClient } from '../reconciliation.ts';

export const id = () => randomUUID();
export const BUSINESS = '6f1c2a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const AT = '2026-11-20T10:00:00.000Z';
let made = 0;
/** A second after the last item made: items made one after another list oldest first in that order. */
const next = () => new Date(Date.parse(AT) + ++made * 1000).toISOString();

export const review = (over: Partial<ReviewItem> = {}): ReviewItem => ({
  id: id(),
  businessId: BUSINESS,
  businessName: 'Paws & Co',
  rating: 5,
  body: 'Patient and kind.',
  displayName: null,
  status: 'pending',
  aiConfidence: 0.95,
  aiFlags: [],
  rejectionReason: null,
  rejectionNote: null,
  moderatedBy: null,
  moderatedByName: null,
  moderatedAt: null,
  version: 1,
  createdAt: next(),
  updatedAt: AT,
  ...over,
});

export const refund = (over: Partial<RefundItem> = {}): RefundItem => ({
  id: id(),
  paymentId: id(),
  businessId: BUSINESS,
  businessName: 'Sit Stay',
  ownerEmail: 'jo@sitstay.example',
  requestedAt: AT,
  reason: 'No leads',
  status: 'pending',
  amountCents: 2200,
  paidAt: '2026-11-19T10:00:00.000Z',
  eligible: true,
  eligibleUntil: '2026-11-22T10:00:00.000Z',
  hoursAfterPurchase: 24,
  windowHours: 72,
  policy: 'Requested 24 h 0 min 0 s after purchase, inside the 72 h refund window: the policy is to refund it, so it can only be approved.',
  email: null,
  decidedBy: null,
  decidedByName: null,
  decidedAt: null,
  decisionNote: null,
  version: 1,
  updatedAt: AT,
  ...over,
});

export const alert = (over: Partial<AlertItem> = {}): AlertItem => ({
  id: id(),
  severity: 'YELLOW',
  kind: 'queue_long',
  subject: 'darebin',
  message: 'The Darebin queue is long',
  details: {},
  openedAt: AT,
  resolvedAt: null,
  updatedAt: AT,
  ...over,
});

export const complaint = (over: Partial<ComplaintItem> = {}): ComplaintItem => ({
  id: id(),
  businessId: BUSINESS,
  businessName: 'Paws & Co',
  councilName: 'City of Darebin',
  ownerName: 'Jo Trainer',
  ownerEmail: 'jo@paws.example',
  kind: 'not_featured',
  message: 'I paid $22 but my profile is not featured',
  paymentId: null,
  reviewId: null,
  status: 'pending',
  resolution: null,
  decidedBy: null,
  decidedByName: null,
  decidedAt: null,
  version: 1,
  createdAt: next(),
  updatedAt: AT,
  ...over,
});

/** An open legal escalation about the business, sent a day before the world's clock (due in 7 days). */
export const escalation = (over: Partial<EscalationItem> = {}): EscalationItem => ({
  id: id(),
  situation: 'legal_compliance',
  team: 'legal',
  urgency: 'medium',
  status: 'open',
  sourceKind: 'complaint',
  sourceId: id(),
  businessId: BUSINESS,
  businessName: 'Paws & Co',
  subject: 'Trainer disputes the refund and wants legal review',
  note: 'May we refund?',
  packet: 'ESCALATION: Trainer disputes the refund and wants legal review\n',
  packetSha256: 'a'.repeat(64),
  to: 'legal@dogtrainersdirectory.com.au',
  openedAt: '2026-11-26T00:00:00.000Z',
  openedByName: 'Alex Operator',
  dueAt: '2026-12-03T00:00:00.000Z',
  answer: null,
  answeredAt: null,
  closedAt: null,
  closeNote: null,
  version: 1,
  updatedAt: '2026-11-26T00:00:00.000Z',
  ...over,
});

export const metricsSnapshot = (over: Partial<MetricsSnapshot> = {}): MetricsSnapshot => ({
  revenueThisMonthCents: 0,
  refundsThisMonthCents: 0,
  activePlacements: 0,
  queuedPlacements: 0,
  pendingReviews: 0,
  pendingRefunds: 0,
  refundRate7d: 0,
  searchesLast24h: 0,
  openRed: 0,
  openYellow: 0,
  aiMode: 'z_ai',
  aiSpentThisMonthCents: 0,
  aiBudgetCents: 5000,
  aiBudgetSwitched: false,
  ...over,
});

type Rows = Omit<PullResponse, 'cursor' | 'serverTime' | 'full' | 'metrics' | 'policy'>;
type Answer = CommandVerdict | { status: 'error'; reason: string };

export interface FakeOperatorServer extends OperatorTransport {
  /** Each request the console made of the operator API, in order. */
  requests: ('pull' | 'push')[];
  /** Every command the server received, in order. */
  received: WireCommand[];
  /** False: every request fails like a dead network (the transport's offline error). */
  online: boolean;
  /** The server's rows: every pull brings them as they stand. */
  rows: Rows;
  metrics: MetricsSnapshot;
  policy: OperatorPolicy;
  /** How the server answers a command it has not seen before: applied, unless a test says otherwise. */
  judge: (c: WireCommand) => Answer;
}

const ROWS: Record<string, keyof Rows> = { review: 'reviews', refund: 'refunds', complaint: 'complaints' };

export function createFakeOperatorServer(clock: () => number = Date.now): FakeOperatorServer {
  const seen = new Map<string, CommandVerdict>();
  let xid = 100;
  const reachable = () => {
    if (!server.online) throw new TransportError('offline', 'cannot reach the server: fetch failed (network unreachable)');
  };
  /** What an applied command does to the server's rows: its declared effect, the version moved on. */
  const apply = (c: WireCommand, details: Record<string, unknown> | undefined) => {
    const d = declarationOf(c.type);
    if (d?.mode !== 'queued') return;
    for (const patch of d.cache.applied(c.payload as never, details)) {
      const list = server.rows[ROWS[patch.kind]!] as unknown as { id: string; status: string; version: number }[];
      const row = list.find((r) => r.id === patch.id);
      if (row) Object.assign(row, patch.fields, { status: patch.status, version: row.version + 1 });
    }
  };
  const server: FakeOperatorServer = {
    requests: [],
    received: [],
    online: true,
    rows: {
      reviews: [],
      refunds: [],
      alerts: [],
      cronRuns: [],
      activity: [],
      flags: [],
      accounts: [],
      incidents: [],
      emails: [],
      complaints: [],
      escalations: [],
      runs: [],
    },
    metrics: metricsSnapshot(),
    // The server's thresholds as its default settings give them.
    policy: { bulkApproveMinConfidence: 0.9, aiBudgetSwitchRatio: 0.9, refreshMs: { normal: 60_000, red: 30_000 }, refundWindowHours: 72 },
    judge: (c) => {
      // A bulk approval answers the reviews it approved (those still pending), as the server does.
      const listed = (c.payload.reviews as { reviewId: string }[] | undefined)?.map((r) => r.reviewId);
      const approved = listed?.filter((rid) => server.rows.reviews.find((r) => r.id === rid)?.status === 'pending');
      return { status: 'applied', ...(approved ? { details: { approved } } : {}) };
    },
    async pull(cursor) {
      server.requests.push('pull');
      reachable();
      return structuredClone({
        ...server.rows,
        cursor: `xid:${++xid}`,
        serverTime: new Date(clock()).toISOString(),
        full: cursor === null,
        metrics: server.metrics,
        policy: server.policy,
      });
    },
    async push(commands) {
      server.requests.push('push');
      reachable();
      const results = commands.map((c, index): CommandResult => {
        server.received.push(c);
        const first = seen.get(c.id);
        if (first) return { index, id: c.id, status: 'duplicate', first };
        const answer = server.judge(c);
        if (answer.status === 'error') return { index, id: c.id, ...answer };
        seen.set(c.id, answer);
        if (answer.status === 'applied') apply(c, answer.details);
        return { index, id: c.id, ...answer };
      });
      return { results };
    },
  };
  return server;
}

/** The console's handlers over a fresh SQLite file, a fake operator server and a fetch for the online-only reads. */
export function createWorld(opts: { now?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dtd-handlers-'));
  const db = openLocalDatabase(join(dir, 'console.sqlite'));
  const time = { now: Date.parse(opts.now ?? '2026-11-27T00:00:00.000Z') };
  const clock = () => time.now;
  const store = createStore(db, clock);
  const server = createFakeOperatorServer(clock);
  const engine = createSyncEngine(store, server, { clock, baseDelayMs: 1_000, maxDelayMs: 1_000, random: () => 1 });
  /** What the functions answer, by path ("operator/metrics"); offline with the operator server. */
  const http = new Map<string, unknown>();
  /** Each online-only read the console made, by path, with the JSON body it sent. */
  const httpCalls: { path: string; body: unknown }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    if (!server.online) throw new TypeError('fetch failed (network unreachable)');
    const path = String(url).replace(/^.*\/functions\/v1\//, '');
    httpCalls.push({ path, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
    return http.has(path) ? Response.json(http.get(path)) : Response.json({ error: { message: `no ${path} here` } }, { status: 404 });
  }) as typeof globalThis.fetch;
  const client = { apiUrl: 'http://operator.test', getAccessToken: async () => 'token', fetch };
  const api = createConsoleService({
    store,
    engine,
    transport: server,
    reconciliation: createReconciliationClient(client),
    investigation: createInvestigationClient(client),
    playbooks: createPlaybooksClient(client),
    clock,
  });
  return {
    api,
    store,
    engine,
    server,
    http,
    httpCalls,
    time,
    /** The server's rows as given, brought into the cache by one sync; the requests counted from here. */
    async load(rows: Partial<Rows> = {}) {
      Object.assign(server.rows, structuredClone(rows));
      await engine.syncOnce();
      server.requests.length = 0;
    },
    async close() {
      await engine.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type World = ReturnType<typeof createWorld>;

/** What a call that failed tells the operator ({ kind, message }, as the edge answers it); throws when the call succeeded. */
export async function failureOf(call: () => unknown): Promise<ConsoleFailure> {
  try {
    await call();
  } catch (err) {
    const r = toFailure(err);
    if (!r.ok) return r.error;
  }
  throw new Error('the call succeeded; a failure was expected');
}
