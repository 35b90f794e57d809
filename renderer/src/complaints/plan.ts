// The findings' plan in the operator's words (spec 2.5, playbooks 2 and 4):
// the steps the server's findings carry, each once and in their order, as the
// dossier lists them before "Do what the findings say" runs them; the payment
// an activation planned without one takes from the dossier read after the
// steps before it; and the close form's log line from the steps taken.
import type { Dossier, FindingAction, QueueCheckAnswer } from '../../../shared/api/investigation.ts';
import { formatAud, formatMelbourneDate } from '../ui/format.ts';

export type { FindingAction };
export type EmailTemplate = Extract<FindingAction, { kind: 'email' }>['template'];

export const EMAILED: Record<EmailTemplate, string> = {
  queue_position_reply: 'the queue position and its ETA',
  search_help: 'what to complete and what to search for',
  featured_activated: 'that the placement is active',
};

/** A step taken for the complaint: its key (so the plan does not offer an email or a check again), its words for the log line, and the cause it shows. */
export interface Taken {
  key: string;
  phrase: string;
  cause?: string;
}

export const stepKey = (a: FindingAction) => (a.kind === 'activate' ? `activate:${a.paymentId ?? ''}` : a.kind === 'email' ? `email:${a.template}` : a.kind);

/**
 * The findings' steps in their order, each once, less an email or a queue
 * check already taken for this complaint (the dossier read again still says
 * the trainer waits; they are not told twice). A recovery or an activation
 * that is done leaves the findings by itself.
 */
export function planOf(d: Dossier, taken: readonly Taken[] = []): FindingAction[] {
  const seen = new Set(taken.map((t) => t.key).filter((k) => !k.startsWith('activate:') && k !== 'recover'));
  const out: FindingAction[] = [];
  for (const f of d.findings) {
    for (const a of f.actions ?? []) {
      const k = stepKey(a);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(a);
    }
  }
  return out;
}

const ACTIVATION_EMAILS = '(this emails the trainer that it is active)';

/** A step as the dossier lists it before the click. */
export function stepWords(a: FindingAction, d: Dossier): string {
  switch (a.kind) {
    case 'recover':
      return 'Recover the charges Stripe took that no webhook recorded (the missed-webhook sweep)';
    case 'activate': {
      if (!a.paymentId) return `Activate the placement of the recovered payment ${ACTIVATION_EMAILS}`;
      const p = d.payments.find((x) => x.id === a.paymentId);
      return `Activate the placement ${p ? `of the ${formatAud(p.amountCents)} paid ${formatMelbourneDate(p.paidAt)} ` : ''}${ACTIVATION_EMAILS}`;
    }
    case 'email': {
      const what = a.template === 'queue_position_reply' && d.queue ? `the queue position (#${d.queue.position}) and its ETA` : EMAILED[a.template];
      return `Email ${d.business.ownerEmail ?? 'the trainer'} ${what}`;
    }
    case 'check_queue':
      return `Check the order of the ${d.business.councilName} queue (the run stops here unless it is in payment order)`;
  }
}

/** The payment an activation planned without one takes: the first the fresh dossier's findings say to activate that no later step names. */
export function activationOf(d: Dossier, later: readonly FindingAction[]): string | null {
  const named = new Set(later.flatMap((a) => (a.kind === 'activate' && a.paymentId ? [a.paymentId] : [])));
  for (const f of d.findings) for (const a of f.actions ?? []) if (a.kind === 'activate' && a.paymentId && !named.has(a.paymentId)) return a.paymentId;
  return null;
}

/** Why the fresh dossier names nothing to activate: already featured (the step is skipped), or what stops the run. */
export function nothingToActivate(d: Dossier): { skip: string } | { stop: string } {
  if (d.featured) return { skip: `nothing to activate: featured until ${formatMelbourneDate(d.featured.until)}` };
  if (d.unrecorded.some((c) => c.status === 'succeeded'))
    return { stop: "Stripe's charge is still not recorded here after the sweep (Stripe's search can lag a minute): try again shortly" };
  if (d.queue && d.queue.position > 0) return { stop: `the purchase waits at position #${d.queue.position}: activating it would jump the queue` };
  return { stop: 'the dossier read after the steps before it names no payment to activate' };
}

/** The log line's words for each step taken. */
export const taken = {
  recover: (applied: number, d: Dossier): Taken =>
    applied > 0 && d.unrecorded.length > 0
      ? { key: 'recover', phrase: 'recovered the charge from Stripe', cause: 'Webhook missed' }
      : { key: 'recover', phrase: `ran the missed-webhook sweep (${applied} event${applied === 1 ? '' : 's'} applied)` },
  activate: (paymentId: string): Taken => ({
    key: `activate:${paymentId}`,
    phrase: 'activated the placement, emailed the trainer that it is active',
  }),
  email: (template: EmailTemplate, d: Dossier): Taken => ({
    key: `email:${template}`,
    phrase:
      template === 'queue_position_reply'
        ? d.queue
          ? d.queue.position === 0
            ? 'emailed that a slot is free for the purchase'
            : `emailed the position #${d.queue.position} and its ETA`
          : 'emailed the queue position and its ETA'
        : template === 'search_help'
          ? d.search.visible
            ? `emailed the search help (search for ${d.search.criteria})`
            : `emailed the search help: not shown because ${d.search.reason}`
          : 'emailed the trainer that the placement is active',
  }),
  checkQueue: (q: QueueCheckAnswer): Taken => ({
    key: 'check_queue',
    phrase:
      q.outcome === 'in_order'
        ? 'checked the queue order (in payment order)'
        : q.outcome === 'out_of_order'
          ? 'checked the queue order (out of order: escalated as a RED alert)'
          : `checked the queue order (no council ${q.council})`,
  }),
  other: (key: string, phrase: string): Taken => ({ key, phrase }),
};

/** "Webhook missed: recovered the charge from Stripe, activated the placement, emailed the trainer that it is active." */
export function logLineOf(steps: readonly Taken[]): string {
  const phrases = [...new Set(steps.map((t) => t.phrase))];
  if (!phrases.length) return '';
  const causes = [...new Set(steps.flatMap((t) => (t.cause ? [t.cause] : [])))];
  const line = `${causes.length ? `${causes.join('; ')}: ` : ''}${phrases.join(', ')}`;
  return `${line.charAt(0).toUpperCase()}${line.slice(1)}.`;
}
