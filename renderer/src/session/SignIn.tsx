// Sign-in: email and password against the console's backend. On the local
// stack the seeded operator account is offered.
import { useState, type FormEvent } from 'react';
import type { AppInfo, SessionInfo } from '../../../shared/ipc/views.ts';
import css from './signin.module.css';

export interface SignInProps {
  app: AppInfo | null;
  info: SessionInfo | null;
  busy: boolean;
  error: string | null;
  signIn(email: string, password: string): void;
}

export function SignIn({ app, info, busy, error, signIn }: SignInProps) {
  const [email, setEmail] = useState(info?.email ?? '');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn(email, password);
  };
  return (
    <main className={css.page}>
      <form className={css.card} onSubmit={submit} aria-labelledby="signin-h">
        <h1 id="signin-h">DTD Operator Console</h1>
        <p className="muted">Sign in to {app?.apiUrl ?? 'the server'}</p>
        <label htmlFor="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error ? (
          <p role="alert" className={css.error}>
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {app?.localOperator ? (
          <div className={css.local}>
            <p>This console talks to the local stack, which has a seeded operator account: {app.localOperator.email}.</p>
            <button type="button" disabled={busy} onClick={() => signIn(app.localOperator!.email, app.localOperator!.password)}>
              Sign in as the local operator
            </button>
          </div>
        ) : null}
        {info?.persistNote ? <p className="muted">{info.persistNote}</p> : null}
      </form>
    </main>
  );
}
