// Escalations (spec Part 7): the spec's five situations, each with the team
// and urgency that follow from it; the escalation as the console caches it;
// the draft the server prepares from a source (the evidence at hand); and the
// packet: the one text the operator reads, exports and sends, composed here
// so the console's preview and the server's stored copy are the same bytes.
import { z } from 'zod';

export const SITUATIONS = ['data_integrity', 'infrastructure', 'feature_policy', 'legal_compliance', 'financial'] as const;
export const Situation = z.enum(SITUATIONS, 'must be one of data_integrity, infrastructure, feature_policy, legal_compliance, financial');
export type Situation = z.infer<typeof Situation>;

export type Team = 'product' | 'devops' | 'legal' | 'finance';
export type Urgency = 'immediate' | 'high' | 'medium' | 'low';

/** Spec Part 7's matrix in its words. The server's escalation_route (migration 3600) holds the same routing and the addresses. */
export const SITUATION: Record<Situation, { title: string; example: string; team: Team; urgency: Urgency; operator: string }> = {
  data_integrity: {
    title: 'Data corruption / integrity issue',
    example: 'Queue order wrong, payment missing, trainer data corrupted',
    team: 'product',
    urgency: 'high',
    operator: 'Likely needs a code or database fix, not an operator action: attach the evidence.',
  },
  infrastructure: {
    title: 'Infrastructure down',
    example: 'Supabase unavailable, Stripe API down, Vercel deploying',
    team: 'devops',
    urgency: 'immediate',
    operator: 'Keep the manual fallbacks running while DevOps resolves it.',
  },
  feature_policy: {
    title: 'Feature request / policy question',
    example: '"Should we change the 3-day refund window?" "Add a new filter?"',
    team: 'product',
    urgency: 'low',
    operator: 'Proceed with the existing policies meanwhile.',
  },
  legal_compliance: {
    title: 'Legal / compliance issue',
    example: 'Trainer disputes a refund and wants legal review, privacy complaint',
    team: 'legal',
    urgency: 'medium',
    operator: "Actions for the business are frozen until you close it: document everything, don't make precedents.",
  },
  financial: {
    title: 'Financial / revenue question',
    example: '"Why is revenue down 30%?" Large refund reconciliation',
    team: 'finance',
    urgency: 'medium',
    operator: 'Provide the data (queries, exports): it is attached to the packet.',
  },
};

export const TEAM_NAME: Record<Team, string> = { product: 'Product', devops: 'DevOps', legal: 'Legal', finance: 'Finance' };
export const URGENCY_WORDS: Record<Urgency, string> = { immediate: 'Immediate', high: 'High', medium: 'Medium', low: 'Low' };

export const SOURCE_KINDS = ['playbook', 'complaint', 'business', 'alert', 'reconciliation'] as const;
/** Where the operator escalates from: a playbook run, a complaint's dossier, a dossier found by investigating (its business), an alert or a reconciliation report. */
export const EscalationSource = z
  .object({ kind: z.enum(SOURCE_KINDS, 'must be playbook, complaint, business, alert or reconciliation'), id: z.uuid('must be a uuid') })
  .strict();
export type EscalationSource = z.infer<typeof EscalationSource>;

export const DraftRequest = z.object({ situation: Situation, source: EscalationSource }).strict();
export type DraftRequest = z.infer<typeof DraftRequest>;

const str = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

/** What the server prepares for an escalation: where it goes, and the evidence it read from the source just now. */
export const EscalationDraft = z.object({
  situation: Situation,
  source: EscalationSource,
  team: z.enum(['product', 'devops', 'legal', 'finance']),
  urgency: z.enum(['immediate', 'high', 'medium', 'low']),
  to: str,
  /** How long an answer may take, in words ("7 days"). */
  answerWithin: str,
  businessId: maybe(str),
  businessName: maybe(str),
  /** A subject the operator may correct. */
  subject: str,
  /** The evidence as text: the dossier, the run's findings and timeline, the report, the query results. */
  evidence: str,
});
export type EscalationDraft = z.infer<typeof EscalationDraft>;

/** An escalation as the console caches it (pulled). */
export const EscalationItem = z.object({
  id: str,
  situation: Situation,
  team: z.enum(['product', 'devops', 'legal', 'finance']),
  urgency: z.enum(['immediate', 'high', 'medium', 'low']),
  status: z.enum(['open', 'answered', 'closed']),
  sourceKind: z.enum(SOURCE_KINDS),
  sourceId: str,
  businessId: maybe(str),
  businessName: maybe(str),
  subject: str,
  note: maybe(str),
  packet: str,
  packetSha256: str,
  to: str,
  openedAt: str,
  openedByName: maybe(str),
  dueAt: str,
  answer: maybe(str),
  answeredAt: maybe(str),
  closedAt: maybe(str),
  closeNote: maybe(str),
  version: z.number(),
  updatedAt: str,
});
export type EscalationItem = z.infer<typeof EscalationItem>;

/** A legal escalation freezes the operator's hand for its business until it is closed. */
export const freezes = (e: Pick<EscalationItem, 'situation' | 'status' | 'businessId'>) =>
  e.situation === 'legal_compliance' && e.status !== 'closed' && e.businessId !== null;

/** The open legal escalation that freezes the operator's hand for an item's business (spec Part 7). */
export interface Freeze {
  escalationId: string;
  subject: string;
  businessName: string;
  openedAt: string;
}

/** Each frozen business and the escalation that freezes it (the oldest open one names the freeze). */
export function legalFreezes(escalations: readonly EscalationItem[]): Map<string, Freeze> {
  const map = new Map<string, Freeze>();
  for (const e of escalations.filter(freezes).sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1))) {
    if (!map.has(e.businessId!))
      map.set(e.businessId!, { escalationId: e.id, subject: e.subject, businessName: e.businessName ?? 'the business', openedAt: e.openedAt });
  }
  return map;
}

/** Minutes as the operator says them: "60 minutes", "1 day", "7 days". */
export function ageWords(minutes: number): string {
  const days = minutes / 1440;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = minutes / 60;
  if (Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${minutes} minutes`;
}

export interface PacketInput {
  situation: Situation;
  team: Team;
  urgency: Urgency;
  to: string;
  answerWithin: string;
  businessName: string | null;
  source: EscalationSource;
  subject: string;
  note: string;
  evidence: string;
}

/** The packet: what the operator reads before sending, exports, and the team receives. Nothing in it depends on when it is composed. */
export function composePacket(p: PacketInput): string {
  const s = SITUATION[p.situation];
  const lines = [
    `ESCALATION: ${p.subject}`,
    '',
    `To: ${TEAM_NAME[p.team]} team <${p.to}>`,
    `Situation: ${s.title}`,
    `Urgency: ${URGENCY_WORDS[p.urgency]} (an answer within ${p.answerWithin})`,
    `Business: ${p.businessName ?? 'none named'}`,
    `Escalated from: ${p.source.kind} ${p.source.id}`,
  ];
  if (p.situation === 'legal_compliance' && p.businessName) {
    lines.push(`Freeze: the operator's refund decisions, activations, flags and emails for ${p.businessName} wait for your guidance.`);
  }
  lines.push('', 'THE OPERATOR ASKS', p.note.trim() || '(no question added: see the evidence)', '', 'EVIDENCE', p.evidence.trim());
  return `${lines.join('\n')}\n`;
}

/** The packet's file name: escalation_YYYY-MM-DD_<team>.txt (the day it is exported or sent). */
export const packetFileName = (team: Team, day: string) => `escalation_${day}_${team}.txt`;
