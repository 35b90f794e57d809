/**
  * Dog Trainers Directory: the queue-integrity check (playbook 4, step 3)
  *
  * "I paid first! Why am I #5?" The operator used to compare payment times by
  * hand. check_queue_integrity(council) answers whether a council's slots and
  * queue are in payment order: nobody featured now, and nobody promoted while
  * someone waited, paid after a purchase that is still waiting. When the
  * order is broken it writes the spec's escalation ("Data integrity issue:
  * Queue position out of order": who paid before whom, the impact, the
  * request, urgency high) as a RED alert the operator sees and forwards; a
  * check that finds the order right resolves it.
 */
create or replace function public.check_queue_integrity(p_council text, p_now timestamptz default now())
    returns jsonb
    language plpgsql
    volatile
    security definer
    set search_path = ''
as
$$
declare
    v_name  text;
    v_pairs jsonb;
    v_first record;
begin
    select c.name into v_name from public.councils c where c.id = p_council;
    if v_name is null then
        return jsonb_build_object('outcome', 'unknown_council', 'council', p_council);
    end if;
    -- Every (earlier payer still waiting, later payer featured now) pair.
    select coalesce(jsonb_agg(jsonb_build_object(
               'waiting_business', w.business, 'waiting_paid_at', w.paid_at,
               'ahead_business', a.business, 'ahead_paid_at', a.paid_at, 'ahead_placement_id', a.placement_id)
             order by w.paid_at, a.paid_at), '[]'::jsonb)
    into v_pairs
    from (select q.paid_at, q.payment_id, b.name as business
          from public.featured_queue q join public.businesses b on b.id = q.business_id
          where q.council_id = p_council and q.promoted_at is null and q.cancelled_at is null) w
    join (select pa.paid_at, pa.id as payment_id, fp.id as placement_id, b.name as business
          from public.featured_placements fp
          join public.payment_audit pa on pa.id = fp.payment_id
          join public.businesses b on b.id = fp.business_id
          where fp.council_id = p_council and fp.status = 'active') a
      on (a.paid_at, a.payment_id) > (w.paid_at, w.payment_id);

    if jsonb_array_length(v_pairs) = 0 then
        perform public.resolve_alert('queue_out_of_order', p_council, p_now);
        return jsonb_build_object('outcome', 'in_order', 'council', v_name);
    end if;

    select * into v_first from jsonb_to_record(v_pairs -> 0)
        as x(waiting_business text, waiting_paid_at timestamptz, ahead_business text, ahead_paid_at timestamptz);
    perform public.open_alert('RED', 'queue_out_of_order', p_council,
        format('Data integrity issue: Queue position out of order in %s. %s paid %s, before %s (paid %s), but %s is featured while %s waits%s. '
               'Impact: trust issue, potential legal (fairness question). Request: fix the queue order, possibly refund if unfair. Urgency: high.',
               v_name, v_first.waiting_business,
               to_char(v_first.waiting_paid_at at time zone 'Australia/Melbourne', 'FMDD FMMonth YYYY HH24:MI'),
               v_first.ahead_business,
               to_char(v_first.ahead_paid_at at time zone 'Australia/Melbourne', 'FMDD FMMonth YYYY HH24:MI'),
               v_first.ahead_business, v_first.waiting_business,
               case when jsonb_array_length(v_pairs) > 1 then format(' (%s such pairs in all)', jsonb_array_length(v_pairs)) else '' end),
        jsonb_build_object('council', p_council, 'pairs', v_pairs), p_now);
    return jsonb_build_object('outcome', 'out_of_order', 'council', v_name, 'pairs', v_pairs);
end
$$;

comment on function public.check_queue_integrity(text, timestamptz) is
    'Playbook 4 step 3: is a council''s queue in payment order? Opens the RED queue_out_of_order escalation with every out-of-order pair, or resolves it. Server only.';
revoke all on function public.check_queue_integrity(text, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.check_queue_integrity(text, timestamptz) to service_role;
