// Playbook 4.1, Z.AI down: how long it has been failing (the AI health
// records), step 1's decision tree as the server applied it, the switch
// (previewed), the four fallback cases run live, the message to the product
// team written from the facts, and recovery seen by the probe with the
// switch back offered.
import { useId, useState } from 'react';
import type { ZaiEvidence } from '../../../shared/api/playbooks.ts';
import { formatMelbourne } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import { MarkDone, type PanelProps, PreviewButton } from './parts.tsx';
import css from './playbooks.module.css';
import { TriageTable } from './TriageTable.tsx';

type P = PanelProps<ZaiEvidence>;
type Mode = ZaiEvidence['mode'];

const RECOMMENDATION: Record<ZaiEvidence['recommendation'], string> = {
  none: 'Z.AI is not failing now: nothing to switch.',
  wait: 'Failing under 5 minutes: wait, then re-test.',
  secondary: 'Failing 5 to 30 minutes: switch to secondary.',
  deterministic: 'Failing over 30 minutes: switch to deterministic.',
};
const MODE_WORDS: Record<Mode, string> = {
  z_ai: 'Z.AI answers emergency triage',
  secondary: 'the secondary provider answers emergency triage',
  deterministic: 'emergency triage answers from keyword rules, without AI',
};
const switchText = (from: Mode, to: Mode) => `This switches emergency triage from ${from} to ${to} for every visitor. Switch?`;
/** The mode step 2 switches to: the recommendation, or secondary when it says to wait. */
const target = (f: ZaiEvidence): Mode => (f.recommendation === 'deterministic' ? 'deterministic' : 'secondary');

export function ZaiSummary({ facts: f }: { facts: ZaiEvidence }) {
  return (
    <p>
      {f.failingSince
        ? `Z.AI has been failing for ${f.minutesFailing} minutes (since ${formatMelbourne(f.failingSince)}), ${f.failedCalls} failed calls.`
        : 'Z.AI is not failing now.'}{' '}
      {/* 'none' would say "Z.AI is not failing now" a second time. */}
      Mode now: {f.mode}. {f.recommendation === 'none' ? '' : RECOMMENDATION[f.recommendation]} {f.recovered ? 'Z.AI answers again.' : ''}
    </p>
  );
}

export const zaiPanels = (p: P) => ({
  confirm: <Confirm {...p} />,
  switch: <Switch {...p} />,
  test: <TestCases {...p} />,
  notify: <Notify {...p} />,
  recover: <Recover {...p} />,
});

function Confirm({ s, facts: f, locked }: P) {
  const probe = s.probe;
  return (
    <>
      <dl className={css.facts}>
        <dt>Failing for</dt>
        <dd>{f.failingSince ? `${f.minutesFailing} minutes, since ${formatMelbourne(f.failingSince)}` : 'not failing'}</dd>
        <dt>Failed calls</dt>
        <dd>{f.failedCalls}</dd>
        <dt>Last error</dt>
        <dd>{f.lastError ?? 'none'}</dd>
        <dt>Recommendation</dt>
        <dd>{RECOMMENDATION[f.recommendation]}</dd>
      </dl>
      {probe ? (
        <p>
          Re-tested <Time at={probe.at} />: {probe.ok ? `Z.AI answered well in ${probe.latencyMs ?? '?'} ms.` : `Z.AI failed: ${probe.error ?? 'no answer'}.`}
        </p>
      ) : null}
      <div className={css.actions}>
        <button type="button" disabled={s.busy || locked} onClick={() => void s.probeZai()}>
          Re-test Z.AI now
        </button>
        <MarkDone
          label="Mark as confirmed"
          disabled={s.busy || locked}
          onClick={() => void s.complete('confirm', `Failing ${f.minutesFailing} minutes, ${f.failedCalls} failed calls: ${RECOMMENDATION[f.recommendation]}`)}
        />
      </div>
    </>
  );
}

function Switch({ s, facts: f, run, locked }: P) {
  const to = target(f);
  // Once the step is recorded it offers nothing more: after step 5's switch back the mode is z_ai again, and the
  // e2e test saw this step, done, offering "Switch to secondary" (and "Mark as switched" recorded twice).
  const todo = (run.steps.find((x) => x.id === 'switch')?.status ?? 'todo') === 'todo' && !s.waiting.switch;
  if (f.mode !== 'z_ai' || !todo) {
    return (
      <>
        <p>
          Emergency triage runs in {f.mode} mode now: {MODE_WORDS[f.mode]}.
        </p>
        {todo ? <MarkDone label="Mark as switched" disabled={s.busy || locked} onClick={() => void s.complete('switch', `Mode is ${f.mode}`)} /> : null}
      </>
    );
  }
  return (
    <div className={css.actions}>
      <PreviewButton
        label={`Switch to ${to}`}
        title="Switch the AI mode?"
        text={switchText(f.mode, to)}
        confirm="Switch"
        primary
        disabled={s.busy || locked}
        onConfirm={() => void s.switchMode('switch', to)}
      />
    </div>
  );
}

/** Said while the cases run: right after a switch the server first waits for every function instance to see it (up to 30 s). */
const RUNNING = 'Running the four cases… Right after a switch this waits up to 30 seconds, until every triage function answers in the new mode.';

function TestCases({ s, run, locked }: P) {
  const [running, setRunning] = useState(false);
  // The store keeps the latest check only: after step 5's switch back it is the z_ai re-run, shown in step 5.
  const switchedBack = run.steps.find((x) => x.id === 'recover')?.status === 'done' || s.waiting.recover !== undefined;
  return (
    <>
      <p className="muted">The spec's four cases, sent now through the live emergency-triage function in the current mode.</p>
      <div className={css.actions}>
        <button
          type="button"
          disabled={s.busy || locked}
          onClick={async () => {
            setRunning(true);
            await s.runTriage('test');
            setRunning(false);
          }}
        >
          Run the four test cases
        </button>
      </div>
      <p role="status">{running ? RUNNING : null}</p>
      {s.triage && !switchedBack ? <TriageTable check={s.triage} /> : null}
    </>
  );
}

/** The message, written from the facts, editable; "Mark as told" keeps it in the timeline. */
function Notify({ s, facts: f, run, locked }: P) {
  const id = useId();
  // Written from the facts as they are now (the panel is on screen before step 2's switch, so a text fixed at
  // first render said "now runs in z_ai mode" after the switch: found by the e2e test) until the operator edits it.
  const [edited, setMessage] = useState<string | null>(null);
  const message =
    edited ??
    (f.failingSince
      ? `Z.AI has been failing since ${formatMelbourne(f.failingSince)} (${f.minutesFailing} minutes, ${f.failedCalls} failed calls` +
        `${f.lastError ? `; last error: ${f.lastError}` : ''}). `
      : 'Z.AI is not failing now. ') +
      `Emergency triage now runs in ${f.mode} mode: ${MODE_WORDS[f.mode]}. ` +
      'We will switch back when Z.AI answers well again and tell you then.';
  const state = run.steps.find((x) => x.id === 'notify');
  const told = state?.status === 'done' || s.waiting.notify !== undefined;
  // Told: the message sent is kept (the facts move on); shown again after a reload it is in the timeline.
  if (told && edited === null) {
    return (
      <p>
        Told the product team
        {state?.at ? (
          <>
            {' '}
            <Time at={state.at} />
          </>
        ) : null}
        : the message is in the timeline.
      </p>
    );
  }
  return (
    <>
      <label htmlFor={id}>Message to the product team</label>
      <textarea id={id} className={css.message} value={message} readOnly={told} maxLength={1000} onChange={(e) => setMessage(e.target.value)} />
      {told ? null : (
        <div className={css.actions}>
          <MarkDone
            label="Mark as told"
            disabled={s.busy || locked || !message.trim()}
            onClick={() => {
              setMessage(message); // kept as sent
              void s.complete('notify', message);
            }}
          />
        </div>
      )}
    </>
  );
}

function Recover({ s, facts: f, run, locked }: P) {
  const last = f.lastCheck;
  const switchedBack = run.steps.find((x) => x.id === 'recover')?.status === 'done' || s.waiting.recover !== undefined;
  const [running, setRunning] = useState(false);
  return (
    <>
      <p>
        Last check:{' '}
        {last ? (
          <>
            <Time at={last.at} />, {last.ok ? `answered well in ${last.latencyMs ?? '?'} ms` : `failed (${last.error ?? 'no answer'})`}.
          </>
        ) : (
          'none yet.'
        )}{' '}
        {f.mode === 'z_ai' ? '' : 'While the mode is not z_ai, a probe re-tests Z.AI at most every 5 minutes.'}
      </p>
      {f.recovered && f.mode !== 'z_ai' ? (
        <div className={css.actions}>
          <PreviewButton
            label="Z.AI answers again: switch back to z_ai"
            title="Switch back to Z.AI?"
            text={switchText(f.mode, 'z_ai')}
            confirm="Switch back"
            primary
            disabled={s.busy || locked}
            onConfirm={async () => {
              if (!(await s.switchMode('recover', 'z_ai'))) return;
              setRunning(true);
              await s.runTriage();
              setRunning(false);
            }}
          />
        </div>
      ) : null}
      <p role="status">{running ? RUNNING : null}</p>
      {s.triage && switchedBack ? <TriageTable check={s.triage} /> : null}
    </>
  );
}
