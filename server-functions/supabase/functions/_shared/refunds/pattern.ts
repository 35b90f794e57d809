// Playbook 5, "high refund rate": the 7 days' refunds read the way the
// playbook reads them, so the operator decides instead of querying. The rate
// is refund_rate_7d's (what the alert and the dashboard say); the rest breaks
// the same refunds down by trainer (a repeat refunder is the "Trainer A" of
// the playbook), by council (a product issue in one place?) and by how new
// the business was when it bought (unmet expectations?), with the reasons the
// trainers gave. Findings name the action: flag the account, document for
// the product team, write the incident report.
import type { RefundPattern } from '../../../../../shared/api/refund-pattern.ts';
import type { Sql } from '../db.ts';

const DAYS = 7;

export async function readRefundPattern(sql: Sql, now: Date): Promise<RefundPattern> {
  const since = new Date(now.getTime() - DAYS * 86_400_000);
  const [rate, trainers, councils, tenure, reasons] = await Promise.all([
    sql<{ rate_pct: number; refunds: number; purchases: number; warn: number; investigate: number; abuse: number }[]>`
      select x.rate_pct::float8 as rate_pct, x.refunds, x.purchases,
             public.refund_rate_yellow_pct()::float8 as warn,
             public.refund_rate_red_pct()::float8 as investigate,
             public.refund_abuse_limit()::int as abuse
      from public.refund_rate_7d(${now}) x`,
    sql<
      {
        owner_id: string;
        owner_name: string | null;
        email: string | null;
        account_status: string;
        flagged_reason: string | null;
        refunds: number;
        businesses: string[];
        purchases: number;
      }[]
    >`
      select b.owner_id, p.display_name as owner_name, coalesce(p.email, u.email) as email,
             coalesce(p.account_status, 'active') as account_status, p.flagged_reason,
             count(*)::int as refunds, array_agg(distinct b.name order by b.name) as businesses,
             (select count(*)::int from public.payment_audit pp join public.businesses bb on bb.id = pp.business_id
              where bb.owner_id = b.owner_id and pp.status in ('succeeded', 'refunded') and pp.paid_at > ${since} and pp.paid_at <= ${now}) as purchases
      from public.payment_audit pa
      join public.businesses b on b.id = pa.business_id
      left join public.profiles p on p.id = b.owner_id
      left join auth.users u on u.id = b.owner_id
      where pa.status = 'refunded' and pa.refunded_at > ${since} and pa.refunded_at <= ${now}
      group by b.owner_id, p.display_name, p.email, u.email, p.account_status, p.flagged_reason
      order by refunds desc, owner_name nulls last
      limit 100`,
    sql<{ council_id: string; name: string; refunds: number; purchases: number }[]>`
      select c.id as council_id, c.name, count(*)::int as refunds,
             (select count(*)::int from public.payment_audit pp
              where pp.council_id = c.id and pp.status in ('succeeded', 'refunded') and pp.paid_at > ${since} and pp.paid_at <= ${now}) as purchases
      from public.payment_audit pa join public.councils c on c.id = pa.council_id
      where pa.status = 'refunded' and pa.refunded_at > ${since} and pa.refunded_at <= ${now}
      group by c.id, c.name
      order by refunds desc, c.name`,
    sql<{ band: 'new' | 'settling' | 'established'; refunds: number }[]>`
      select case when coalesce(pa.paid_at, pa.refunded_at) - b.created_at <= interval '7 days' then 'new'
                  when coalesce(pa.paid_at, pa.refunded_at) - b.created_at <= interval '30 days' then 'settling'
                  else 'established' end as band,
             count(*)::int as refunds
      from public.payment_audit pa join public.businesses b on b.id = pa.business_id
      where pa.status = 'refunded' and pa.refunded_at > ${since} and pa.refunded_at <= ${now}
      group by 1`,
    sql<{ reason: string; count: number }[]>`
      select min(btrim(rr.reason)) as reason, count(*)::int as count
      from public.payment_audit pa join public.refund_requests rr on rr.payment_id = pa.id
      where pa.status = 'refunded' and pa.refunded_at > ${since} and pa.refunded_at <= ${now}
      group by lower(btrim(rr.reason))
      order by count desc, reason
      limit 10`,
  ]);
  const r = rate[0]!;
  const level = r.rate_pct > r.investigate ? 'investigate' : r.rate_pct >= r.warn ? 'warning' : 'ok';
  const byBand = new Map(tenure.map((t) => [t.band, t.refunds]));
  const pattern: Omit<RefundPattern, 'findings'> = {
    asOf: now.toISOString(),
    days: DAYS,
    ratePct: r.rate_pct,
    refunds: r.refunds,
    purchases: r.purchases,
    level,
    thresholds: { warnPct: r.warn, investigatePct: r.investigate, abuseLimit: r.abuse },
    trainers: trainers.map((t) => ({
      ownerId: t.owner_id,
      ownerName: t.owner_name,
      email: t.email,
      businesses: t.businesses,
      purchases: t.purchases,
      refunds: t.refunds,
      accountStatus: t.account_status,
      flaggedReason: t.flagged_reason,
    })),
    councils: councils.map((c) => ({ councilId: c.council_id, name: c.name, refunds: c.refunds, purchases: c.purchases })),
    tenure: (['new', 'settling', 'established'] as const).map((band) => ({ band, refunds: byBand.get(band) ?? 0 })),
    reasons,
  };
  return { ...pattern, findings: patternFindings(pattern) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The playbook's three questions and its actions, in words. */
export function patternFindings(p: Omit<RefundPattern, 'findings'>): RefundPattern['findings'] {
  const out: RefundPattern['findings'] = [];
  const problem = (text: string) => out.push({ tone: 'problem', text });
  const info = (text: string) => out.push({ tone: 'info', text });
  const of = `${plural(p.refunds, 'refund')} of ${plural(p.purchases, 'purchase')}`;
  if (p.level === 'investigate')
    problem(`Refund rate ${p.ratePct}% over ${p.days} days (${of}), above the ${p.thresholds.investigatePct}% line: investigate the pattern below.`);
  else if (p.level === 'warning')
    info(`Refund rate ${p.ratePct}% over ${p.days} days (${of}): over the ${p.thresholds.warnPct}% warning, under the ${p.thresholds.investigatePct}% line.`);
  else info(`Refund rate ${p.ratePct}% over ${p.days} days (${of}): healthy, under the ${p.thresholds.warnPct}% warning.`);
  if (p.refunds === 0) return out;

  // Question 1: the same trainer again and again?
  for (const t of p.trainers.filter((x) => x.refunds >= 2)) {
    const who = `${t.ownerName ?? t.email ?? 'A trainer'} (${t.businesses.join(', ')})`;
    const all = t.refunds >= t.purchases ? ' (every purchase refunded)' : '';
    problem(
      `${who}: ${plural(t.refunds, 'refund')} of ${plural(t.purchases, 'purchase')} in ${p.days} days${all}: possible abuse (buy, refund, repeat). ` +
        (t.accountStatus === 'flagged_for_review'
          ? `Already flagged for review${t.flaggedReason ? ` (${t.flaggedReason})` : ''}: featured purchases are blocked until the product team reviews it.`
          : 'Flag the account for review: a flagged trainer cannot buy featured until reviewed.'),
    );
  }
  if (!p.trainers.some((x) => x.refunds >= 2)) info(`No trainer refunded more than once: not a repeat refunder.`);

  // Question 2: one council (a product issue there)?
  const top = p.councils[0];
  if (top && p.refunds >= 3 && top.refunds * 2 > p.refunds) {
    problem(`Concentrated in ${top.name}: ${top.refunds} of the ${p.refunds} refunds. Check that its featured trainers show in search (a product issue?).`);
  } else if (p.councils.length > 1) {
    info(`Spread over ${plural(p.councils.length, 'council')} (most: ${top!.name}, ${top!.refunds}): not council-specific.`);
  }

  // Question 3: new trainers with unrealistic expectations?
  const fresh = p.tenure.find((t) => t.band === 'new')?.refunds ?? 0;
  if (p.refunds >= 2 && fresh * 2 >= p.refunds) {
    info(
      `New trainers (listed 7 days or less before buying) made ${fresh} of the ${p.refunds} refunds: unmet expectations? Document it for the product team (set expectations before purchase).`,
    );
  }
  if (p.level === 'investigate') {
    info('Write an incident report (rate, root cause, actions taken) and check again next week: above the line again, escalate to the product team.');
  }
  return out;
}
