// Spec Part 7 as one dialog: pick the situation (the team and urgency follow
// from it), read the packet exactly as it will be sent (the evidence the
// server read from the source, with the operator's question), export it, send
// it. A legal situation says, before sending, that it freezes the business.
import { useState } from 'react';
import { useStore } from 'zustand';
import { SITUATION, SITUATIONS, TEAM_NAME, URGENCY_WORDS } from '../../../shared/api/escalations.ts';
import { Badge } from '../ui/Badge.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import uiCss from '../ui/ui.module.css';
import css from './escalations.module.css';
import { exportPacket, packetOf, type EscalationsStore } from './store.ts';

/** Mounted once by the shell: shows while a screen has started an escalation. */
export function EscalateDialog({ store }: { store: EscalationsStore }) {
  const source = useStore(store, (s) => s.compose?.source.id ?? null);
  return source ? <Compose key={source} store={store} /> : null;
}

function Compose({ store }: { store: EscalationsStore }) {
  const s = useStore(store);
  const [subject, setSubject] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const c = s.compose;
  if (!c) return null;
  const d = c.draft;
  const title = subject ?? d?.subject ?? '';
  const packet = d ? packetOf(d, title, note) : '';
  return (
    <Dialog title="Escalate" onClose={s.cancel}>
      <p className="muted">From {c.about}. Pick the situation; the team and urgency follow from it (spec Part 7).</p>
      <fieldset className={css.situations}>
        <legend>Situation</legend>
        {SITUATIONS.map((k) => {
          const m = SITUATION[k];
          return (
            <label key={k} className={css.situation}>
              <input type="radio" name="situation" value={k} checked={c.situation === k} onChange={() => void s.choose(k)} />
              <span>{m.title}</span>
              <small>
                {TEAM_NAME[m.team]} team, {URGENCY_WORDS[m.urgency].toLowerCase()} urgency. {m.example}.
              </small>
            </label>
          );
        })}
      </fieldset>
      {c.reading ? <p role="status">Reading the evidence…</p> : null}
      {s.error ? <p role="alert">{s.error}</p> : null}
      {d ? (
        <>
          <p>
            To the {TEAM_NAME[d.team]} team &lt;{d.to}&gt;, {URGENCY_WORDS[d.urgency].toLowerCase()} urgency: an answer within {d.answerWithin}.{' '}
            {SITUATION[d.situation].operator}
          </p>
          {d.situation === 'legal_compliance' && d.businessName ? (
            <p className={css.freeze}>
              <Badge tone="YELLOW">Freeze</Badge> Sending this freezes refund decisions, activations, flags and emails for {d.businessName} until you close it.
            </p>
          ) : null}
          <div className={css.field}>
            <label htmlFor="esc-subject">Subject</label>
            <input id="esc-subject" maxLength={200} value={title} onChange={(e) => setSubject(e.target.value)} />
          </div>
          <div className={css.field}>
            <label htmlFor="esc-note">What you ask of the team</label>
            <textarea id="esc-note" maxLength={4000} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <h3 id="packet-h">The packet, as it will be sent</h3>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the packet scrolls; the keyboard must reach it to read it */}
          <section className={css.packet} aria-labelledby="packet-h" tabIndex={0}>
            <pre>{packet}</pre>
          </section>
        </>
      ) : null}
      <div className={uiCss.actions}>
        <button type="button" onClick={s.cancel}>
          Cancel
        </button>
        <button type="button" disabled={!d} onClick={() => d && exportPacket(packet, d.team)}>
          Export packet
        </button>
        <button type="button" className="primary" disabled={!d || s.busy || title.trim().length < 3} onClick={() => void s.send(title, note)}>
          {d ? `Send to ${TEAM_NAME[d.team]}` : 'Send'}
        </button>
      </div>
    </Dialog>
  );
}
