// `npm run stack`: the whole backend on this machine with no system packages.
// Embedded PostgreSQL (persistent), migrations, the demo seed on first start,
// every edge function under Deno behind one gateway, and stack.json with the
// keys `supabase status -o json` prints so clients find it the same way.
import { existsSync } from 'node:fs';
import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { preparePostgresDir, startPostgres, type RunningPostgres } from './postgres.ts';
import { connect, MIGRATIONS_DIR, prepareDatabase } from './database.ts';
import { isPortFree } from './ports.ts';
import { StackError } from './errors.ts';
import { loadOrCreateSecrets } from './keys.ts';
import { CONFIG_TOML, functionNames, superviseDenoFunctions, type SupervisedFunctions } from './deno-functions.ts';
import { functionsFromConfig, startGateway } from './gateway.ts';
import { createAuthEndpoint } from './auth-endpoint.ts';
import { seedOnFirstStart } from '../../seed/index.ts';
import { ensureOperator } from '../../seed/accounts.ts';
import { startZaiDouble, type ZaiDouble } from '../doubles/zai.ts';
import { startEmailDouble, type EmailDouble } from '../doubles/email.ts';
import { startStripeDouble, type StripeDouble } from '../doubles/stripe.ts';
import { startScheduler } from './scheduler.ts';

export interface StackOptions {
  dir: string;
  port: number;
  dbPort?: number;
  routerPort?: number;
  fresh?: boolean;
  migrationsDir?: string;
  /** 'demo' (default) seeds the demo data set into an empty database; 'none' only the operator account (benchmarks load `large`). */
  seed?: 'demo' | 'none';
  /** Retry back-off of the Stripe double's webhook deliveries (tests shorten it). */
  stripeRetryDelaysMs?: number[];
  /** How often the scheduler refreshes the alerts (default 30 s for RED rules, 60 s for all; tests shorten it). */
  alertsEveryMs?: { red: number; all: number };
  /** How often the promoter fills free slots (default a minute; tests shorten it). */
  promoteEveryMs?: number;
  /** Extra environment for the functions (tests shorten AI timeouts with it). */
  functionEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface StackInfo {
  API_URL: string;
  FUNCTIONS_URL: string;
  DB_URL: string;
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
  JWT_SECRET: string;
  STRIPE_WEBHOOK_SECRET: string;
  OPERATOR_EMAIL: string;
  OPERATOR_PASSWORD: string;
  /** Control URLs of the local doubles standing in for paid services (absent when real keys are set). */
  ZAI_DOUBLE_URL?: string;
  SECONDARY_AI_DOUBLE_URL?: string;
  STRIPE_DOUBLE_URL?: string;
  /** The email double (Resend's API) the email sender sends to on the local stack. */
  EMAIL_DOUBLE_URL?: string;
}

export interface RunningStack {
  info: StackInfo;
  doubles: { zai?: ZaiDouble; secondary?: ZaiDouble; stripe?: StripeDouble; email?: EmailDouble };
  /** The supervised Deno process serving every function (tests kill it to see it replaced). */
  functions: SupervisedFunctions;
  stop(): Promise<void>;
}

/**
 * Paid services we cannot reach locally get a double speaking their HTTP API,
 * unless the environment names the real service (then functions use that).
 */
async function startDoubles(env: NodeJS.ProcessEnv, stripeRetryDelaysMs?: number[]) {
  const doubles: RunningStack['doubles'] = {};
  const functionEnv: Record<string, string> = {};
  if (!env.ZAI_API_KEY) {
    doubles.zai = await startZaiDouble({ model: 'glm-4.5-flash' });
    Object.assign(functionEnv, { ZAI_API_KEY: 'local-double', ZAI_BASE_URL: doubles.zai.url });
  }
  if (!env.SECONDARY_AI_API_KEY) {
    doubles.secondary = await startZaiDouble({ model: 'glm-4.5-air' });
    Object.assign(functionEnv, { SECONDARY_AI_API_KEY: 'local-double', SECONDARY_AI_BASE_URL: doubles.secondary.url });
  }
  if (!env.STRIPE_SECRET_KEY) {
    // Deliveries start once the gateway is up (setWebhook in startStack).
    doubles.stripe = await startStripeDouble(stripeRetryDelaysMs ? { retryDelaysMs: stripeRetryDelaysMs } : {});
    Object.assign(functionEnv, { STRIPE_SECRET_KEY: 'sk_test_local_double', STRIPE_API_BASE: doubles.stripe.url });
  }
  if (!env.RESEND_API_KEY) {
    // Emails really leave the outbox on the demo stack (the scheduler's email sender), to a double that keeps them.
    doubles.email = await startEmailDouble();
    Object.assign(functionEnv, { RESEND_API_KEY: 're_local_double', RESEND_API_BASE: doubles.email.url });
  }
  return { doubles, functionEnv };
}

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdirs(dir);
    await access(dir, constants.W_OK);
    const probe = join(dir, '.write-test');
    await writeFile(probe, 'ok');
    await rm(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new StackError(`data directory ${dir} is not writable (${code || (err as Error).message})`);
  }
}

/**
 * mkdir -p one level at a time: Node's recursive mkdir never settles for some
 * paths (under /proc, for one), which would hang instead of reporting.
 */
async function mkdirs(dir: string): Promise<void> {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) await mkdirs(parent);
  await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
}

/** The demo's charge the webhook missed (spec 2.5 scenario 1, 2.3): Stripe has it, the database does not, until recovered. */
export const DEMO_MISSED_CHARGE = 'ch_demo_missed_webhook_0001';

/**
 * The demo week's planted disagreement: a trainer paid (Stripe took $22.00
 * an hour ago) but the webhook never arrived, so reconciliation shows one
 * "in Stripe, not recorded here" and the sweep can recover it; the trainer's
 * "I paid but I'm not featured" complaint waits in the console. Made before
 * the webhook endpoint is set, so it is not delivered; planted again at each
 * start (the double forgets) until the database has it.
 */
async function plantMissedWebhook(sql: ReturnType<typeof connect>, stripe: StripeDouble): Promise<void> {
  const [recorded] = await sql`select 1 from public.payment_audit where stripe_charge_id = ${DEMO_MISSED_CHARGE}`;
  if (recorded) return;
  const [buyer] = await sql<{ id: string; council_id: string }[]>`
    select b.id, b.council_id from public.businesses b
    where public.business_is_visible(b.status, b.deleted, b.age_specialties, b.behavior_issues)
      and not exists (select 1 from public.featured_placements fp where fp.business_id = b.id)
      and not exists (select 1 from public.payment_audit pa where pa.business_id = b.id)
    -- In a council with a free slot and nobody waiting, so playbook 2 ends as the spec says: the placement active now.
    order by (select count(*) from public.featured_placements fp where fp.council_id = b.council_id and fp.status = 'active')
               + (select count(*) from public.featured_queue q where q.council_id = b.council_id and q.promoted_at is null and q.cancelled_at is null)
               >= public.featured_slots_per_council(),
             b.name
    limit 1`;
  if (!buyer) return;
  // Playbook 2's complaint, as the trainer writes it (once: a pending one of this kind is kept).
  await sql`
    insert into public.complaints (business_id, filed_by, kind, message)
    select b.id, b.owner_id, 'not_featured', 'I paid $22 an hour ago but my profile isn''t featured. My card was charged.'
    from public.businesses b where b.id = ${buyer.id}
    on conflict (business_id, kind) where status = 'pending' do nothing`;
  stripe.createPaidCharge({
    amount: 2200,
    currency: 'aud',
    created: new Date(Date.now() - 3600_000),
    metadata: { business_id: buyer.id, council_id: buyer.council_id },
    ids: { charge: DEMO_MISSED_CHARGE, paymentIntent: 'pi_demo_missed_webhook_0001' },
  });
}

export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const log = opts.log ?? (() => undefined);
  const dir = resolve(opts.dir);
  const dbPort = opts.dbPort ?? opts.port + 1;
  const routerPort = opts.routerPort ?? opts.port + 7;
  for (const [port, what, flag] of [
    [opts.port, 'API gateway', '--port'],
    [dbPort, 'PostgreSQL', '--db-port'],
    [routerPort, 'edge functions (Deno)', '--port'],
  ] as const) {
    if (!(await isPortFree(port))) {
      throw new StackError(`port ${port} (${what}) on 127.0.0.1 is already in use; stop what uses it or pass ${flag}`);
    }
  }

  if (opts.fresh) await rm(dir, { recursive: true, force: true });
  await ensureWritableDir(dir);
  const pgDir = join(dir, 'postgres');
  await preparePostgresDir(pgDir);
  const secrets = await loadOrCreateSecrets(dir);

  const cleanups: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    log(`postgres: starting on 127.0.0.1:${dbPort} (${pgDir})`);
    const pg: RunningPostgres = await startPostgres({ dataDir: join(pgDir, 'data'), port: dbPort });
    cleanups.push(() => pg.stop());

    const applied = await prepareDatabase(pg.url, opts.migrationsDir ?? MIGRATIONS_DIR);
    log(`migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);

    const sql = connect(pg.url, 5);
    cleanups.push(() => sql.end({ timeout: 5 }));
    const apiUrl = `http://127.0.0.1:${opts.port}`;
    if (opts.seed === 'none') {
      await ensureOperator(sql, secrets.OPERATOR_EMAIL, secrets.OPERATOR_PASSWORD);
      log('seed: none (operator account only)');
    } else {
      const seeded = await seedOnFirstStart(sql, { operatorEmail: secrets.OPERATOR_EMAIL, operatorPassword: secrets.OPERATOR_PASSWORD });
      log(seeded ? 'seed: demo data loaded' : 'seed: existing data kept');
    }

    const { doubles, functionEnv } = await startDoubles(process.env, opts.stripeRetryDelaysMs);
    for (const d of Object.values(doubles)) cleanups.push(() => d.close());

    const names = functionNames();
    const deno: SupervisedFunctions = await superviseDenoFunctions({
      port: routerPort,
      names,
      log: (line) => log(`functions: ${line}`),
      env: {
        SUPABASE_URL: apiUrl,
        SUPABASE_DB_URL: pg.url,
        SUPABASE_ANON_KEY: secrets.ANON_KEY,
        SUPABASE_SERVICE_ROLE_KEY: secrets.SERVICE_ROLE_KEY,
        SUPABASE_JWT_SECRET: secrets.JWT_SECRET,
        STRIPE_WEBHOOK_SECRET: secrets.STRIPE_WEBHOOK_SECRET,
        ...functionEnv,
        ...opts.functionEnv,
      },
    });
    cleanups.push(() => deno.stop());

    const config = await readFile(CONFIG_TOML, 'utf8');
    const server: Server = await startGateway({
      port: opts.port,
      routerPort,
      jwtSecret: secrets.JWT_SECRET,
      functions: functionsFromConfig(config, names),
      auth: createAuthEndpoint(sql, secrets.JWT_SECRET, apiUrl),
    });
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );

    if (doubles.stripe) {
      // The double keeps its objects in memory; the database remembers the
      // payments it took. Re-create the last year's (refunded ones as
      // refunded, with the metadata checkout gives them) so an operator's
      // refund decision reaches a charge Stripe knows, a reconciliation finds
      // both sides as they were, and an investigation sees Stripe agree.
      const live = await sql<
        { pi: string | null; ch: string | null; amount_cents: number; currency: string; paid_at: Date; refunded: boolean; business: string; council: string }[]
      >`
        select stripe_payment_intent_id as pi, stripe_charge_id as ch, amount_cents, currency, paid_at, status = 'refunded' as refunded,
               business_id::text as business, council_id as council
        from public.payment_audit where status in ('succeeded', 'refunded') and paid_at > now() - interval '13 months'
        order by paid_at desc limit 20000`;
      for (const p of live) {
        if (p.pi && doubles.stripe.store.paymentIntents.has(p.pi)) continue;
        const paid = doubles.stripe.createPaidCharge({
          amount: p.amount_cents,
          currency: p.currency,
          created: p.paid_at,
          metadata: { business_id: p.business, council_id: p.council },
          emitEvents: false,
          ids: { paymentIntent: p.pi ?? undefined, charge: p.ch ?? undefined },
        });
        if (p.refunded) Object.assign(paid.charge, { refunded: true, amount_refunded: p.amount_cents });
      }
      if (opts.seed !== 'none') await plantMissedWebhook(sql, doubles.stripe);
    }
    doubles.stripe?.setWebhook(`${apiUrl}/functions/v1/stripe-webhook`, secrets.STRIPE_WEBHOOK_SECRET);

    const scheduler = startScheduler({
      functionsUrl: `${apiUrl}/functions/v1`,
      serviceRoleKey: secrets.SERVICE_ROLE_KEY,
      log,
      alertsEveryMs: opts.alertsEveryMs,
      promoteEveryMs: opts.promoteEveryMs,
      // Class C of playbook 4.3, recorded from the caller's side (hosted Supabase: pg_net's response).
      recordUnreachable: (job, error, calledAt) => sql`select public.record_cron_unreachable(${job}, ${error}, ${calledAt}, now())`,
    });
    cleanups.push(async () => scheduler.stop());
    log(`scheduler: daily job next at ${scheduler.nextDailyRun().toISOString()} (2:00 AM Australia/Melbourne)`);

    const info: StackInfo = {
      API_URL: apiUrl,
      FUNCTIONS_URL: `${apiUrl}/functions/v1`,
      DB_URL: pg.url,
      ANON_KEY: secrets.ANON_KEY,
      SERVICE_ROLE_KEY: secrets.SERVICE_ROLE_KEY,
      JWT_SECRET: secrets.JWT_SECRET,
      STRIPE_WEBHOOK_SECRET: secrets.STRIPE_WEBHOOK_SECRET,
      OPERATOR_EMAIL: secrets.OPERATOR_EMAIL,
      OPERATOR_PASSWORD: secrets.OPERATOR_PASSWORD,
      ...(doubles.zai ? { ZAI_DOUBLE_URL: `http://127.0.0.1:${doubles.zai.port}` } : {}),
      ...(doubles.secondary ? { SECONDARY_AI_DOUBLE_URL: `http://127.0.0.1:${doubles.secondary.port}` } : {}),
      ...(doubles.stripe ? { STRIPE_DOUBLE_URL: doubles.stripe.url } : {}),
      ...(doubles.email ? { EMAIL_DOUBLE_URL: doubles.email.url } : {}),
    };
    await writeFile(join(dir, 'stack.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
    return { info, doubles, functions: deno, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export function stackJsonPath(dir: string): string {
  return join(resolve(dir), 'stack.json');
}

export function hasStackData(dir: string): boolean {
  return existsSync(join(resolve(dir), 'postgres', 'data', 'PG_VERSION'));
}
