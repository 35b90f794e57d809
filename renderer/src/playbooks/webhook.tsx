// Playbook 4.2, Stripe webhook failed: every charge paid with no placement
// (not only the one complained about) with Stripe's state for each, the
// placement created for each (previewed), the sweep for charges we never
// recorded, the trainers emailed, and the webhook endpoint tested now.
import type { WebhookEvidence } from '../../../shared/api/playbooks.ts';
import { plural } from '../../../shared/words.ts';
import { formatAud, formatMelbourne } from '../ui/format.ts';
import { Time } from '../ui/Time.tsx';
import { MarkDone, type PanelProps, PreviewButton } from './parts.tsx';
import css from './playbooks.module.css';

type Facts = WebhookEvidence;
type P = PanelProps<Facts>;

export function WebhookSummary({ facts: f }: { facts: Facts }) {
  return (
    <p>
      {plural(f.orphans.length, 'charge')} paid with no placement ({f.last24h} in the last 24 h); {plural(f.webhookFailuresLastHour, 'webhook failure')} in the
      last hour; {plural(f.activated.length, 'placement')} activated in this run.
    </p>
  );
}

export const webhookPanels = (p: P) => ({
  verify: <Verify {...p} />,
  activate: <Activate {...p} />,
  stripe: <StripeState {...p} />,
  email: <Email {...p} />,
  investigate: <Investigate {...p} />,
});

function Charges({ f, caption }: { f: Facts; caption: string }) {
  if (!f.orphans.length) return <p>No charge is without its placement.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Business</th>
          <th scope="col">Amount</th>
          <th scope="col">Paid at</th>
          <th scope="col">Stripe state</th>
        </tr>
      </thead>
      <tbody>
        {f.orphans.map((o) => (
          <tr key={o.paymentId}>
            <td>{o.businessName}</td>
            <td>{formatAud(o.amountCents)}</td>
            <td>
              <Time at={o.paidAt} />
            </td>
            <td>{o.stripeStatus ?? `not known (${o.stripeError ?? 'Stripe not asked'})`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Verify({ s, facts: f, locked }: P) {
  return (
    <>
      <Charges f={f} caption="Charges without their placement" />
      <div className={css.actions}>
        <MarkDone
          label="Mark as verified"
          disabled={s.busy || locked}
          onClick={() => void s.complete('verify', `${plural(f.orphans.length, 'charge')} without a placement, ${f.last24h} in the last 24 h`)}
        />
      </div>
    </>
  );
}

function Activate({ s, facts: f, locked }: P) {
  if (!f.orphans.length) return <p>Every paid charge has its placement{f.activated.length ? ` (${f.activated.length} activated here)` : ''}.</p>;
  return (
    <div className={css.actions}>
      {f.orphans.map((o) => (
        <PreviewButton
          key={o.paymentId}
          label={`Activate ${o.businessName}`}
          title={`Activate ${o.businessName}?`}
          text={`This creates the featured placement ${o.businessName} paid ${formatAud(o.amountCents)} for on ${formatMelbourne(o.paidAt)}. Activate?`}
          confirm="Activate"
          primary
          disabled={s.busy || locked}
          onConfirm={() => void s.activate(o.paymentId, o.businessName)}
        />
      ))}
    </div>
  );
}

function StripeState({ s, facts: f, locked }: P) {
  return (
    <>
      <Charges f={f} caption="Stripe's state of each charge without its placement" />
      <p className="muted">Charges Stripe took that no webhook recorded here are found and applied by the sweep.</p>
      <div className={css.actions}>
        <button type="button" disabled={s.busy || locked} onClick={() => void s.recoverPayments()}>
          Recover missed charges from Stripe
        </button>
      </div>
    </>
  );
}

function Email({ s, facts: f, locked }: P) {
  if (!f.activated.length) return <p>No placement activated in this run yet.</p>;
  // Activating queues the trainer's activation email itself (activate_paid_payment), so usually every trainer is
  // already emailed here and no "Email …" button is left: the step is then recorded done with what was sent
  // (the e2e test found the step left with only "Skip…").
  const allEmailed = f.activated.every((a) => a.emailed);
  return (
    <>
      <ul>
        {f.activated.map((a) => (
          <li key={a.paymentId}>
            {a.businessName}: featured until {formatMelbourne(a.featuredUntil)}.{' '}
            {a.emailed ? (
              'Emailed that it is active.'
            ) : (
              <button
                type="button"
                disabled={s.busy || locked}
                onClick={() => void s.emailTrainer('email', a.businessId, 'featured_activated', `Emailed ${a.businessName} that the placement is active`)}
              >
                Email {a.businessName}
              </button>
            )}
          </li>
        ))}
      </ul>
      {allEmailed ? (
        <div className={css.actions}>
          <MarkDone
            label="Mark as emailed"
            disabled={s.busy || locked}
            onClick={() =>
              void s.complete('email', `Activation email queued for ${f.activated.map((a) => a.businessName).join(', ')} when the placement was activated`)
            }
          />
        </div>
      ) : null}
    </>
  );
}

function Investigate({ s, facts: f, locked }: P) {
  const recent = f.orphans.filter((o) => Date.parse(o.paidAt) > Date.now() - 24 * 3600_000);
  const h = s.health;
  return (
    <>
      <p>Other charges in the last 24 h: {f.last24h}</p>
      {recent.length ? (
        <ul aria-label="Charges without their placement in the last 24 h">
          {recent.map((o) => (
            <li key={o.paymentId}>
              {o.businessName}, {formatAud(o.amountCents)}, paid <Time at={o.paidAt} />
            </li>
          ))}
        </ul>
      ) : null}
      <div className={css.actions}>
        <button type="button" disabled={s.busy || locked} onClick={() => void s.testWebhook()}>
          Test the webhook now
        </button>
        <MarkDone
          label="Mark as checked"
          disabled={s.busy || locked}
          onClick={() =>
            void s.complete('investigate', `${f.last24h} other charges in the last 24 h${h ? `; webhook answered ${h.status} in ${h.ms} ms` : ''}`)
          }
        />
      </div>
      {h ? (
        <dl className={css.facts} aria-label="Webhook test">
          <dt>Status</dt>
          <dd>
            {h.status} {h.ok ? '(healthy)' : '(failing)'}
          </dd>
          <dt>Time</dt>
          <dd>{h.ms} ms</dd>
          <dt>Answer</dt>
          <dd>{h.answer}</dd>
          <dt>Tested</dt>
          <dd>
            <Time at={h.at} />
          </dd>
        </dl>
      ) : null}
    </>
  );
}
