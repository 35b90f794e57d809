// Playbook 5 on the Refunds screen: the 7 days' refund rate against its
// lines, the findings in words (a repeat refunder, one council, new
// trainers), who refunded, where, how new they were and why, and the
// playbook's one action here: flag a repeat refunder's account.
import { useStore } from 'zustand';
import type { RefundPattern as Pattern } from '../../../shared/api/refund-pattern.ts';
import { Badge } from '../ui/Badge.tsx';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import type { RefundPatternStore } from './pattern.ts';
import css from './refunds.module.css';

const TENURE: Record<Pattern['tenure'][number]['band'], string> = {
  new: 'New (listed 7 days or less before buying)',
  settling: 'Settling (8 to 30 days)',
  established: 'Established (over 30 days)',
};
// The alert is YELLOW at both lines (spec 4.5: a pattern to investigate, not an outage).
const LEVEL = { ok: 'GREEN', warning: 'YELLOW', investigate: 'YELLOW' } as const;

export function RefundPattern({ store }: { store: RefundPatternStore }) {
  const s = useStore(store);
  const p = s.pattern;
  return (
    <section className={css.pattern} aria-labelledby="pattern-h">
      <h2 id="pattern-h">Refund pattern, last 7 days (playbook 5)</h2>
      <p className="muted">Who refunds, where, and how new they were when they bought. Read from the server: it needs a connection.</p>
      <button type="button" onClick={() => void s.analyze()} disabled={s.busy}>
        {p ? 'Analyze again' : 'Analyze the refund pattern'}
      </button>
      <StatusNote text={s.error ?? s.done} />
      {p ? <Analysis p={p} flag={(t) => void s.flag(t)} busy={s.busy} /> : null}
    </section>
  );
}

function Analysis({ p, flag, busy }: { p: Pattern; flag: (t: Pattern['trainers'][number]) => void; busy: boolean }) {
  return (
    <>
      <p>
        <Badge tone={LEVEL[p.level]}>{`${p.ratePct}%`}</Badge> {p.refunds} refunds of {p.purchases} purchases (lines: {p.thresholds.warnPct}% warning,{' '}
        {p.thresholds.investigatePct}% investigate), as of <Time at={p.asOf} />.
      </p>
      <ul className={css.findings} aria-label="Findings">
        {p.findings.map((f) => (
          <li key={f.text}>
            <Badge tone={f.tone === 'problem' ? 'YELLOW' : 'NEUTRAL'}>{f.tone === 'problem' ? 'Look' : 'Note'}</Badge> {f.text}
          </li>
        ))}
      </ul>
      {p.trainers.length ? (
        <table aria-label="Refunds by trainer">
          <thead>
            <tr>
              <th scope="col">Trainer</th>
              <th scope="col">Businesses</th>
              <th scope="col">Purchases</th>
              <th scope="col">Refunds</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {p.trainers.map((t) => (
              <tr key={t.ownerId}>
                <td className={css.who}>{t.ownerName ?? t.email ?? 'unnamed'}</td>
                <td>{t.businesses.join(', ')}</td>
                <td>{t.purchases}</td>
                <td>{t.refunds}</td>
                <td>
                  {t.accountStatus === 'flagged_for_review' ? (
                    'flagged for review'
                  ) : t.refunds >= 2 ? (
                    <button type="button" disabled={busy} onClick={() => flag(t)}>
                      Flag {t.ownerName ?? t.email ?? 'the trainer'} for review
                    </button>
                  ) : (
                    t.accountStatus
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {p.refunds ? (
        <div className={css.facts}>
          <div>
            <h3>By council</h3>
            <ul aria-label="Refunds by council">
              {p.councils.map((c) => (
                <li key={c.councilId}>
                  {c.name}: {c.refunds} of {c.purchases} purchases
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>By how new the trainer was</h3>
            <ul aria-label="Refunds by tenure">
              {p.tenure.map((t) => (
                <li key={t.band}>
                  {TENURE[t.band]}: {t.refunds}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>What they wrote</h3>
            <ul aria-label="Refund reasons">
              {p.reasons.map((r) => (
                <li key={r.reason}>
                  “{r.reason}” ×{r.count}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </>
  );
}
