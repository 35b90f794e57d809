// Deterministic review safety scoring, used when the AI provider is down or
// AI_MODE is "deterministic". It errs towards sending a review to the
// operator: a flag only lowers the confidence, it never rejects anything.
export type ReviewFlag = 'spam' | 'profanity' | 'off_topic';
export const REVIEW_FLAGS: readonly ReviewFlag[] = ['spam', 'profanity', 'off_topic'];

export interface ModerationScore {
  /** 0..1: how safe to publish the text looks (≥ 0.90 is the bulk-approve bar). */
  confidence: number;
  flags: ReviewFlag[];
}

const PROFANITY = /\b(fuck\w*|shit\w*|bullshit|crap|bitch\w*|bastard\w*|arse\w*|asshole\w*|dick\w*|cunt\w*|wanker\w*|piss\w*|damn\w*|idiot\w*|moron\w*)\b/i;
const SPAM = /(https?:\/\/|www\.|\.com\b|\.ru\b|buy now|discount|promo code|crypto|bitcoin|casino|viagra|click here|free money|whatsapp|telegram)/i;
const ON_TOPIC =
  /\b(dog|dogs|puppy|puppies|pup|train\w*|trainer|class\w*|lesson\w*|session\w*|walk\w*|lead|leash|behaviou?r\w*|recall|sit|heel|bark\w*|pull\w*|reactiv\w*|anxi\w*|help\w*|recommend\w*|patient|knowledge\w*|calm|progress|results?|friendly|professional)\b/i;

export function scoreReview(text: string): ModerationScore {
  const flags: ReviewFlag[] = [];
  if (PROFANITY.test(text)) flags.push('profanity');
  const letters = text.replace(/[^A-Za-z]/g, '');
  const shouting = letters.length > 20 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7;
  if (SPAM.test(text) || /(.)\1{6,}/.test(text) || shouting) flags.push('spam');
  if (!ON_TOPIC.test(text)) flags.push('off_topic');
  const confidence = flags.length === 0 ? 0.92 : Math.max(0.1, 0.7 - 0.25 * flags.length);
  return { confidence: Math.round(confidence * 100) / 100, flags };
}

/** An AI answer `{ safe_confidence, flags }` → a score, or null when it is not that shape. */
export function parseModerationAnswer(answer: Record<string, unknown>): ModerationScore | null {
  const confidence = answer.safe_confidence;
  const flags = answer.flags ?? [];
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) return null;
  if (!Array.isArray(flags) || !flags.every((f) => REVIEW_FLAGS.includes(f as ReviewFlag))) return null;
  return { confidence, flags: [...new Set(flags as ReviewFlag[])] };
}
