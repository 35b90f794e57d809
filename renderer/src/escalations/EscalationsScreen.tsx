// Every escalation (spec Part 7) with its age against its urgency: open ones
// first (overdue at the top), then answered, then closed. The team's answer
// is recorded here, and closing one says how it ended (a legal one's freeze
// lifts). Both work offline like any decision.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { SITUATION, TEAM_NAME, URGENCY_WORDS } from '../../../shared/api/escalations.ts';
import type { EscalationView } from '../../../shared/ipc/contract.ts';
import type { Stores } from '../app/stores.ts';
import { Badge } from '../ui/Badge.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Time } from '../ui/Time.tsx';
import uiCss from '../ui/ui.module.css';
import css from './escalations.module.css';
import { exportPacket, type EscalationsStore } from './store.ts';

const ORDER = { open: 0, answered: 1, closed: 2 } as const;
const STATUS_WORDS = { open: 'Open', answered: 'Answered', closed: 'Closed' } as const;

export function EscalationsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.escalations);
  // What was said on an earlier visit (a send from another screen, a closing) is not news now.
  useEffect(() => stores.escalations.getState().clearStatus(), [stores]);
  const [acting, setActing] = useState<{ e: EscalationView; kind: 'answer' | 'close' } | null>(null);
  const list = [...s.escalations].sort(
    (a, b) => ORDER[a.status] - ORDER[b.status] || Number(b.overdue) - Number(a.overdue) || (a.openedAt < b.openedAt ? 1 : -1),
  );
  return (
    <>
      <h1>Escalations</h1>
      <p className="muted">
        Escalate from a playbook, a dossier, an alert or a reconciliation report. A legal escalation freezes the operator's actions for its business until it is
        closed.
      </p>
      {s.done ? <p role="status">{s.done}</p> : null}
      {s.error ? <p role="alert">{s.error}</p> : null}
      {!s.loaded ? <p role="status">Loading escalations…</p> : list.length === 0 ? <p className="muted">No escalations.</p> : null}
      <ul className={css.list}>
        {list.map((e) => (
          <EscalationCard key={e.id} e={e} act={(kind) => setActing({ e, kind })} />
        ))}
      </ul>
      {acting ? <ActDialog {...acting} store={stores.escalations} onClose={() => setActing(null)} /> : null}
    </>
  );
}

function EscalationCard({ e, act }: { e: EscalationView; act(kind: 'answer' | 'close'): void }) {
  const h = `esc-${e.id}`;
  return (
    <li className={css.card} aria-labelledby={h}>
      <h2 id={h}>{e.subject}</h2>
      <p className={css.facts}>
        <Badge tone={e.status === 'closed' ? 'NEUTRAL' : e.overdue ? 'RED' : 'YELLOW'}>{e.overdue ? 'Overdue' : STATUS_WORDS[e.status]}</Badge>
        <span>
          {SITUATION[e.situation].title} → {TEAM_NAME[e.team]} &lt;{e.to}&gt;, {URGENCY_WORDS[e.urgency].toLowerCase()} urgency
        </span>
        {e.businessName ? <span>Business: {e.businessName}</span> : null}
      </p>
      <p className={css.facts}>
        <span>
          Sent <Time at={e.openedAt} />
          {e.openedByName ? ` by ${e.openedByName}` : ''}
        </span>
        <span>
          {e.status === 'open' ? 'Answer due' : 'Was due'} <Time at={e.dueAt} />
        </span>
        <span className="muted">Packet SHA-256 {e.packetSha256.slice(0, 12)}…</span>
      </p>
      {e.situation === 'legal_compliance' && e.businessName && e.status !== 'closed' ? (
        <p className={css.freeze}>
          <Badge tone="YELLOW">Freeze</Badge> The operator's refund decisions, activations, flags and emails for {e.businessName} are refused until this is
          closed.
        </p>
      ) : null}
      {e.answer ? (
        <p>
          <strong>Answer</strong> (<Time at={e.answeredAt} />
          ): {e.answer}
        </p>
      ) : null}
      {e.closeNote ? (
        <p>
          <strong>Closed</strong> (<Time at={e.closedAt} />
          ): {e.closeNote}
        </p>
      ) : null}
      <div className={css.actions}>
        {e.localDecision ? <Badge tone="NEUTRAL">{e.localDecision.words.replace(/^./, (c) => c.toUpperCase())} here: waiting to sync</Badge> : null}
        {e.status !== 'closed' && !e.localDecision ? (
          <>
            <button type="button" onClick={() => act('answer')} aria-label={`Record the answer to: ${e.subject}`}>
              Record the answer…
            </button>
            <button type="button" onClick={() => act('close')} aria-label={`Close escalation: ${e.subject}`}>
              Close…
            </button>
          </>
        ) : null}
        <button type="button" onClick={() => exportPacket(e.packet, e.team, new Date(e.openedAt))} aria-label={`Export the packet of: ${e.subject}`}>
          Export the packet
        </button>
      </div>
    </li>
  );
}

function ActDialog({ e, kind, store, onClose }: { e: EscalationView; kind: 'answer' | 'close'; store: EscalationsStore; onClose(): void }) {
  const s = useStore(store);
  const [text, setText] = useState('');
  const answer = kind === 'answer';
  const submit = async () => {
    if (await (answer ? s.answer(e, text) : s.close(e, text))) onClose();
  };
  return (
    <Dialog title={answer ? 'Record the answer' : 'Close the escalation'} onClose={onClose}>
      <p>
        {e.subject} ({TEAM_NAME[e.team]})
      </p>
      {!answer && e.situation === 'legal_compliance' && e.businessName ? <p>Closing it lifts the freeze on {e.businessName}.</p> : null}
      <div className={css.field}>
        <label htmlFor="esc-act">{answer ? "The team's answer" : 'How it ended'}</label>
        <textarea id="esc-act" rows={4} maxLength={answer ? 4000 : 2000} value={text} onChange={(ev) => setText(ev.target.value)} />
      </div>
      {s.error ? <p role="alert">{s.error}</p> : null}
      <div className={uiCss.actions}>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={s.busy || text.trim().length < 3} onClick={() => void submit()}>
          {answer ? 'Record answer' : 'Close escalation'}
        </button>
      </div>
    </Dialog>
  );
}
