// What a seller must renew by hand, per marketplace, and when. Access tokens (Amazon's one-hour LWA
// token, eBay's two-hour user token, Shopify's 24-hour client-credentials token) renew themselves on
// every run from the long-lived credential, so they are never judged. What expires is:
//
// - Amazon: the LWA client secret, which Amazon makes every app rotate every 180 days (notice 90 days
//   before; https://developer-docs.amazon.com/sp-api/docs/rotating-your-apps-lwa-credentials). The
//   refresh token survives a rotation. merchant works with the seller's own self-authorised private app,
//   whose authorisation has no yearly renewal: Amazon asks that of public apps only
//   (https://developer-docs.amazon.com/sp-api/docs/renew-authorizations); adding a role to the app needs
//   a new authorisation (and refresh token).
// - eBay: the OAuth refresh token, valid 18 months from when it was issued (refresh_token_expires_in
//   47304000 s in the authorization-code grant answer,
//   https://developer.ebay.com/api-docs/static/oauth-auth-code-grant-request.html).
// - Shopify: a custom app's Admin API access token does not expire (it stops working when the app is
//   uninstalled); tokens from the client-credentials grant last 24 h and are requested again as needed.
//
// Pure: no I/O.

export type RenewalBasis = 'stated' | 'reported' | 'estimated' | 'never' | 'self-renewing';

export interface Renewal {
  /** What must be renewed: "LWA client secret", "refresh token", "Admin API token". */
  what: string;
  /** The last day it works (YYYY-MM-DD), or null when it never needs renewing by hand. */
  due: string | null;
  /** How the date is known: given by the seller, reported by the API, estimated from the connect date. */
  basis: RenewalBasis;
  /** One line on why (shown by doctor and `marketplace list`). */
  note: string;
  /** What to do to renew it. */
  how: string;
}

export interface RenewalInput {
  marketplace: 'amazon' | 'ebay' | 'shopify';
  sandbox: boolean;
  /** When the secrets were stored (ISO): the last `marketplace connect`. */
  secretsStoredAt: string;
  /** The seller's own date (`marketplace connect --renew-by`), YYYY-MM-DD. */
  renewBy?: string;
  /** eBay: the refresh token's expiry as the API reported it. */
  refreshExpiresAt?: string;
  /** Names of the stored secrets (Shopify: token vs client credentials). */
  secretNames: readonly string[];
}

export const AMAZON_SECRET_ROTATION_DAYS = 180;
export const EBAY_REFRESH_TOKEN_MONTHS = 18;
/** Warn this many days before a renewal is due. */
export const RENEWAL_WARN_DAYS = 30;

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString().slice(0, 10);
}

function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

export function credentialRenewals(i: RenewalInput): Renewal[] {
  const stored = i.secretsStoredAt.slice(0, 10);
  if (i.sandbox) {
    return [{ what: 'sandbox test credentials', due: null, basis: 'never', note: 'the sandbox accepts its test credentials indefinitely', how: 'nothing to renew' }];
  }
  const reconnect = `merchant marketplace connect ${i.marketplace}`;
  switch (i.marketplace) {
    case 'amazon':
      return [
        i.renewBy
          ? { what: 'LWA client secret', due: i.renewBy, basis: 'stated', note: 'rotation deadline as given with --renew-by', how: amazonHow(reconnect) }
          : {
              what: 'LWA client secret',
              due: addDays(i.secretsStoredAt, AMAZON_SECRET_ROTATION_DAYS),
              basis: 'estimated',
              note: `Amazon makes apps rotate the client secret every ${AMAZON_SECRET_ROTATION_DAYS} days; counted from when it was stored here (${stored}). Seller Central shows the exact deadline: pass it with --renew-by`,
              how: amazonHow(reconnect),
            },
        {
          what: 'authorisation',
          due: null,
          basis: 'never',
          note: 'a self-authorised private app needs no yearly re-authorisation (Amazon asks that of public apps); adding a role to the app needs a new one',
          how: 'after adding a role: Seller Central → Develop Apps → Authorize, then reconnect with the new refresh token',
        },
      ];
    case 'ebay': {
      const how = `get a new user token (refresh token) for your app in the eBay developer portal (User Tokens), then \`${reconnect} --client-id … --token-file …\``;
      if (i.renewBy) return [{ what: 'refresh token', due: i.renewBy, basis: 'stated', note: 'expiry as given with --renew-by', how }];
      if (i.refreshExpiresAt) return [{ what: 'refresh token', due: i.refreshExpiresAt.slice(0, 10), basis: 'reported', note: 'expiry as eBay reported it', how }];
      return [
        {
          what: 'refresh token',
          due: addMonths(i.secretsStoredAt, EBAY_REFRESH_TOKEN_MONTHS),
          basis: 'estimated',
          note: `eBay refresh tokens live ${EBAY_REFRESH_TOKEN_MONTHS} months from when they were issued; counted from when it was stored here (${stored}). The developer portal shows the exact date: pass it with --renew-by`,
          how,
        },
      ];
    }
    case 'shopify':
      if (i.secretNames.includes('client_secret') && !i.secretNames.includes('token')) {
        return [{ what: 'access token', due: null, basis: 'self-renewing', note: 'client-credentials tokens last 24 h; merchant requests a new one when it needs it', how: 'nothing to renew; rotate the client secret in the Dev Dashboard if it leaks' }];
      }
      return [{ what: 'Admin API token', due: i.renewBy ?? null, basis: i.renewBy ? 'stated' : 'never', note: i.renewBy ? 'date as given with --renew-by' : "a custom app's Admin API token does not expire (it stops working if the app is uninstalled)", how: `${reconnect} --shop … --token-file …` }];
  }
}

function amazonHow(reconnect: string): string {
  return `rotate it in Seller Central → Apps and Services → Develop Apps → LWA credentials, then \`${reconnect} --token-file …\` with the new client_secret (the refresh token stays)`;
}

export interface RenewalVerdict {
  status: 'ok' | 'warn' | 'fail';
  /** Whole days left (negative once past due); null when it never expires. */
  daysLeft: number | null;
  detail: string;
}

/** How urgent a renewal is on `now`: failed once past due, a warning within RENEWAL_WARN_DAYS. */
export function judgeRenewal(r: Renewal, now: Date, warnDays = RENEWAL_WARN_DAYS): RenewalVerdict {
  if (r.due === null) return { status: 'ok', daysLeft: null, detail: r.basis === 'self-renewing' ? 'renews itself' : 'does not expire' };
  // The credential works through its due day (UTC).
  const end = Date.parse(`${r.due}T23:59:59.999Z`);
  const daysLeft = Math.floor((end - now.getTime()) / 86_400_000);
  const est = r.basis === 'estimated' ? ' at the latest (estimated)' : '';
  if (end < now.getTime()) return { status: 'fail', daysLeft, detail: `expired on ${r.due}${est}` };
  const when = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
  return { status: daysLeft < warnDays ? 'warn' : 'ok', daysLeft, detail: `renew by ${r.due}${est}, ${when}` };
}

/** Short form for tables: "2027-05-02 (in 180 days, estimated)", "does not expire", "renews itself". */
export function renewalWhen(r: Renewal, now: Date): string {
  if (r.due === null) return r.basis === 'self-renewing' ? 'renews itself' : 'does not expire';
  const v = judgeRenewal(r, now);
  const left = v.daysLeft! < 0 ? `expired ${-v.daysLeft!} day${v.daysLeft === -1 ? '' : 's'} ago` : v.daysLeft === 0 ? 'today' : `in ${v.daysLeft} day${v.daysLeft === 1 ? '' : 's'}`;
  return `${r.due} (${left}${r.basis === 'estimated' ? ', estimated' : ''})`;
}
