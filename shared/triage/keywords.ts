// The deterministic triage vocabulary: what worried owners write when a dog
// needs a vet (medical), when someone is in danger from a dog (crisis), when a
// dog is lost or found (stray). Words are matched after normalising (lower
// case, stems, common typos), phrases as word sequences. Weights say how sure
// a signal alone makes us; the category with the strongest signal wins, and
// ties go by the priority medical > crisis > stray > normal.
export type TriageCategory = 'medical' | 'crisis' | 'stray' | 'normal';

export const CATEGORY_PRIORITY: readonly TriageCategory[] = ['medical', 'crisis', 'stray', 'normal'];

export interface Signal {
  /**
   * One word, or several that must appear in this order (up to 2 words between).
   * Words of 5+ letters match as prefixes and tolerate one typo; shorter ones
   * match exactly (or by stem), so "cut" never matches "cute".
   */
  words: string[];
  weight: number;
}

const s = (phrase: string, weight = 1): Signal => ({ words: phrase.split(' '), weight });

export const SIGNALS: Record<Exclude<TriageCategory, 'normal'>, Signal[]> = {
  medical: [
    s('bleed'), s('blood'), s('bloody'), s('wound'), s('injur'), s('hurt', 0.6), s('cut', 0.6), s('gash'),
    s('vomit'), s('throw up'), s('threw up'), s('puke'), s('puking'), s('diarrhea'), s('diarrhoea'), s('poison'), s('toxic'), s('ate chocolate'),
    s('ate rat bait'), s('ate grape'), s('ate raisin'), s('swallow', 0.7), s('seizur'), s('fit', 0.5), s('convuls'),
    s('collaps'), s('unconscious'), s('not breath'), s('cant breath'), s('breathing', 0.6), s('chok'), s('limp', 0.7),
    s('broken leg'), s('broken bone'), s('fractur'), s('hit by car'), s('hit by a car'), s('run over'),
    s('snake bite'), s('snake bit'), s('bitten by snake'), s('tick'), s('paralys'), s('heatstroke'), s('heat stroke'),
    s('overheat'), s('bloat'), s('swollen'), s('lethargic'), s('not eat', 0.6), s('vet'), s('emergency vet'),
    s('sick', 0.7), s('ill', 0.5), s('pain', 0.7), s('yelp', 0.6), s('lump', 0.5), s('burn'), s('infect'),
  ],
  crisis: [
    s('aggress'), s('attack'), s('maul'), s('bit me'), s('bit my'), s('bit a'), s('bit someone'), s('bit the'),
    s('bite', 0.8), s('bites', 0.8), s('biting', 0.8), s('bitten', 0.6), s('snap', 0.6), s('lunge'), s('lunging'), s('growl', 0.7), s('snarl'),
    s('dog fight'), s('fighting', 0.8), s('fight', 0.7), s('dangerous'), s('threaten'), s('scared for'),
    s('afraid for'), s('out of control'), s('violent'), s('savage'), s('vicious'), s('charg', 0.6),
    s('went for'), s('go for', 0.6), s('kill', 0.9), s('menac'),
  ],
  stray: [
    s('lost'), s('missing'), s('stray'), s('found a dog'), s('found dog'), s('found this dog'), s('run away'),
    s('ran away'), s('runaway'), s('escap'), s('got out'), s('wander'), s('roam'), s('loose', 0.8),
    s('no collar'), s('no tag'), s('abandon'), s('dumped'), s('cant find'), s('cannot find'), s('lost dog'),
    s('microchip', 0.6), s('found', 0.4),
  ],
};
