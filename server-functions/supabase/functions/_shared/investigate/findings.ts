// What a dossier's facts add up to, in the spec's words (2.5's root causes,
// playbooks 2 and 4), each naming the action that answers it, and, where no
// judgement is needed, the same action as steps the console can take in one
// click ("Do what the findings say"). Pure: the console shows these sentences
// above the facts they come from.
import type { Dossier, FindingAction } from '../../../../../shared/api/investigation.ts';
import { formatAud } from '../../../../../shared/money.ts';
import { when } from '../operator/versioned.ts';

type Finding = Dossier['findings'][number];
const day = new Intl.DateTimeFormat('en-AU', { timeZone: 'Australia/Melbourne', day: 'numeric', month: 'long', year: 'numeric' });
const onDay = (d: string | null) => (d ? day.format(new Date(d)) : 'an unknown date');

export function findingsOf(d: Omit<Dossier, 'findings'>): Finding[] {
  const out: Finding[] = [];
  const problem = (text: string, actions: FindingAction[] = []) => out.push({ severity: 'problem', text, actions });
  const info = (text: string, actions: FindingAction[] = []) => out.push({ severity: 'info', text, actions });
  // Activating queues the trainer's featured_activated email itself (public.start_placement): no email step follows it, or the trainer would get it twice.
  const activate = (paymentId?: string): FindingAction => (paymentId ? { kind: 'activate', paymentId } : { kind: 'activate' });

  for (const c of d.unrecorded) {
    if (c.status !== 'succeeded') continue;
    problem(
      `Stripe took ${formatAud(c.amountCents)} on ${when(c.createdAt)} (${c.chargeId}) but no webhook recorded it: the webhook missed this charge (playbook 2). Recover it from Stripe, then activate the placement.`,
      // The recovered payment's id is known only after the sweep: the activation takes the one the dossier read then says to activate.
      [{ kind: 'recover' }, activate()],
    );
  }
  for (const p of d.payments) {
    const ref = p.chargeId ?? p.paymentIntentId ?? p.id;
    if (p.stripeError) problem(`${ref}: ${p.stripeError}.`);
    else if (p.status === 'succeeded' && p.stripe === null && (p.chargeId || p.paymentIntentId)) {
      problem(`${ref} is recorded as paid (${formatAud(p.amountCents)}) but Stripe has no such charge: run the reconciliation and mark it failed.`);
    } else if (p.status === 'succeeded' && p.stripe?.refunded) {
      problem(`${ref} is recorded as paid but Stripe shows it refunded: run the reconciliation; the sweep brings the refund in.`);
    }
    if (p.standing === 'orphaned') {
      problem(`${ref} (${formatAud(p.amountCents)}, paid ${when(p.paidAt)}) succeeded but has no placement and no queue entry. Activate the placement.`, [
        activate(p.id),
      ]);
    }
    if (p.standing === 'held') info(`${ref} was a second purchase while one was running: held back, with a refund request filed for it.`);
  }
  if (d.featured) info(`Featured now, until ${onDay(d.featured.until)}.`);
  if (d.queue) {
    const q = d.queue;
    if (q.position === 0) {
      problem(
        `A featured slot is free for the purchase paid ${when(q.paidAt)} (${q.activeInCouncil} of ${q.slots} slots in ${d.business.councilName} taken): activate the placement now rather than wait for the promoter.`,
        [activate(q.paymentId)],
      );
    } else {
      info(
        `Waiting at position #${q.position} in the ${d.business.councilName} queue (paid ${when(q.paidAt)}; ${q.activeInCouncil} of ${q.slots} slots taken, ${q.waitingInCouncil} waiting). Estimated start ${onDay(q.eta)}, from the current expiries: email the trainer the position and ETA, after checking the queue order.`,
        [{ kind: 'check_queue' }, { kind: 'email', template: 'queue_position_reply' }],
      );
    }
  } else if (!d.featured && d.payments.every((p) => p.standing !== 'orphaned') && d.unrecorded.length === 0) {
    info('No purchase is featured or waiting.');
  }
  if (d.search.visible) info(`Shown in search: try ${d.search.criteria}.`);
  else {
    // A deleted or suspended business needs the operator's explanation; an incomplete profile, the search help.
    const incomplete = !d.business.deleted && d.business.status === 'active';
    const next = d.business.deleted
      ? 'explain, and offer to restore it'
      : !incomplete
        ? 'explain why it is suspended'
        : 'tell the trainer to complete the profile (email them the search help)';
    problem(`Not shown in search because ${d.search.reason}: ${next}.`, incomplete ? [{ kind: 'email', template: 'search_help' }] : []);
  }
  // A rejection is the operator's to judge (the AI's mistake, an operator's, or a real one): no step.
  const rejected = d.reviews.filter((r) => r.status === 'rejected');
  if (rejected.length) {
    info(
      `${rejected.length} rejected review${rejected.length === 1 ? '' : 's'}: read ${rejected.length === 1 ? 'it' : 'each'} and ${rejected.length === 1 ? 'its' : 'their'} moderation history. Approve a mistake (the AI's or an operator's) on appeal; confirm a real rejection; a trainer's dispute goes to the product team.`,
    );
  }
  if (d.business.accountStatus === 'flagged_for_review')
    info(`The owner's account is flagged for review: ${d.business.flaggedReason ?? 'no reason recorded'}.`);
  return out;
}
