// Spec 3.2's detailed metrics: revenue over three Melbourne periods with
// trends and projections, featured adoption against the 25 % target, the
// queue backlog per council, the refund rate, search volume and the AI
// providers, with the charts the spec's numbers come from (uPlot).
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { MetricsReport } from '../../../shared/api/metrics.ts';
import type { Stores } from '../app/stores.ts';
import { Badge } from '../ui/Badge.tsx';
import { formatAud } from '../ui/format.ts';
import { StatusNote } from '../ui/StatusNote.tsx';
import { Time } from '../ui/Time.tsx';
import { Chart } from './Chart.tsx';
import { BudgetBadge, Line, Section } from './parts.tsx';
import css from './metrics.module.css';

const aud = (cents: number) => formatAud(Math.round(cents));
const whole = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-AU')}`;
const count = (n: number) => Math.round(n).toLocaleString('en-AU');
const trend = (pct: number | null, against: string) =>
  pct === null ? `no ${against} to compare` : `${pct > 0 ? '↑' : pct < 0 ? '↓' : '→'} ${Math.abs(pct)}% vs ${against}`;
const filterName = (f: string) =>
  f
    .replace(/^age:/, 'Age: ')
    .replace(/^issue:/, 'Issue: ')
    .replace(/^service:/, 'Service: ');
const monthName = (ym: string) => new Date(`${ym}-15T00:00:00Z`).toLocaleString('en-AU', { month: 'short', timeZone: 'UTC' });

export function MetricsScreen({ stores }: { stores: Stores }) {
  const s = useStore(stores.metrics);
  const switchRatio = useStore(stores.policy, (p) => p.policy?.aiBudgetSwitchRatio ?? null);
  useEffect(() => void stores.metrics.getState().load(), [stores]);
  const r = s.view?.report;
  return (
    <>
      <h1>Metrics</h1>
      <p>
        {r ? (
          <>
            As of <Time at={r.asOf} />, in Melbourne calendar periods.{' '}
          </>
        ) : null}
        <button type="button" onClick={() => void s.load()} disabled={s.loading}>
          {s.loading ? 'Refreshing…' : 'Refresh metrics'}
        </button>
      </p>
      <StatusNote text={s.error ?? s.view?.note} />
      {r ? <Report r={r} switchRatio={switchRatio} /> : null}
    </>
  );
}

function Report({ r, switchRatio }: { r: MetricsReport; switchRatio: number | null }) {
  const { revenue: v, adoption: a, backlog: b, refunds: f, search: q, ai } = r;
  return (
    <div className={css.grid}>
      <Section
        title="Revenue"
        chart={
          <Chart
            title="Revenue by month"
            summary={`Revenue by month for the last 12 months, from ${whole(Math.min(...r.series.revenueByMonth.map((m) => m.cents)))} to ${whole(Math.max(...r.series.revenueByMonth.map((m) => m.cents)))}`}
            labels={r.series.revenueByMonth.map((m) => monthName(m.month))}
            values={r.series.revenueByMonth.map((m) => m.cents)}
            kind="bars"
            format={whole}
          />
        }
      >
        <Line
          k="LTM (last 12 months)"
          v={`${whole(v.ltm.cents)} AUD`}
          more={`avg per month ${whole(v.ltm.avgPerMonthCents)}; ${trend(v.ltm.trendPct, 'previous year')}`}
        />
        <Line
          k="MTD (this month)"
          v={`${whole(v.mtd.cents)} AUD`}
          more={`daily avg ${whole(v.mtd.dailyAvgCents)}; projected month-end ${whole(v.mtd.projectedCents)}; ${trend(v.mtd.trendPct, 'previous month')}`}
        />
        <Line
          k="WTD (this week)"
          v={`${whole(v.wtd.cents)} AUD`}
          more={`daily avg ${whole(v.wtd.dailyAvgCents)}; projected week-end ${whole(v.wtd.projectedCents)} (${v.wtd.sales} sales so far); ${trend(v.wtd.trendPct, 'previous week')}`}
        />
      </Section>
      <Section title="Featured adoption">
        <Line
          k="Active featured"
          v={`${count(a.featured)} of ${count(a.slotsTotal)} slots (${a.slotsPerCouncil} per council)`}
          more={`${a.slotsFilledPct}% filled`}
        />
        <Line
          k="Conversion rate"
          v={`${a.ratePct}% (${count(a.featured)} featured / ${count(a.trainers)} total trainers)`}
          more={<Badge tone={a.ratePct >= a.targetPct ? 'GREEN' : 'YELLOW'}>{`target ${a.targetPct}%`}</Badge>}
        />
        <Line
          k="Time in queue avg"
          v={a.avgQueueDays === null ? 'no promotion in 90 days' : `${a.avgQueueDays} days`}
          more={`${a.promotions30d} promotions in the last 30 days`}
        />
      </Section>
      <Section
        title="Queue backlog"
        chart={
          <Chart
            title="Queue backlog by council"
            summary={`Queue backlog by council: ${b.councils
              .slice(0, 3)
              .map((c) => `${c.name} ${c.queued}`)
              .join(', ')}${b.councils.length > 3 ? ', …' : ''}`}
            labels={b.councils.slice(0, 12).map((c) => c.name.replace(/^City of /, ''))}
            values={b.councils.slice(0, 12).map((c) => c.queued)}
            kind="bars"
            format={count}
          />
        }
      >
        <Line k="Total in queue" v={`${count(b.total)} trainers waiting`} more={`avg ${b.avgPerCouncil} per council`} />
      </Section>
      <Section title="Refund rate">
        <Line
          k="Rate (7 days)"
          v={`${f.d7.ratePct}% (${f.d7.refunds} of ${f.d7.purchases} purchases)`}
          more={<Badge tone={f.d7.ratePct > f.alertPct ? 'RED' : 'GREEN'}>{f.d7.ratePct > f.alertPct ? `above ${f.alertPct}%: investigate` : 'healthy'}</Badge>}
        />
        <Line k="Rate (30 days)" v={`${f.d30.ratePct}% (${f.d30.refunds} of ${f.d30.purchases} purchases)`} more={`threshold alert above ${f.alertPct}%`} />
        <Line
          k="Decisions (30 days)"
          v={`${f.approved30d} approved, ${f.denied30d} denied`}
          more={`avg refund value ${f.avgRefundCents === null ? '—' : aud(f.avgRefundCents)}`}
        />
      </Section>
      <Section
        title="Search volume"
        chart={
          <Chart
            title="Searches per day (30 days)"
            summary={`Searches per day for the last 30 days, ${count(q.dailyAvg)} on average`}
            labels={r.series.searchesByDay.map((d) => `${Number(d.day.slice(8))} ${monthName(d.day.slice(0, 7))}`)}
            values={r.series.searchesByDay.map((d) => d.searches)}
            kind="line"
            format={count}
          />
        }
      >
        <Line k="Daily" v={`${count(q.dailyAvg)} searches (average)`} more={`${count(q.total30d)} in 30 days; ${trend(q.trendPct, 'the week before')}`} />
        <Line
          k="Peak day"
          v={q.peak ? `${q.peak.weekday} ${count(q.peak.avg)} searches` : '—'}
          more={q.low ? `low day: ${q.low.weekday} ${count(q.low.avg)}` : ''}
        />
        <Line
          k="Most searched"
          v={q.topFilters.map((x) => filterName(x.filter)).join(', ') || '—'}
          more={`least: ${q.leastFilters.map((x) => filterName(x.filter)).join(', ') || '—'}`}
        />
      </Section>
      <Section title="AI provider health">
        {ai.providers.length === 0 ? <Line k="Providers" v="No AI calls this month" more="" /> : null}
        {ai.providers.map((p) => (
          <Line
            key={p.provider}
            k={p.provider}
            v={`${p.uptimePct ?? '—'}% uptime, avg ${p.avgLatencyMs ?? '—'} ms`}
            more={`${count(p.calls)} calls, ${aud(p.costCents)}`}
          />
        ))}
        <Line
          k="Last incident"
          v={ai.lastIncident ? ai.lastIncident.provider : 'none this month'}
          more={ai.lastIncident ? <Time at={ai.lastIncident.at} /> : ''}
        />
        <Line
          k="Cost this month"
          v={`${aud(ai.spentCents)} of ${aud(ai.budgetCents)}`}
          more={<BudgetBadge spentCents={ai.spentCents} budgetCents={ai.budgetCents} switchRatio={switchRatio} />}
        />
      </Section>
      <Section title="Stripe">
        <Line
          k="Stripe API"
          v={r.stripe.ok ? `reachable, ${r.stripe.latencyMs} ms` : 'not reachable'}
          more={
            <>
              {r.stripe.ok ? '' : `${r.stripe.error ?? 'no answer'}; purchases and refunds may be failing (status.stripe.com) · `}
              checked <Time at={r.stripe.checkedAt} />
            </>
          }
        />
      </Section>
    </div>
  );
}
