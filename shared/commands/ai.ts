// The AI_MODE feature flag (playbook 1: Z.AI down → secondary or deterministic).
import { z } from 'zod';
import { online } from './define.ts';

export const AI_MODES = ['z_ai', 'secondary', 'deterministic'] as const;
export type AiMode = (typeof AI_MODES)[number];

export const setAiMode = online({
  type: 'ai_mode.set',
  payload: z.object({ mode: z.enum(AI_MODES) }).strict(),
  versioned: false,
  doing: 'Switching the AI mode',
  words: {
    label: (p) => `Switch the AI mode to ${p.mode}`,
    short: (p) => `AI mode ${p.mode}`,
    activity: 'switched the AI mode',
  },
});
