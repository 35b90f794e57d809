// Playbook 4.3, the daily job failed all its attempts: the error classed
// A (database timeout), B (lock timeout) or C (function unreachable, as the
// caller recorded it) with the spec's advice, the impact in numbers, Run now
// (previewed), what the run did, and when the next scheduled run is.
import type { CronEvidence } from '../../../shared/api/playbooks.ts';
import { formatMelbourne } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import { MarkDone, type PanelProps, PreviewButton } from './parts.tsx';
import css from './playbooks.module.css';

type P = PanelProps<CronEvidence>;

const CLASS: Record<CronEvidence['errorClass'], string> = {
  A: 'A: database timeout',
  B: 'B: lock timeout',
  C: 'C: function unreachable',
  unknown: 'not one of A, B or C',
};

export function CronSummary({ facts: f }: { facts: CronEvidence }) {
  return (
    <p>
      {f.lastFailure
        ? `The daily job failed all ${f.lastFailure.attempts} attempts at ${formatMelbourne(f.lastFailure.at)}; error class ${CLASS[f.errorClass]}.`
        : 'No failed run of the daily job.'}{' '}
      {f.impact.pastEnd} placements past their end, {f.impact.waiting} purchases waiting, {f.impact.promotable} could be promoted now.
    </p>
  );
}

export const cronPanels = (p: P) => ({
  error: <ErrorClass {...p} />,
  impact: <Impact {...p} />,
  run: <RunNow {...p} />,
  verify: <Verify {...p} />,
  next: <Next {...p} />,
});

function ErrorClass({ s, facts: f, locked }: P) {
  return (
    <>
      <dl className={css.facts}>
        <dt>Error</dt>
        <dd>{f.lastFailure?.error ?? 'none recorded'}</dd>
        <dt>Class</dt>
        <dd>{CLASS[f.errorClass]}</dd>
        <dt>Advice</dt>
        <dd>{f.advice}</dd>
      </dl>
      <div className={css.actions}>
        <MarkDone label="Mark as understood" disabled={s.busy || locked} onClick={() => void s.complete('error', `Class ${f.errorClass}: ${f.advice}`)} />
      </div>
    </>
  );
}

function Impact({ s, facts: f, locked }: P) {
  const words = `${f.impact.pastEnd} placements past their end not yet expired, ${f.impact.waiting} purchases waiting in the queue, ${f.impact.promotable} slots that could be promoted now`;
  return (
    <>
      <dl className={css.facts}>
        <dt>Placements past their end, not yet expired</dt>
        <dd>{f.impact.pastEnd}</dd>
        <dt>Purchases waiting in the queue</dt>
        <dd>{f.impact.waiting}</dd>
        <dt>Could be promoted now</dt>
        <dd>{f.impact.promotable}</dd>
      </dl>
      <div className={css.actions}>
        <MarkDone label="Mark as assessed" disabled={s.busy || locked} onClick={() => void s.complete('impact', words)} />
      </div>
    </>
  );
}

function RunNow({ s, facts: f, locked }: P) {
  return (
    <div className={css.actions}>
      <PreviewButton
        label="Run the daily job now"
        title="Run the daily job now?"
        text={`This runs the daily job now: it expires ${f.impact.pastEnd} placements past their end and promotes up to ${f.impact.promotable} from the queue. Run it?`}
        confirm="Run now"
        primary
        disabled={s.busy || locked}
        onConfirm={() => void s.runJob()}
      />
    </div>
  );
}

function Verify({ s, facts: f, locked }: P) {
  const v = f.verification;
  return (
    <>
      <dl className={css.facts}>
        <dt>Last successful run</dt>
        <dd>
          <Time at={v.lastSuccessAt} />
        </dd>
        <dt>Promoted today</dt>
        <dd>{v.promotedToday}</dd>
        <dt>New active placements today</dt>
        <dd>{v.newActiveToday}</dd>
      </dl>
      <div className={css.actions}>
        <MarkDone
          label="Mark as verified"
          disabled={s.busy || locked || !v.lastSuccessAt}
          onClick={() => void s.complete('verify', `Promoted today: ${v.promotedToday}; new active placements: ${v.newActiveToday}`)}
        />
      </div>
    </>
  );
}

function Next({ s, facts: f, locked }: P) {
  return (
    <>
      <p>
        Next scheduled run: <Time at={f.nextRunAt} />. The dashboard shows it the next day.
      </p>
      <div className={css.actions}>
        <MarkDone
          label="Mark as checked"
          disabled={s.busy || locked}
          onClick={() => void s.complete('next', `Next scheduled run ${formatMelbourne(f.nextRunAt)}`)}
        />
      </div>
    </>
  );
}
