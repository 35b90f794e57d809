// Text normalisation for the deterministic triage rules: lower case, letters
// only, contractions collapsed ("can't" → "cant"), runs of a repeated letter
// cut to two ("bleeeding" → "bleeding"), and a light stemmer so plurals and
// verb forms meet the same stem ("bleeds", "bleeding" → "bleed").
const SUFFIXES = ['ingly', 'ings', 'ing', 'edly', 'ed', 'ies', 'es', 's', 'ly'];

export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .replace(/([a-z])\1{2,}/g, '$1$1')
    .split(' ')
    .filter(Boolean);
}

export function stem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      // "bleeding" → "bleed", "stopped" → "stopp" → "stop"
      return /([b-df-hj-np-tv-z])\1$/.test(base) && !/(ll|ss)$/.test(base) ? base.slice(0, -1) : base;
    }
  }
  return word;
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), capped; three reused rows. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}
