/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), with `otpauth`.
 * A code is accepted for its own step and the one either side (clock drift), and only once: the step
 * of the last code used is kept, so a code seen over someone's shoulder cannot be replayed.
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

export const TOTP_ISSUER = 'OpenPHM';
const PERIOD = 30;

/** A new random secret (160 bits, base32). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpOf = (secret: string, label = 'account'): TOTP =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

/** The time step a code proves (within one step of now), or null when it is wrong. */
export const totpStep = (secret: string, code: string, now: number = Date.now()): number | null => {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
};

/** The code for a secret at a time (for tests and for people checking their app). */
export const totpCode = (secret: string, now: number = Date.now()): string => totpOf(secret).generate({ timestamp: now });

export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUrl: string;
  /** The otpauth URL as a QR code, an SVG image in a data: URL. */
  readonly qrCode: string;
}

/** What an authenticator app needs to set up a secret for an account: the otpauth:// URL and its QR code. */
export const totpEnrolment = async (secret: string, email: string): Promise<TotpEnrolment> => {
  const otpauthUrl = totpOf(secret, email).toString();
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
};
