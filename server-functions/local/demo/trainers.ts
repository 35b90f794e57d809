// Trainers for the demo incidents: a new one signed up with a listed
// business, and a complaint filed the way the complaint function files it
// (as the trainer, through public.submit_complaint and its checks).
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';

export interface DemoTrainer {
  ownerId: string;
  businessId: string;
  councilId: string;
  name: string;
  business: string;
}

/** A trainer who signed up `listedDaysAgo` days ago with one visible business in `councilId`. */
export async function newTrainer(sql: postgres.Sql, name: string, councilId: string, listedDaysAgo: number): Promise<DemoTrainer> {
  const ownerId = randomUUID();
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${ownerId.slice(0, 6)}@example.test`;
  const business = `${name} Dog Training`;
  await sql`insert into auth.users (id, email) values (${ownerId}, ${email})`;
  await sql`insert into public.profiles (id, role, email, display_name) values (${ownerId}, 'trainer', ${email}, ${name})`;
  const [b] = await sql<{ id: string }[]>`
    insert into public.businesses (owner_id, council_id, name, status, age_specialties, behavior_issues, suburb, created_at)
    values (${ownerId}, ${councilId}, ${business}, 'active', '{puppy}', '{pulling}', 'Richmond', now() - make_interval(days => ${listedDaysAgo}))
    returning id`;
  return { ownerId, businessId: b!.id, councilId, name, business };
}

/** Files a complaint as the trainer, as POST /functions/v1/complaint does; a pending one of the same kind is kept (filed false). */
export async function fileComplaint(
  sql: postgres.Sql,
  c: { ownerId: string; businessId: string; kind: 'not_featured' | 'queue_position'; message: string; paymentId?: string | null },
): Promise<{ complaintId: string; filed: boolean }> {
  return sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: c.ownerId, role: 'authenticated' })}, true)`;
    await tx`set local role authenticated`;
    const [r] = await tx<{ complaint_id: string; filed: boolean }[]>`
      select complaint_id, filed from public.submit_complaint(${c.businessId}, ${c.kind}, ${c.message}, ${c.paymentId ?? null}, null)`;
    return { complaintId: r!.complaint_id, filed: r!.filed };
  });
}
