// The incident report in the spec's fields, pre-filled from the timeline
// (the server's suggestion) until a draft is saved, then from the draft.
// A draft is saved at the run's version; finishing makes it final (asked
// once more: a final report is append-only), after which the fields are
// read-only and the archived text and PDF can be saved with their SHA-256.
import { useId, useState } from 'react';
import { REPORT_FIELDS, ReportFields, type PlaybookRun, type ReportField } from '../../../shared/api/playbooks.ts';
import { Badge } from '../ui/Badge.tsx';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import { PreviewButton } from './parts.tsx';
import css from './playbooks.module.css';

const LABELS: Record<ReportField, string> = {
  rootCause: 'Root cause',
  detection: 'Detection',
  response: 'Response',
  resolution: 'Resolution',
  userImpact: 'User impact',
  costImpact: 'Cost impact',
};

type Form = Record<'title' | 'startedAt' | 'resolvedAt' | ReportField, string>;

/** The saved draft when there is one, else the server's suggestion. */
function initial(run: PlaybookRun): Form {
  const saved = run.status === 'final' || REPORT_FIELDS.some((k) => run.report[k] !== null);
  const from = saved ? run.report : run.suggested;
  const form = { title: from.title, startedAt: from.startedAt, resolvedAt: from.resolvedAt ?? '' } as Form;
  for (const k of REPORT_FIELDS) form[k] = from[k] ?? '';
  return form;
}

export interface ReportFormProps {
  run: PlaybookRun;
  busy: boolean;
  save(fields: ReportFields): void;
  finish(fields: ReportFields): void;
  exportFile(format: 'txt' | 'pdf'): void;
}

export function ReportForm({ run, busy, save, finish, exportFile }: ReportFormProps) {
  // Only what the operator typed is kept here: every other field follows the run as it is read again, so a step recorded
  // after the form first rendered (which does not change the run's version, the form's key) still shows in the
  // pre-filled response and end. Saving a draft bumps the version: the form starts again from the saved fields.
  const [edits, setEdits] = useState<Partial<Form>>({});
  const form: Form = { ...initial(run), ...edits };
  const [invalid, setInvalid] = useState<string | null>(null);
  const id = useId();
  const final = run.status === 'final';
  const checked = (then: (f: ReportFields) => void) => () => {
    const r = ReportFields.safeParse({ ...form, resolvedAt: form.resolvedAt.trim() || null });
    if (!r.success) {
      const issue = r.error.issues[0]!;
      return setInvalid(`${fieldName(String(issue.path[0]))} ${issue.message}`);
    }
    setInvalid(null);
    then(r.data);
  };
  const field = (k: keyof Form, label: string, area = false, wide = false) => (
    <label htmlFor={`${id}-${k}`} className={wide ? css.wide : undefined}>
      {label}
      {area ? (
        <textarea id={`${id}-${k}`} value={form[k]} readOnly={final} maxLength={4000} onChange={(e) => setEdits({ ...edits, [k]: e.target.value })} />
      ) : (
        <input id={`${id}-${k}`} value={form[k]} readOnly={final} onChange={(e) => setEdits({ ...edits, [k]: e.target.value })} />
      )}
    </label>
  );
  return (
    <>
      <p>
        {final ? <Badge tone="GREEN">Final</Badge> : <Badge tone="YELLOW">Draft</Badge>}{' '}
        {final ? 'Final: append-only, archived as text and PDF.' : 'Pre-filled from the timeline above: correct it, save a draft, then finish it.'}
      </p>
      <form aria-label="Incident report" className={css.form} onSubmit={(e) => e.preventDefault()}>
        {field('title', 'Title', false, true)}
        {field('startedAt', 'Start (ISO time)')}
        {field('resolvedAt', 'End (ISO time; empty while unresolved)')}
        {REPORT_FIELDS.map((k) => field(k, LABELS[k], true))}
      </form>
      <p className="muted">
        Start <Time at={form.startedAt || null} />, end <Time at={form.resolvedAt || null} /> (Melbourne time).
      </p>
      <StatusNote text={invalid} />
      {final ? (
        <Files run={run} exportFile={exportFile} />
      ) : (
        <div className={css.actions}>
          <button type="button" disabled={busy} onClick={checked(save)}>
            Save draft
          </button>
          <PreviewButton
            label="Finish the report"
            title="Finish the incident report?"
            text="Finishing makes the report final: it can no longer be edited, and it is archived as text and PDF. Finish?"
            confirm="Finish"
            primary
            disabled={busy}
            onConfirm={checked(finish)}
          />
        </div>
      )}
    </>
  );
}

const fieldName = (k: string) => (k === 'title' ? 'Title' : k === 'startedAt' ? 'Start' : k === 'resolvedAt' ? 'End' : (LABELS[k as ReportField] ?? k));

function Files({ run, exportFile }: Pick<ReportFormProps, 'run' | 'exportFile'>) {
  return (
    <>
      <div className={css.actions}>
        <button type="button" onClick={() => exportFile('txt')}>
          Export as text
        </button>
        <button type="button" onClick={() => exportFile('pdf')}>
          Export as PDF
        </button>
      </div>
      {run.files ? (
        <dl className={css.facts} aria-label="Archived files">
          <dt>{run.files.textName}</dt>
          <dd className={css.sha}>SHA-256 {run.files.textSha256}</dd>
          <dt>{run.files.pdfName}</dt>
          <dd className={css.sha}>SHA-256 {run.files.pdfSha256}</dd>
        </dl>
      ) : null}
    </>
  );
}
