// Session 5 (spec 2.5): the trainers' complaints waiting for the operator,
// oldest first, each with the spec's time estimate and what its playbook
// asks; Investigate opens the business's dossier with the complaint beside it.
import { useStore } from 'zustand';
import { COMPLAINT_KIND } from '../../../shared/api/complaints.ts';
import { plural } from '../../../shared/words.ts';
import { PLAYBOOK } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { FreezeNote } from '../escalations/FreezeNote.tsx';
import { openPlaybook, playbookForComplaint } from '../playbooks/open.ts';
import { Badge } from '../ui/Badge.tsx';
import { minutesOfWork } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import css from './complaints.module.css';

export function ComplaintsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.complaints);
  const toDo = s.complaints.filter((c) => !c.localDecision);
  const minutes = toDo.reduce((m, c) => m + c.minutes, 0);
  const closedHere = s.complaints.length - toDo.length;
  const open = async (id: string) => {
    const c = s.complaints.find((x) => x.id === id);
    if (!c) return;
    stores.nav.getState().go('investigate');
    await s.open(c);
  };
  return (
    <>
      <h1>Trainer complaints</h1>
      <p>
        {s.complaints.length === 0 ? 'No complaint is waiting.' : null}
        {toDo.length
          ? `${plural(toDo.length, 'complaint')} pending, ${minutesOfWork(minutes)}. Investigate each, act, then close it with what was done.`
          : null}
        {closedHere ? ` ${plural(closedHere, 'complaint')} closed here, waiting to sync.` : null}
      </p>
      <ul className={css.cards}>
        {s.complaints.map((c) => {
          const kind = COMPLAINT_KIND[c.kind];
          const playbook = playbookForComplaint(c.kind);
          return (
            <li key={c.id} className={css.card} aria-label={`${kind.label}: ${c.businessName}`}>
              <p className={css.head}>
                <Badge tone={c.kind === 'not_featured' ? 'RED' : 'YELLOW'}>{kind.label}</Badge> <strong>{c.businessName}</strong> ({c.councilName}),{' '}
                {c.ownerName ?? 'owner unnamed'} {c.ownerEmail ? `<${c.ownerEmail}>` : ''}
              </p>
              <blockquote className={css.message}>{c.message}</blockquote>
              {c.freeze ? <FreezeNote freeze={c.freeze} /> : null}
              <p className="muted">
                Received <Time at={c.createdAt} />; {minutesOfWork(c.minutes)}. {kind.guide}
              </p>
              {c.localDecision ? (
                <p>
                  <Badge tone="NEUTRAL">Closed here, waiting to sync</Badge>
                </p>
              ) : (
                <p>
                  <button type="button" className="primary" onClick={() => void open(c.id)}>
                    Investigate {c.businessName}
                  </button>{' '}
                  {playbook ? (
                    <button type="button" onClick={() => void openPlaybook(stores, playbook, { kind: 'complaint', id: c.id })}>
                      Open playbook: {PLAYBOOK[playbook].title}
                    </button>
                  ) : null}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
