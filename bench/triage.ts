// Bench: deterministic triage, in process (the rules themselves) and over
// HTTP with AI_MODE = deterministic. Goal p99 ≤ 5 ms for the rules.
import type { Sql } from 'postgres';
import { triageDeterministic } from '../shared/triage/rules.ts';
import { formatLoad, runLoad, timeSync } from './stats.ts';

const MESSAGES = [
  'Bleeding from paw',
  'Aggressive dog',
  'Lost dog',
  "Won't listen",
  'HELP my dog is BLEEDING everywhere after a fight with the neighbours dog!!!',
  'found a dog wandering near the highway with no collar, he seems scared but friendly',
  'my puppy keeps pulling on the lead and jumping on guests, looking for a trainer in Monash',
  'she ate chocolate an hour ago and has been vomiting, is this an emergency?',
];

export async function benchTriage(sql: Sql, functionsUrl: string): Promise<string[]> {
  const long = MESSAGES.join(' ').repeat(4).slice(0, 2000);
  const inProcess = timeSync(20_000, (i) => triageDeterministic(i % 50 === 0 ? long : MESSAGES[i % MESSAGES.length]!));
  await sql`update public.feature_flags set value = 'deterministic' where key = 'AI_MODE'`;
  // The bench stack reads AI_MODE on every call (AI_MODE_TTL_MS=0).
  const http = await runLoad(3000, 20, async (i) => {
    const res = await fetch(`${functionsUrl}/emergency-triage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: MESSAGES[i % MESSAGES.length] }),
    });
    const body = (await res.json()) as { provider?: string };
    return res.ok && body.provider === 'deterministic';
  });
  await sql`update public.feature_flags set value = 'z_ai' where key = 'AI_MODE'`;
  return [
    `triage rules in process: p50 ${inProcess.p50.toFixed(3)} ms  p99 ${inProcess.p99.toFixed(3)} ms  max ${inProcess.max.toFixed(2)} ms (20,000 calls; goal p99 ≤ 5 ms)`,
    formatLoad('triage over HTTP, AI_MODE=deterministic', http),
  ];
}
