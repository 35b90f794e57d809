// The emails the server sent or will send (spec 2.5: every email the
// operator's decisions cause, and the replies of the playbooks), newest
// first, with each one's status. Bodies are the trainers' and reviewers'
// words as rendered by the server: shown as text, never as markup.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { EmailItem } from '../../../shared/api/operator.ts';
import { plural } from '../../../shared/words.ts';
import type { Stores } from '../app/stores.ts';
import { Badge, type Tone } from '../ui/Badge.tsx';
import { Time } from '../ui/Time.tsx';
import css from './emails.module.css';
import { countByStatus, type EmailFilter, type EmailsState } from './store.ts';

const TONE: Record<EmailItem['status'], Tone> = { sent: 'GREEN', queued: 'NEUTRAL', failed: 'RED' };
const STATUS_WORDS: Record<EmailItem['status'], string> = { sent: 'Sent', queued: 'Queued', failed: 'Failed' };

export function EmailsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.emails);
  return <Emails {...s} />;
}

export function Emails(p: Pick<EmailsState, 'loaded' | 'emails' | 'filter' | 'setFilter'>) {
  const counts = countByStatus(p.emails);
  const shown = p.filter === 'all' ? p.emails : p.emails.filter((e) => e.status === p.filter);
  return (
    <>
      <h1>Emails</h1>
      <p>
        {plural(p.emails.length, 'email')} (the last 30 days, and older ones whose status changed since): {counts.sent} sent, {counts.queued} queued,{' '}
        {counts.failed} failed.
        {counts.failed > 0 ? ' A failed email was not delivered after every retry: its error says why.' : ''}
      </p>
      <label className={css.filter}>
        Show{' '}
        <select value={p.filter} onChange={(e) => p.setFilter(e.target.value as EmailFilter)}>
          <option value="all">All emails</option>
          <option value="queued">Queued</option>
          <option value="sent">Sent</option>
          <option value="failed">Failed</option>
        </select>
      </label>
      {!p.loaded ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">{p.emails.length ? 'No email in this state.' : 'No emails in the last 30 days.'}</p>
      ) : (
        <ul className={css.list} aria-label="Emails, newest first">
          {shown.map((e) => (
            <EmailRow key={e.id} email={e} />
          ))}
        </ul>
      )}
    </>
  );
}

/** One email: a line to open (button, so keyboard and screen readers reach it), then its status and body. */
function EmailRow({ email: e }: { email: EmailItem }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  return (
    <li className={css.email}>
      <button type="button" className={css.line} aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen(!open)}>
        <span className={css.when}>
          <Time at={e.createdAt} />
        </span>
        <span className={css.to}>{e.to}</span>
        <span className={css.subject}>{e.subject}</span>
        <Badge tone={TONE[e.status]}>{STATUS_WORDS[e.status]}</Badge>
      </button>
      {open ? (
        <div id={bodyId}>
          <p className={css.meta}>{statusSentence(e)}</p>
          <pre className={css.body}>{e.body}</pre>
        </div>
      ) : null}
    </li>
  );
}

function statusSentence(e: EmailItem) {
  if (e.status === 'sent') {
    return (
      <>
        Sent <Time at={e.sentAt} />
      </>
    );
  }
  if (e.status === 'failed') return `Not delivered after ${plural(e.attempts, 'attempt')}: ${e.lastError ?? 'no error given'}`;
  return `Waiting for the email sender (every few minutes)${e.attempts ? `; ${plural(e.attempts, 'attempt')} so far: ${e.lastError ?? ''}` : ''}`;
}
