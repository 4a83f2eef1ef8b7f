import { useState, type FormEvent } from 'react';
import { api, ApiError, type Me } from '../api.js';

export const LoginPage = ({ onLogin }: { onLogin: (me: Me) => void }) => {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api.login(email, password));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'log in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>Log in</h1>
      <p>Published, disclosure-controlled figures need no account. Analysts, neighbourhood teams and administrators log in with a local account.</p>
      <form onSubmit={submit} className="form">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="text" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </section>
  );
};
