import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Me, type SignInMethods, type TotpEnrolment } from '../api.js';
import { hashParams } from '../components/common.js';

/** What a single sign-on that came back without access says (the details are in the audit log). */
const SSO_PROBLEM: Record<string, string> = {
  'no-access': 'Single sign-on worked, but your identity provider gives you no role in OpenPHM. Ask your administrator to assign you one.',
  failed: 'Single sign-on failed: the identity provider’s answer could not be checked. Try again.',
  expired: 'Single sign-on took too long or was started elsewhere. Try again.',
};

export const LoginPage = ({ onLogin }: { onLogin: (me: Me) => void }) => {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  /** The second step: a code from the app (totp), or setting the app up first (enrolment). */
  const [step, setStep] = useState<'password' | 'totp' | 'totp-enrolment'>('password');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  const [error, setError] = useState<string | null>(() => SSO_PROBLEM[hashParams().get('sso') ?? ''] ?? null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.signInMethods().then(setMethods, () => setMethods(null));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email, password, step === 'password' ? undefined : code);
      if (result.next === 'totp') setStep('totp');
      else if (result.next === 'totp-enrolment') {
        setStep('totp-enrolment');
        setEnrolment(result.enrolment ?? null);
      } else onLogin(result);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'log in failed');
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>Log in</h1>
      <p>Published, disclosure-controlled figures need no account. Staff sign in with their organisation’s account where single sign-on is set up, or with a local account.</p>
      {methods?.singleSignOn && (
        <p>
          <a className="button" href={api.singleSignOnUrl} data-testid="sso">
            {methods.singleSignOn.label}
          </a>
        </p>
      )}
      <form onSubmit={submit} className="form" aria-label="Local account">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="text" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} readOnly={step !== 'password'} required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} readOnly={step !== 'password'} required />
        {step === 'totp-enrolment' && enrolment && (
          <div data-testid="totp-enrolment">
            <p>Your role sees person-level records, so this server asks for a second step. Scan this code with an authenticator app (or type the key in), then enter the six-digit code it shows.</p>
            <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={180} height={180} />
            <p>
              Key: <code data-testid="totp-secret">{enrolment.secret}</code>
            </p>
          </div>
        )}
        {step !== 'password' && (
          <>
            <label htmlFor="totp">Code from your authenticator app</label>
            <input id="totp" name="totp" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.trim())} required autoFocus />
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : step === 'password' ? 'Log in' : 'Log in with the code'}
        </button>
      </form>
    </section>
  );
};
