// The AI mode (a live switch), who is signed in and whether the session is
// kept, and where this console's data lives.
import { useState } from 'react';
import type { AppInfo, SessionInfo } from '../../../shared/ipc/contract.ts';
import { AI_MODES, type AiMode, type SettingsState } from './store.ts';
import css from './settings.module.css';

export const AI_MODE_WORDS: Record<string, string> = {
  z_ai: 'Z.AI (primary provider)',
  secondary: 'Secondary provider',
  deterministic: 'Deterministic rules only (no AI)',
};

export interface SettingsProps extends Pick<SettingsState, 'aiMode' | 'switching' | 'lastSwitch'> {
  app: AppInfo | null;
  session: SessionInfo | null;
  online: boolean | null;
  setAiMode(mode: AiMode): void;
  signOut(): void;
}

export function describeSwitch(s: SettingsState['lastSwitch']): string | null {
  if (!s) return null;
  if ('error' in s) return s.error;
  return s.result.status === 'applied' ? `AI mode is now ${AI_MODE_WORDS[s.mode] ?? s.mode}.` : `The server refused: ${s.result.reason ?? 'no reason given'}`;
}

export function Settings(p: SettingsProps) {
  const [mode, setMode] = useState<AiMode>(() => AI_MODES.find((m) => m !== p.aiMode) ?? 'deterministic');
  const outcome = p.switching ? 'Switching the AI mode on the server…' : describeSwitch(p.lastSwitch);
  return (
    <>
      <h1>Settings</h1>
      <section className={css.panel} aria-labelledby="ai-h">
        <h2 id="ai-h">AI mode</h2>
        <p>
          Current AI mode: <strong>{p.aiMode ? `${AI_MODE_WORDS[p.aiMode] ?? p.aiMode}` : 'unknown until the first sync'}</strong>
          {p.aiMode ? (
            <>
              {' '}
              (<code>{p.aiMode}</code>)
            </>
          ) : null}
        </p>
        <p className="muted">Switching acts at once on the live system, so it needs a connection; it is never queued.</p>
        <div className={css.switch}>
          <label htmlFor="ai-mode">New AI mode</label>
          <select id="ai-mode" value={mode} onChange={(e) => setMode(e.target.value as AiMode)}>
            {AI_MODES.map((m) => (
              <option key={m} value={m}>
                {AI_MODE_WORDS[m]}
              </option>
            ))}
          </select>
          <button type="button" className="primary" disabled={p.switching || mode === p.aiMode} onClick={() => p.setAiMode(mode)}>
            Switch AI mode
          </button>
          {p.online === false ? <span className="muted">You are offline.</span> : null}
        </div>
        <p role="status" className={outcome ? css.result : 'visually-hidden'}>
          {outcome ?? ''}
        </p>
      </section>
      <section className={css.panel} aria-labelledby="session-h">
        <h2 id="session-h">Session</h2>
        <dl className={css.facts}>
          <dt>Signed in as</dt>
          <dd>{p.session?.name ? `${p.session.name} (${p.session.email})` : (p.session?.email ?? '—')}</dd>
          <dt>Kept across restarts</dt>
          <dd>{p.session?.persisted ? 'Yes, encrypted by the operating system' : 'No'}</dd>
          {p.session?.persistNote ? (
            <>
              <dt>Note</dt>
              <dd>{p.session.persistNote}</dd>
            </>
          ) : null}
        </dl>
        <div className={css.switch}>
          <button type="button" onClick={p.signOut}>
            Sign out
          </button>
        </div>
      </section>
      <section className={css.panel} aria-labelledby="about-h">
        <h2 id="about-h">About this console</h2>
        <dl className={css.facts}>
          <dt>Version</dt>
          <dd>{p.app?.version ?? '—'}</dd>
          <dt>Backend URL</dt>
          <dd>
            <code>{p.app?.apiUrl ?? '—'}</code>
          </dd>
          <dt>Local data file</dt>
          <dd>
            <code>{p.app?.dataFile ?? '—'}</code>
          </dd>
          <dt>Platform</dt>
          <dd>{p.app?.platform ?? '—'}</dd>
        </dl>
      </section>
    </>
  );
}
