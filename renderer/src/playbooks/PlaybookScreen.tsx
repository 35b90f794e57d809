// A playbook run (spec Part 4), in the order the operator works it: the
// evidence now (read live, with when; the last read kept and said so when
// offline), the steps in the spec's order with the one action each needs,
// the timeline so far, and the incident report pre-filled from it. With no
// run open, the five playbooks to open by name.
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { PLAYBOOK, PLAYBOOKS, type PlaybookEvidence } from '../../../shared/api/playbooks.ts';
import type { Stores } from '../app/stores.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatMelbourne } from '../ui/format.ts';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import { CronSummary, cronPanels } from './cron.tsx';
import { exportIncident, openPlaybook } from './open.ts';
import { SkipDialog, StepItem } from './parts.tsx';
import css from './playbooks.module.css';
import { ReportForm } from './ReportForm.tsx';
import type { PlaybooksState } from './store.ts';
import { Timeline } from './Timeline.tsx';
import { WebhookSummary, webhookPanels } from './webhook.tsx';
import { queuePanels, refundPanels } from './wrapped.tsx';
import { ZaiSummary, zaiPanels } from './zai.tsx';

export function PlaybookScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.playbooks);
  const e = s.evidence;
  if (!s.incidentId || !e) return <NoRun stores={stores} s={s} />;
  const run = e.run;
  const def = PLAYBOOK[run.playbook];
  const locked = run.status === 'final';
  const panels = panelsFor(e, s, locked, stores);
  const skipping = def.steps.find((x) => x.id === s.skipping);
  return (
    <>
      <h1>
        Playbook {def.section}: {def.title}
      </h1>
      <p>
        <Badge tone={def.severity}>{def.severity}</Badge> {locked ? <Badge tone="GREEN">Final</Badge> : <Badge tone="YELLOW">Draft</Badge>} Opened{' '}
        <Time at={run.openedAt} />.{' '}
        <button
          type="button"
          onClick={() =>
            stores.escalations.getState().start({ kind: 'playbook', id: run.incidentId }, `the ${def.title} playbook run: its findings, timeline and report`)
          }
        >
          Escalate…
        </button>
      </p>
      <StatusNote text={s.error ?? s.done} />
      <section className={css.panel} aria-labelledby="evidence-h">
        <h2 id="evidence-h">Evidence now</h2>
        {s.readError ? (
          <p role="alert">
            Needs a connection — showing the last evidence read at {formatMelbourne(e.readAt)}. ({s.readError})
          </p>
        ) : null}
        <p className="muted">
          Read at <Time at={e.readAt} />.{' '}
          <button type="button" onClick={() => void s.load()} disabled={s.reading}>
            {s.reading ? 'Reading…' : 'Refresh'}
          </button>
        </p>
        <Summary e={e} />
      </section>
      <section aria-labelledby="steps-h">
        <h2 id="steps-h">Steps</h2>
        <ol className={css.steps}>
          {def.steps.map((step) => (
            <StepItem
              key={step.id}
              title={step.title}
              state={run.steps.find((x) => x.id === step.id)}
              waiting={s.waiting[step.id]}
              locked={locked || step.id === 'report'}
              skip={() => s.askSkip(step.id)}
            >
              {step.id === 'report' ? (
                <p>{locked ? 'The report is final: see below.' : 'The report below is pre-filled from the timeline.'}</p>
              ) : (
                panels[step.id]
              )}
            </StepItem>
          ))}
        </ol>
      </section>
      <section className={css.panel} aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <Timeline events={run.timeline} />
      </section>
      <section className={css.panel} aria-labelledby="report-h">
        <h2 id="report-h">Incident report</h2>
        <ReportForm
          key={`${run.incidentId}:${run.version}:${run.status}`}
          run={run}
          busy={s.busy}
          save={(f) => void s.saveReport(f)}
          finish={(f) => void s.finishReport(f)}
          exportFile={(format) => void exportIncident(stores, run.incidentId, format)}
        />
      </section>
      {skipping ? <SkipDialog title={skipping.title} busy={s.busy} skip={(reason) => void s.skip(reason)} close={() => s.askSkip(null)} /> : null}
    </>
  );
}

function Summary({ e }: { e: PlaybookEvidence }) {
  const f = e.facts;
  switch (f.playbook) {
    case 'zai_down':
      return <ZaiSummary facts={f} />;
    case 'webhook_failed':
      return <WebhookSummary facts={f} />;
    case 'cron_failed':
      return <CronSummary facts={f} />;
    case 'queue_dispute':
      return <p>The queue data and its order are read in the steps below, from the live records.</p>;
    case 'refund_rate':
      return <p>The refund pattern of the last 7 days is read in step 1, from the live refunds.</p>;
  }
}

function panelsFor(e: PlaybookEvidence, s: PlaybooksState, locked: boolean, stores: Stores): Record<string, ReactNode> {
  const f = e.facts;
  const common = { s, run: e.run, locked };
  switch (f.playbook) {
    case 'zai_down':
      return zaiPanels({ ...common, facts: f });
    case 'webhook_failed':
      return webhookPanels({ ...common, facts: f });
    case 'cron_failed':
      return cronPanels({ ...common, facts: f });
    case 'queue_dispute':
      return queuePanels({ ...common, facts: f }, () => {
        stores.nav.getState().go('investigate');
        // Opened from a complaint: the dossier with that complaint beside it (its close form), as Investigate opens it.
        const complaints = stores.complaints.getState();
        const c = e.run.signal.kind === 'complaint' ? complaints.complaints.find((x) => x.id === e.run.signal.id) : undefined;
        if (c) void complaints.open(c);
        else if (f.businessId) void complaints.investigate(f.businessId);
      });
    case 'refund_rate':
      return refundPanels({ ...common, facts: f }, stores.refundPattern);
  }
}

/** No run on screen: still reading it, or none opened; the five playbooks by name. */
function NoRun({ stores, s }: { stores: Stores; s: PlaybooksState }) {
  return (
    <>
      <h1>Playbook</h1>
      <StatusNote text={s.readError ?? s.error ?? (s.incidentId ? 'Reading the evidence…' : null)} />
      <p>A playbook opens from its alert, a complaint of its kind, or here by name; opening one again resumes its open run.</p>
      <ul>
        {PLAYBOOKS.map((k) => (
          <li key={k}>
            <button type="button" disabled={s.busy} onClick={() => void openPlaybook(stores, k, { kind: 'palette', id: null })}>
              Open playbook: {PLAYBOOK[k].title}
            </button>{' '}
            <span className="muted">(spec {PLAYBOOK[k].section})</span>
          </li>
        ))}
      </ul>
    </>
  );
}
