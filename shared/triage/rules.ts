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

/** Index after the phrase's last word when `signal` occurs starting at `start`, else -1. */
function phraseAt(tokens: Token[], start: number, words: string[]): number {
  let at = start;
  for (let w = 0; w < words.length; w++) {
    const limit = w === 0 ? at : Math.min(tokens.length - 1, at + 2);
    let found = -1;
    for (let i = at; i <= limit && i < tokens.length; i++) {
      if (wordMatches(words[w]!, tokens[i]!)) {
        found = i;
        break;
      }
    }
    if (found < 0) return -1;
    at = found + 1;
  }
  return at;
}

function signalPresent(tokens: Token[], signal: Signal): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (phraseAt(tokens, i, signal.words) < 0) continue;
    const negated = signal.words.length === 1 && i > 0 && NEGATIONS.has(tokens[i - 1]!.raw);
    if (!negated) return true;
  }
  return false;
}

export function triageDeterministic(text: string): TriageVerdict {
  const tokens = tokenize(text).map((raw) => ({ raw, stem: stem(raw) }));
  const scores: Record<TriageCategory, number> = { medical: 0, crisis: 0, stray: 0, normal: 0 };
  const matched: string[] = [];
  for (const category of ['medical', 'crisis', 'stray'] as const) {
    for (const signal of SIGNALS[category]) {
      if (signalPresent(tokens, signal)) {
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
