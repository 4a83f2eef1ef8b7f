import { useState, type FormEvent } from 'react';
import { ROLE_LABEL } from '@openphm/api-contract';
import { api, type Me, type TotpEnrolment } from '../api.js';
import { ErrorText } from '../components/common.js';

/** The signed-in user's own account: who they are, and setting up TOTP (a code from an authenticator app at every log-in). */
export const AccountPage = ({ me }: { me: Me }) => {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const user = me.user!;

  const start = async () => {
    setError(null);
    try {
      setEnrolment(await api.startTotp());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.confirmTotp(code);
      setDone(true);
      setEnrolment(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="narrow">
      <h1>My account</h1>
      <p>
        {user.displayName} ({user.email}), {ROLE_LABEL[me.role]}
        {user.neighbourhoodId ? ` for ${user.neighbourhoodId}` : ''}.
      </p>
      <h2>Two-step log-in (TOTP)</h2>
      <p>With two-step log-in, a log-in needs your password and a six-digit code from an authenticator app on your phone. If you lose the phone, an administrator can reset it.</p>
      {done ? (
        <p role="status" data-testid="totp-done">
          Two-step log-in is set up: your next log-in will ask for a code.
        </p>
      ) : enrolment ? (
        <form className="form" onSubmit={confirm} data-testid="totp-enrolment">
          <p>Scan this code with your authenticator app, or type the key in, then enter the code it shows.</p>
          <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={180} height={180} />
          <p>
            Key: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <label htmlFor="totp-code">Code from your authenticator app</label>
          <input id="totp-code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.trim())} required />
          <button type="submit">Turn on two-step log-in</button>
        </form>
      ) : (
        <button type="button" onClick={start}>
          Set up two-step log-in
        </button>
      )}
      <ErrorText message={error} />
    </section>
  );
};
