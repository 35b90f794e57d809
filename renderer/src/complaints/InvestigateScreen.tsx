// Session 5 (spec 2.5): one trainer's whole story from what their email
// gives (their email, a name, a business id or a payment id). Online only:
// the server reads the live records and asks Stripe. Opened from a
// complaint, the complaint and its close form stay beside the dossier; the
// form's log line is written from the steps taken (editable).
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { COMPLAINT_KIND } from '../../../shared/api/complaints.ts';
import { PLAYBOOK } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { freezeOf } from '../escalations/store.ts';
import { openPlaybook, playbookForComplaint } from '../playbooks/open.ts';
import { Badge } from '../ui/Badge.tsx';
import { StatusNote } from '../ui/StatusNote.tsx';
import css from './complaints.module.css';
import { DossierView } from './Dossier.tsx';

export function InvestigateScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.complaints);
  const escalations = useStore(stores.escalations, (e) => e.escalations);
  const [query, setQuery] = useState(s.query);
  // The box shows what was investigated last, also when a match or a complaint opened it.
  useEffect(() => setQuery(s.query), [s.query]);
  const answer = s.answer;
  const playbook = s.current ? playbookForComplaint(s.current.kind) : null;
  return (
    <>
      <h1>Investigate</h1>
      <form
        aria-label="Investigate a trainer"
        className={css.search}
        onSubmit={(e) => {
          e.preventDefault();
          void s.investigate(query);
        }}
      >
        <label>
          Trainer's email, name, business id or payment id
          <input value={query} onChange={(e) => setQuery(e.target.value)} required minLength={2} maxLength={200} />
        </label>
        <button type="submit" className="primary" disabled={s.busy}>
          {s.busy ? 'Looking…' : 'Investigate'}
        </button>
      </form>
      <StatusNote text={s.error ?? s.done} />

      {s.current ? (
        <section className={css.panel} aria-labelledby="complaint-h">
          <h2 id="complaint-h">
            Complaint: {COMPLAINT_KIND[s.current.kind].label} ({s.current.ownerName ?? s.current.businessName})
          </h2>
          <blockquote className={css.message}>{s.current.message}</blockquote>
          <p className="muted">{COMPLAINT_KIND[s.current.kind].guide}</p>
          {playbook ? (
            <p>
              <button type="button" onClick={() => s.current && void openPlaybook(stores, playbook, { kind: 'complaint', id: s.current.id })}>
                Open playbook: {PLAYBOOK[playbook].title}
              </button>
            </p>
          ) : null}
          <form
            className={css.form}
            onSubmit={async (e) => {
              e.preventDefault();
              await s.close(s.logLine);
            }}
          >
            <label>
              What was done (the log line)
              <textarea value={s.logLine} onChange={(e) => s.setLogLine(e.target.value)} required minLength={3} maxLength={2000} />
            </label>
            <div>
              <button type="submit">Close complaint</button>
            </div>
          </form>
        </section>
      ) : null}

      {answer && !answer.dossier ? (
        answer.matches.length === 0 ? (
          <p>Nothing matches “{answer.query}”. Try the trainer's email address or the business name.</p>
        ) : (
          <section aria-labelledby="matches-h">
            <h2 id="matches-h">{answer.matches.length} businesses match: pick one</h2>
            <ul className={css.findings}>
              {answer.matches.map((m) => (
                <li key={m.businessId}>
                  <button type="button" onClick={() => void s.investigate(m.businessId)}>
                    Open {m.businessName}
                  </button>{' '}
                  {m.councilName}, {m.ownerName ?? 'owner unnamed'} {m.ownerEmail ? `<${m.ownerEmail}>` : ''} <Badge tone="NEUTRAL">{m.matchedBy}</Badge>
                </li>
              ))}
            </ul>
          </section>
        )
      ) : null}
      {answer?.dossier ? (
        <DossierView
          d={answer.dossier}
          s={s}
          freeze={freezeOf(escalations, answer.dossier.business.id)}
          escalate={() => {
            const b = answer.dossier!.business;
            // From the complaint when the dossier is its business's (its message goes in the packet), else from the business.
            const fromComplaint = s.current?.businessId === b.id;
            stores.escalations
              .getState()
              .start(
                fromComplaint ? { kind: 'complaint', id: s.current!.id } : { kind: 'business', id: b.id },
                fromComplaint ? `the complaint of ${b.name} and its dossier` : `the dossier of ${b.name}`,
              );
          }}
        />
      ) : null}
    </>
  );
}
