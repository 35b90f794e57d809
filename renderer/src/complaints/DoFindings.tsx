// "Do what the findings say" (spec 2.5, playbooks 2 and 4): the findings'
// steps listed in the operator's words before the click, then taken in order
// with one click, each shown as it goes; a refusal or an error stops the run
// at its step (the status line says which). Not offered under a legal freeze.
import type { Dossier } from '../../../shared/api/investigation.ts';
import { plural } from '../../../shared/words.ts';
import { Badge, type Tone } from '../ui/Badge.tsx';
import css from './complaints.module.css';
import { stepWords } from './plan.ts';
import type { ComplaintsState, StepState } from './store.ts';

const STATE: Record<StepState, [Tone, string]> = {
  waiting: ['NEUTRAL', 'Waiting'],
  running: ['YELLOW', 'Running'],
  done: ['GREEN', 'Done'],
  skipped: ['NEUTRAL', 'Skipped'],
  failed: ['RED', 'Failed'],
};

export function DoFindings({ d, s }: { d: Dossier; s: ComplaintsState }) {
  const run = s.run?.businessId === d.business.id ? s.run : null;
  const plan = run && !run.finished ? [] : s.plan();
  return (
    <>
      {run ? (
        <>
          <h4 id="run-h">{run.finished ? 'What the findings’ steps did' : 'Doing what the findings say…'}</h4>
          <ol className={css.steps} aria-labelledby="run-h">
            {run.steps.map((st, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the run's steps are fixed at the click, in order.
              <li key={i}>
                {st.words} <Badge tone={STATE[st.state][0]}>{STATE[st.state][1]}</Badge>
                {st.note ? ` ${st.note}` : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {plan.length ? (
        <>
          <h4 id="plan-h">What the findings say to do, in order</h4>
          <ol className={css.steps} aria-labelledby="plan-h">
            {plan.map((a) => (
              <li key={`${a.kind}-${'paymentId' in a ? a.paymentId : ''}-${'template' in a ? a.template : ''}`}>{stepWords(a, d)}</li>
            ))}
          </ol>
          <button type="button" className="primary" onClick={() => void s.doFindings()} disabled={s.busy}>
            Do what the findings say ({plural(plan.length, 'step')})
          </button>
        </>
      ) : null}
    </>
  );
}
