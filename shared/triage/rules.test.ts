import { describe, expect, it } from 'vitest';
import { triageDeterministic } from './rules.ts';

const cases: [string, string][] = [
  // The spec's four fallback checks.
  ['Bleeding from paw', 'medical'],
  ['Aggressive dog', 'crisis'],
  ['Lost dog', 'stray'],
  ["Won't listen", 'normal'],
  // How worried owners actually write.
  ['HELP my dog is BLEEDING everywhere!!!', 'medical'],
  ['my puppy bleeds from his ear', 'medical'],
  ['she has been vomiting all night and wont eat', 'medical'],
  ['he ate chocolate about an hour ago', 'medical'],
  ['my dog threw up twice and is shaking', 'medical'],
  ['dog got hit by a car, please help', 'medical'],
  ['i think she was bitten by a snake in the backyard', 'medical'],
  ['he is having a seizure right now', 'medical'],
  ['my dog collapsed on our walk', 'medical'],
  ['bleding paw after the walk', 'medical'],
  ['my dog is limping and yelping in pain', 'medical'],
  ['the neighbours dog is agressive and lunging at kids', 'crisis'],
  ['our dog bit my son yesterday', 'crisis'],
  ['a dog attacked me at the park', 'crisis'],
  ['my two dogs keep fighting and I cannot separate them', 'crisis'],
  ['he growls and snaps when we go near his bowl', 'crisis'],
  ['I am scared for my kids, the dog is out of control', 'crisis'],
  ['Found a dog wandering near the highway, no collar', 'stray'],
  ['our dog ran away last night', 'stray'],
  ['my dog is MISSING since friday', 'stray'],
  ['my dog escaped through the fence', 'stray'],
  ['there is a stray in our street', 'stray'],
  ['my puppy keeps pulling on the lead', 'normal'],
  ['looking for puppy school in Monash', 'normal'],
  ['he will not come back when called at the park', 'normal'],
  ['barks at the postman every morning', 'normal'],
  ['my dog is so cute but jumps on guests', 'normal'],
  ['my dog is not bleeding, just wont listen', 'normal'],
  // Several signals: medical and crisis outrank stray, which outranks normal.
  ['lost dog found injured and bleeding on the road', 'medical'],
  ['a stray dog is being aggressive and attacked my cat', 'crisis'],
  ['my dog escaped and bit a jogger', 'crisis'],
  ['my dog got out and now wont listen to anything', 'stray'],
];

describe('deterministic triage', () => {
  it.each(cases)('%s → %s', (text, expected) => {
    expect(triageDeterministic(text).category).toBe(expected);
  });

  it('reports a confidence between 0 and 1 and the signals it matched', () => {
    const verdict = triageDeterministic('my dog is bleeding and vomiting');
    expect(verdict.confidence).toBeGreaterThan(0.5);
    expect(verdict.confidence).toBeLessThanOrEqual(1);
    expect(verdict.matched).toEqual(expect.arrayContaining(['medical:bleed', 'medical:vomit']));
  });

  it('answers empty or symbol-only text as normal without throwing', () => {
    expect(triageDeterministic('').category).toBe('normal');
    expect(triageDeterministic('🐶🐶 ??? ---').category).toBe('normal');
  });
});
