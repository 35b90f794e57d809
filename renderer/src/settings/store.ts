// The AI mode (a live switch: online only, never queued) as the server's
// feature flag says, falling back to the metrics snapshot's copy.
import { createStore } from 'zustand/vanilla';
import { AI_MODES as MODES, type AiMode } from '../../../shared/commands/ai.ts';
import type { ConsoleApi, CommandOutcome } from '../../../shared/ipc/contract.ts';
import { valueOr, type NoticesStore } from '../ui/notices.ts';

export type { AiMode };
export const AI_MODES: AiMode[] = [...MODES];

export interface SettingsState {
  loaded: boolean;
  aiMode: string | null;
  switching: boolean;
  /** The last switch's outcome, shown in place (main's sentence when offline). */
  lastSwitch: { result: CommandOutcome; mode: AiMode } | { error: string } | null;
  load(): Promise<void>;
  setAiMode(mode: AiMode): Promise<void>;
}

export function createSettingsStore(api: ConsoleApi, notices: NoticesStore) {
  const store = createStore<SettingsState>()((set, get) => ({
    loaded: false,
    aiMode: null,
    switching: false,
    lastSwitch: null,
    async load() {
      const [flags, metrics] = await Promise.all([api.flags(), api.metrics()]);
      const flag = (valueOr(notices, flags) ?? []).find((f) => f.key === 'AI_MODE')?.value;
      set({ loaded: true, aiMode: flag ?? valueOr(notices, metrics)?.aiMode ?? get().aiMode });
    },
    async setAiMode(mode) {
      set({ switching: true, lastSwitch: null });
      const r = await api.setAiMode(mode);
      set({ switching: false, lastSwitch: r.ok ? { result: r.value, mode } : { error: r.error.message } });
      if (r.ok && r.value.status === 'applied') set({ aiMode: mode });
    },
  }));
  return store;
}
export type SettingsStore = ReturnType<typeof createSettingsStore>;
