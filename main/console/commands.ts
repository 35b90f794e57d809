// Main's desk for operator commands, read from their declarations
// (shared/commands/): queue one (decision and outbox entry in one
// transaction), send one now and answer its verdict, send an online-only one
// straight to the server, and say what waits in the operator's words. No
// command type is named here: what a command does to the cache, how it is
// worded and where the upload preview counts it come from its declaration.
import { randomUUID } from 'node:crypto';
import type { RefundItem, ReviewItem } from '../../shared/api/operator.ts';
import { declarationOf, type Cached, type CommandPayload, type CommandType, type OnlineCommand, type QueuedCommand } from '../../shared/commands/index.ts';
import type { CommandOutcome, LocalDecision, UploadPreview } from '../../shared/ipc/views.ts';
import { ConsoleError } from '../../shared/ipc/result.ts';
import { formatAud } from '../../shared/money.ts';
import { plural } from '../../shared/words.ts';
import type { OutboxRow, Store } from '../store/store.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { TransportError, type OperatorTransport } from '../sync/transport.ts';

type Queued = QueuedCommand<CommandType>;
type PayloadOf<D extends { type: CommandType }> = CommandPayload<D['type']>;

export function createCommandDesk(store: Store, engine: SyncEngine, transport: OperatorTransport, clock: () => number) {
  const cachedDoc = <T>(kind: string, id: unknown): T | null => {
    const row = typeof id === 'string' ? store.item(kind, id) : undefined;
    return row ? (JSON.parse(row.data) as T) : null;
  };
  const cached: Cached = {
    review: (id) => cachedDoc<ReviewItem>('review', id),
    refund: (id) => cachedDoc<RefundItem>('refund', id),
  };
  const queuedDeclaration = (type: string): Queued | null => {
    const d = declarationOf(type);
    return d?.mode === 'queued' ? (d as Queued) : null;
  };

  /** Decides here: the outbox entry (or the change of the item's waiting one); answers the command's id. */
  function queue<D extends Queued>(d: D, payload: PayloadOf<D>, baseVersion: number | null = null): string {
    const subject = d.cache.subject(payload as never);
    return store.enqueue({ type: d.type, payload, baseVersion, subjectKind: subject?.kind ?? null, subjectId: subject?.id ?? null });
  }

  /** What became of a command, as the store now has it: applied, refused, or still waiting. */
  function outcomeOf(commandId: string): CommandOutcome {
    const refused = store.verdictOf(commandId);
    if (refused) return { commandId, status: 'rejected', reason: refused.reason };
    const sent = store.sentOf(commandId);
    if (sent) return { commandId, status: 'applied', ...(sent.details && sent.details !== '{}' ? { details: JSON.parse(sent.details) } : {}) };
    return { commandId, status: 'queued' };
  }

  /**
   * Queued, then sent at once: one push and one pull (the engine's run, which
   * takes everything queued before it), and the verdict read from the store.
   * Offline (or signed out) the command simply waits in the outbox: 'queued'.
   */
  async function send<D extends Queued>(d: D, payload: PayloadOf<D>, baseVersion: number | null = null): Promise<CommandOutcome> {
    const commandId = queue(d, payload, baseVersion);
    await engine.syncOnce().catch(() => undefined); // the engine keeps the failure and its back-off; the outcome says queued
    return outcomeOf(commandId);
  }

  /** Acts on the live system now; never queued, and offline it says so. A versioned one carries the version the operator saw. */
  async function online<D extends OnlineCommand<CommandType>>(d: D, payload: PayloadOf<D>, baseVersion: number | null = null): Promise<CommandOutcome> {
    const command = {
      id: randomUUID(),
      type: d.type,
      payload: payload as Record<string, unknown>,
      baseVersion,
      decidedAt: new Date(clock()).toISOString(),
    };
    try {
      const { results } = await transport.push([command]);
      const r = results[0]!;
      const verdict = r.status === 'duplicate' ? r.first : r;
      if (verdict.status === 'error') throw new ConsoleError('server', `${d.doing} failed on the server: ${verdict.reason}; try again`);
      void engine.syncOnce().catch(() => undefined); // bring its rows and the audit entry into the cache
      return {
        commandId: command.id,
        status: verdict.status,
        ...(verdict.reason ? { reason: verdict.reason } : {}),
        ...('details' in verdict && verdict.details ? { details: verdict.details } : {}),
      };
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'offline') {
        throw new ConsoleError(
          'offline',
          `${d.doing} needs a connection to the server, and you are offline. Nothing was queued; try again when you are back online.`,
        );
      }
      throw err;
    }
  }

  /** A waiting command as the decision on the items it covers (a bulk approval covers every review it names). */
  function asDecision(r: OutboxRow): { decision: LocalDecision; covers: string[] } | null {
    const d = queuedDeclaration(r.type);
    if (!d) return null;
    const payload = JSON.parse(r.payload) as Record<string, unknown>;
    return {
      decision: { commandId: r.id, type: r.type, state: r.state, payload, words: d.words.short(payload as never) },
      covers: d.cache.covers?.(payload as never) ?? (r.subject_id ? [r.subject_id] : []),
    };
  }

  /** Each cached item's waiting decision. */
  function decisions(): Map<string, LocalDecision> {
    const map = new Map<string, LocalDecision>();
    for (const r of store.outbox()) {
      const w = asDecision(r);
      for (const id of w?.covers ?? []) map.set(id, w!.decision);
    }
    return map;
  }

  /** One waiting command's decision, read alone (a decision just queued, without reading the whole outbox again). */
  function decisionOf(commandId: string): LocalDecision | null {
    const row = store.outboxEntry(commandId);
    return row ? (asDecision(row)?.decision ?? null) : null;
  }

  /** "Reject review of Paws & Co (Spam)": the outbox's and the verdict inbox's line. */
  const label = (r: { type: string; payload: string }): string => declarationOf(r.type)?.words.label(JSON.parse(r.payload) as never, cached) ?? r.type;

  /** What the outbox will do when it is sent: "12 approvals, 1 rejection, 3 refunds totalling $66.00". */
  function preview(): UploadPreview {
    const p: UploadPreview = {
      reviewApprovals: 0,
      reviewRejections: 0,
      refundApprovals: 0,
      refundDenials: 0,
      refundTotalCents: 0,
      other: 0,
      dead: 0,
      summary: '',
    };
    for (const r of store.outbox()) {
      if (r.state === 'dead') {
        p.dead++;
        continue;
      }
      const d = queuedDeclaration(r.type);
      const payload = JSON.parse(r.payload) as never;
      const tally = d?.cache.tally ?? 'other';
      p[tally] += d?.cache.count?.(payload) ?? 1;
      if (tally === 'refundApprovals') p.refundTotalCents += cached.refund(r.subject_id)?.amountCents ?? 0;
    }
    const parts = [
      p.reviewApprovals && plural(p.reviewApprovals, 'approval'),
      p.reviewRejections && plural(p.reviewRejections, 'rejection'),
      p.refundApprovals && `${plural(p.refundApprovals, 'refund')} totalling ${formatAud(p.refundTotalCents)}`,
      p.refundDenials && plural(p.refundDenials, 'refund denial'),
      p.other && plural(p.other, 'other action'),
    ].filter(Boolean);
    p.summary = parts.length ? parts.join(', ') : 'nothing to upload';
    if (p.dead) p.summary += ` (${plural(p.dead, 'command')} held in the dead-letter lane)`;
    return p;
  }

  return { queue, send, online, outcomeOf, decisions, decisionOf, label, preview, cached };
}

export type CommandDesk = ReturnType<typeof createCommandDesk>;
