// Deterministic emergency triage: always available, no network, well under
// 10 ms. Used when AI_MODE is "deterministic" and as the fallback whenever a
// provider fails, times out or answers nonsense. The vocabulary is in
// keywords.ts; this file is the matching and the ranking policy:
//   medical and crisis outrank stray, which outranks normal.
import { CATEGORY_PRIORITY, SIGNALS, type Signal, type TriageCategory } from './keywords.ts';
import { editDistance, stem, tokenize } from './normalize.ts';

export type { TriageCategory } from './keywords.ts';
export const TRIAGE_CATEGORIES = CATEGORY_PRIORITY;

export interface TriageVerdict {
  category: TriageCategory;
  /** 0..1: how strongly the text carried the winning signal. */
  confidence: number;
  /** The signals that matched, for the operator and the tests. */
  matched: string[];
}

/** A score at or above this makes medical/crisis win; stray needs STRAY_MIN. */
const URGENT_MIN = 0.6;
const STRAY_MIN = 0.5;
const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'isnt', 'wasnt', 'hasnt', 'doesnt', 'didnt']);

interface Token {
  raw: string;
  stem: string;
}

function wordMatches(keyword: string, token: Token): boolean {
  if (token.raw === keyword || token.stem === keyword || token.stem === stem(keyword)) return true;
  if (keyword.length < 5) return false;
  if (token.raw.startsWith(keyword)) return true;
  // One typo: compare the keyword with the token's prefixes of about its
  // length. The first letter must agree ("found" is not a typo of "wound").
  if (token.raw[0] !== keyword[0]) return false;
  for (let len = keyword.length - 1; len <= keyword.length + 1; len++) {
    if (len > token.raw.length) break;
    if (editDistance(token.raw.slice(0, len), keyword, 1) <= 1) return true;
  }
  return false;
}

/** Where each vocabulary word occurs in the text (token indices), computed once per distinct token. */
function positionsOf(tokens: Token[]): (word: string) => number[] {
  const byToken = new Map<string, Token>();
  for (const t of tokens) byToken.set(t.raw, t);
  const cache = new Map<string, number[]>();
  return (word) => {
    let found = cache.get(word);
    if (!found) {
      const matching = new Set<string>();
      for (const [raw, token] of byToken) if (wordMatches(word, token)) matching.add(raw);
      found = [];
      if (matching.size) for (let i = 0; i < tokens.length; i++) if (matching.has(tokens[i]!.raw)) found.push(i);
      cache.set(word, found);
    }
    return found;
  };
}

/** True when the signal occurs (phrases: words in order, up to 2 words between), not negated. */
function signalPresent(tokens: Token[], signal: Signal, at: (word: string) => number[]): boolean {
  const [first, ...rest] = signal.words;
  for (const start of at(first!)) {
    let last = start;
    let ok = true;
    for (const word of rest) {
      const next = at(word).find((i) => i > last && i <= last + 3);
      if (next === undefined) {
        ok = false;
        break;
      }
      last = next;
    }
    if (!ok) continue;
    const negated = rest.length === 0 && start > 0 && NEGATIONS.has(tokens[start - 1]!.raw);
    if (!negated) return true;
  }
  return false;
}

export function triageDeterministic(text: string): TriageVerdict {
  const tokens = tokenize(text).map((raw) => ({ raw, stem: stem(raw) }));
  const at = positionsOf(tokens);
  const scores: Record<TriageCategory, number> = { medical: 0, crisis: 0, stray: 0, normal: 0 };
  const matched: string[] = [];
  for (const category of ['medical', 'crisis', 'stray'] as const) {
    for (const signal of SIGNALS[category]) {
      if (signalPresent(tokens, signal, at)) {
        scores[category] += signal.weight;
        matched.push(`${category}:${signal.words.join(' ')}`);
      }
    }
  }
  let category: TriageCategory = 'normal';
  if (scores.medical >= URGENT_MIN || scores.crisis >= URGENT_MIN) {
    category = scores.crisis > scores.medical ? 'crisis' : 'medical';
  } else if (scores.stray >= STRAY_MIN) {
    category = 'stray';
  }
  const score = scores[category];
  const confidence = category === 'normal' ? (matched.length ? 0.5 : 0.7) : Math.min(0.95, 0.55 + 0.2 * score);
  return { category, confidence: Math.round(confidence * 100) / 100, matched };
}
