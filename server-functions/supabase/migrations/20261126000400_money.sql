/**
  * -------------------------------------------------------
  * Dog Trainers Directory: money
  * -------------------------------------------------------
  * Stripe payments, the featured placements they buy, each council's FIFO
  * queue for when its slots are full, and raw Stripe events. Only the server
  * writes these (webhook, daily job, operator decisions, in later
  * migrations); trainers read their own rows, operators read all.
  * Refund requests live in the next migration.
 */

/**
  * -------------------------------------------------------
  * Section - Payment audit
  * -------------------------------------------------------
  * One row per Stripe payment for a featured placement: our side of the
  * weekly reconciliation with the Stripe dashboard.
 */
create table public.payment_audit
(
    id                         uuid primary key default gen_random_uuid(),
    business_id                uuid        not null references public.businesses (id),
    council_id                 text        not null references public.councils (id),
    stripe_payment_intent_id   text unique,
    stripe_charge_id           text unique,
    stripe_checkout_session_id text unique,
    amount_cents               integer     not null
        constraint payment_audit_amount_positive check (amount_cents > 0),
    currency                   text        not null default 'aud'
        constraint payment_audit_currency_code check (currency ~ '^[a-z]{3}$'),
    status                     text        not null default 'pending'
        constraint payment_audit_status_known check (status in ('succeeded', 'refunded', 'failed', 'pending')),
    paid_at                    timestamptz,
    refunded_at                timestamptz,
    stripe_refund_id           text unique,
    last_stripe_event_at       timestamptz,
    notes                      text,
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now(),
    -- Without a Stripe id we could never reconcile the row.
    constraint payment_audit_has_stripe_id check (coalesce(stripe_payment_intent_id, stripe_charge_id,
                                                           stripe_checkout_session_id) is not null),
    -- Money that moved always says when.
    constraint payment_audit_paid_has_time check (status not in ('succeeded', 'refunded') or paid_at is not null),
    constraint payment_audit_refund_has_time check ((status = 'refunded') = (refunded_at is not null))
);

comment on table public.payment_audit is 'Stripe payments for featured placements, one row per payment. Written only by the server (webhook, reconciliation, refunds).';
comment on column public.payment_audit.id is 'Payment id (ours).';
comment on column public.payment_audit.business_id is 'Business the placement was bought for.';
comment on column public.payment_audit.council_id is 'Council whose slot or queue the payment buys into.';
comment on column public.payment_audit.stripe_payment_intent_id is 'Stripe PaymentIntent id (pi_...).';
comment on column public.payment_audit.stripe_charge_id is 'Stripe Charge id (ch_...), refunded against.';
comment on column public.payment_audit.stripe_checkout_session_id is 'Stripe Checkout Session id (cs_...) that created the payment.';
comment on column public.payment_audit.amount_cents is 'Amount charged, in cents (2200 for $22.00).';
comment on column public.payment_audit.currency is 'Stripe lower-case currency code, aud.';
comment on column public.payment_audit.status is 'pending | succeeded | failed | refunded.';
comment on column public.payment_audit.paid_at is 'When Stripe says the charge succeeded: the purchase time for the refund window and the queue order.';
comment on column public.payment_audit.refunded_at is 'When the full refund was made; set exactly when status = refunded.';
comment on column public.payment_audit.stripe_refund_id is 'Stripe Refund id (re_...) once refunded.';
comment on column public.payment_audit.last_stripe_event_at is 'Stripe `created` time of the newest event applied to this row, so an older, late event never overwrites a newer state.';
comment on column public.payment_audit.notes is 'Operator/server notes, e.g. "webhook failed, reprocessed by reconciliation".';
comment on column public.payment_audit.created_at is 'When we first recorded the payment.';
comment on column public.payment_audit.updated_at is 'When the row last changed (set by trigger).';

create trigger payment_audit_touch_updated_at
    before update on public.payment_audit
    for each row execute function public.touch_updated_at();

-- Reconciliation (succeeded in the last 7 days) and refund-rate windows.
create index payment_audit_status_created_idx on public.payment_audit (status, created_at);
create index payment_audit_business_idx on public.payment_audit (business_id, created_at desc);
create index payment_audit_refunded_at_idx on public.payment_audit (refunded_at) where refunded_at is not null;

alter table public.payment_audit enable row level security;
revoke all on table public.payment_audit from public, anon, authenticated, service_role;
grant select on table public.payment_audit to authenticated;
grant all on table public.payment_audit to service_role;

-- The subquery runs under the trainer's own policies on businesses.
create policy "Trainers read payments for their businesses"
    on public.payment_audit for select
    to authenticated
    using (business_id in (select b.id from public.businesses b where b.owner_id = (select auth.uid())));

create policy "Operators read every payment"
    on public.payment_audit for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Featured placements
  * -------------------------------------------------------
  * A paid 30-day slot at the top of a council's search. At most
  * settings.featured_slots_per_council are active per council; the
  * promotion function (a later migration) enforces it under a lock.
 */
create table public.featured_placements
(
    id             uuid primary key default gen_random_uuid(),
    business_id    uuid        not null references public.businesses (id),
    council_id     text        not null references public.councils (id),
    payment_id     uuid        not null unique references public.payment_audit (id),
    status         text        not null default 'active'
        constraint featured_placements_status_known check (status in ('active', 'expired', 'refunded')),
    featured_from  timestamptz not null,
    featured_until timestamptz not null,
    refund_status  text
        constraint featured_placements_refund_status_known check (refund_status in ('pending', 'refunded')),
    refunded_at    timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint featured_placements_period_forward check (featured_until > featured_from),
    constraint featured_placements_refunded_is_complete check (
        (status = 'refunded') = (refund_status = 'refunded' and refunded_at is not null))
);

comment on table public.featured_placements is 'Featured placements: a business featured first in its council''s search from featured_from to featured_until. Written only by the server.';
comment on column public.featured_placements.id is 'Placement id.';
comment on column public.featured_placements.business_id is 'Featured business.';
comment on column public.featured_placements.council_id is 'Council whose slot it occupies.';
comment on column public.featured_placements.payment_id is 'The payment that bought it (one placement per payment).';
comment on column public.featured_placements.status is 'active | expired | refunded. Only active placements hold a slot.';
comment on column public.featured_placements.featured_from is 'Start of the featured period (payment time, or promotion time when it came from the queue).';
comment on column public.featured_placements.featured_until is 'End of the featured period (featured_from + settings.featured_days); the daily job expires it after this.';
comment on column public.featured_placements.refund_status is 'null | pending | refunded: where a refund of its payment stands.';
comment on column public.featured_placements.refunded_at is 'When the payment was refunded and the slot freed.';
comment on column public.featured_placements.created_at is 'When the placement was created.';
comment on column public.featured_placements.updated_at is 'When the row last changed (set by trigger).';

create trigger featured_placements_touch_updated_at
    before update on public.featured_placements
    for each row execute function public.touch_updated_at();

-- Slots in use per council.
create index featured_placements_active_council_idx on public.featured_placements (council_id) where status = 'active';
-- Expiry sweep and "who is featured in this council until when".
create index featured_placements_council_status_until_idx on public.featured_placements (council_id, status, featured_until);
create index featured_placements_business_idx on public.featured_placements (business_id, featured_from desc);
create index featured_placements_refunded_at_idx on public.featured_placements (refunded_at) where refunded_at is not null;

alter table public.featured_placements enable row level security;
revoke all on table public.featured_placements from public, anon, authenticated, service_role;
grant select on table public.featured_placements to authenticated;
grant all on table public.featured_placements to service_role;

create policy "Trainers read placements of their businesses"
    on public.featured_placements for select
    to authenticated
    using (business_id in (select b.id from public.businesses b where b.owner_id = (select auth.uid())));

create policy "Operators read every placement"
    on public.featured_placements for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Featured queue
  * -------------------------------------------------------
  * Purchases waiting for a slot, per council, first paid first served.
  * Order is (paid_at, payment_id): payment time decides and the payment id
  * breaks ties, so the order is total and never depends on insert order.
 */
create table public.featured_queue
(
    id           uuid primary key default gen_random_uuid(),
    business_id  uuid        not null references public.businesses (id),
    council_id   text        not null references public.councils (id),
    payment_id   uuid        not null unique references public.payment_audit (id),
    paid_at      timestamptz not null,
    promoted_at  timestamptz,
    placement_id uuid unique references public.featured_placements (id),
    cancelled_at timestamptz,
    created_at   timestamptz not null default now(),
    -- Promoted means it became exactly one placement.
    constraint featured_queue_promotion_has_placement check ((promoted_at is null) = (placement_id is null)),
    -- An entry leaves the queue once: promoted or cancelled (refunded), never both.
    constraint featured_queue_leaves_once check (promoted_at is null or cancelled_at is null)
);

comment on table public.featured_queue is 'Per-council FIFO queue of paid purchases waiting for a featured slot. Written only by the server.';
comment on column public.featured_queue.id is 'Queue entry id.';
comment on column public.featured_queue.business_id is 'Business waiting to be featured.';
comment on column public.featured_queue.council_id is 'Council whose queue it is in.';
comment on column public.featured_queue.payment_id is 'The payment that bought it (one entry per payment).';
comment on column public.featured_queue.paid_at is 'Payment time: the FIFO key. Ties are broken by payment_id.';
comment on column public.featured_queue.promoted_at is 'When it was promoted into a slot; null while waiting.';
comment on column public.featured_queue.placement_id is 'The placement it became when promoted.';
comment on column public.featured_queue.cancelled_at is 'When it left the queue unpromoted because its payment was refunded.';
comment on column public.featured_queue.created_at is 'When the entry was created.';

-- Next in line per council: the promotion query walks this index in order.
create index featured_queue_waiting_idx on public.featured_queue (council_id, paid_at, payment_id)
    where promoted_at is null and cancelled_at is null;
create index featured_queue_business_idx on public.featured_queue (business_id);

alter table public.featured_queue enable row level security;
revoke all on table public.featured_queue from public, anon, authenticated, service_role;
grant select on table public.featured_queue to authenticated;
grant all on table public.featured_queue to service_role;

create policy "Trainers read queue entries of their businesses"
    on public.featured_queue for select
    to authenticated
    using (business_id in (select b.id from public.businesses b where b.owner_id = (select auth.uid())));

create policy "Operators read every queue entry"
    on public.featured_queue for select
    to authenticated
    using ((select public.is_operator()));

/**
  * -------------------------------------------------------
  * Section - Stripe events
  * -------------------------------------------------------
  * Every webhook event as received, keyed by Stripe's event id so a
  * redelivery is recognised and applied once.
 */
create table public.stripe_events
(
    id                text primary key
        constraint stripe_events_id_format check (id ~ '^evt_'),
    type              text        not null,
    created_at_stripe timestamptz not null,
    payload           jsonb       not null,
    received_at       timestamptz not null default now(),
    processed_at      timestamptz,
    error             text,
    attempts          integer     not null default 1
        constraint stripe_events_attempts_positive check (attempts >= 1)
);

comment on table public.stripe_events is 'Stripe webhook events as received (signature already verified); the id makes redeliveries idempotent. Written only by the server.';
comment on column public.stripe_events.id is 'Stripe event id (evt_...).';
comment on column public.stripe_events.type is 'Stripe event type, e.g. checkout.session.completed, charge.refunded.';
comment on column public.stripe_events.created_at_stripe is 'Stripe''s `created` time of the event: orders events about the same object.';
comment on column public.stripe_events.payload is 'The full event JSON.';
comment on column public.stripe_events.received_at is 'When we first received it.';
comment on column public.stripe_events.processed_at is 'When it was applied successfully; null while unprocessed or failing.';
comment on column public.stripe_events.error is 'Last processing error; null once processed. Counted for the webhook-failure alert.';
comment on column public.stripe_events.attempts is 'How many times delivery/processing was attempted.';

-- Webhook-failure alert (failures in the last hour) and retry sweeps.
create index stripe_events_unprocessed_idx on public.stripe_events (received_at) where processed_at is null;
create index stripe_events_received_at_idx on public.stripe_events (received_at);

alter table public.stripe_events enable row level security;
revoke all on table public.stripe_events from public, anon, authenticated, service_role;
grant select on table public.stripe_events to authenticated;
grant all on table public.stripe_events to service_role;

create policy "Operators read Stripe events"
    on public.stripe_events for select
    to authenticated
    using ((select public.is_operator()));
