// Carrier accounts: connect (store the key in the credentials file, never the DB; verify with one
// real call), list, and resolve a CarrierPort for the shipping services.

import { NotConfiguredError, UsageError } from '../../core/errors.js';
import type { CredentialStore } from '../../config/credentials.js';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from '../../sandbox/credentials.js';
import type { Store } from '../../store/db.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import { CARRIERS, type CarrierName, type CarrierPort } from '../../ports/carrier.js';
import { carrierMode, makeCarrier } from '../../adapters/carriers/index.js';

export const DEFAULT_BASE_URL: Record<CarrierName, string> = {
  easypost: 'https://api.easypost.com',
  shippo: 'https://api.goshippo.com',
};

export function parseCarrier(name: string): CarrierName {
  const n = name.toLowerCase();
  if (!(CARRIERS as readonly string[]).includes(n)) throw new UsageError(`unknown carrier ${JSON.stringify(name)}: use ${CARRIERS.join(' or ')}`);
  return n as CarrierName;
}

export interface CarrierAccountInfo {
  carrier: CarrierName;
  mode: 'test' | 'live';
  baseUrl: string;
  sandbox: boolean;
  verifiedAt?: string;
  credential: 'env' | 'file' | 'missing';
}

export async function connectCarrier(
  store: Store,
  creds: CredentialStore,
  factory: HttpFactory,
  opts: { carrier: CarrierName; apiKey?: string; sandboxUrl?: string; baseUrl?: string; now: string },
): Promise<CarrierAccountInfo> {
  let apiKey = opts.apiKey?.trim();
  let baseUrl = opts.baseUrl ?? DEFAULT_BASE_URL[opts.carrier];
  const sandbox = Boolean(opts.sandboxUrl);
  if (opts.sandboxUrl) {
    apiKey = SANDBOX_CREDENTIALS[opts.carrier].apiKey;
    baseUrl = `${opts.sandboxUrl.replace(/\/+$/, '')}${SANDBOX_PREFIX[opts.carrier]}`;
  }
  if (!apiKey) throw new UsageError('no API key: pass --key-file FILE (or `--key-file -` to read stdin), or --sandbox URL');
  const mode = carrierMode(opts.carrier, apiKey);
  const carrier = makeCarrier(opts.carrier, factory, { apiKey, baseURL: baseUrl });
  await carrier.verify(); // one real call: a rejected key is exit 6 and nothing is stored
  creds.setService(opts.carrier, { api_key: apiKey });
  store.tx(() => {
    store.db
      .prepare(
        `INSERT INTO carrier_accounts (carrier, base_url, mode, sandbox, settings_json, credential_store, verified_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, '{}', 'file', ?, ?, ?)
         ON CONFLICT (carrier) DO UPDATE SET base_url = excluded.base_url, mode = excluded.mode, sandbox = excluded.sandbox,
           credential_store = excluded.credential_store, verified_at = excluded.verified_at, updated_at = excluded.updated_at`,
      )
      .run(opts.carrier, baseUrl, mode, sandbox ? 1 : 0, opts.now, opts.now, opts.now);
  });
  return { carrier: opts.carrier, mode, baseUrl, sandbox, verifiedAt: opts.now, credential: 'file' };
}

interface Row {
  carrier: string;
  base_url: string | null;
  mode: string;
  sandbox: bigint;
  verified_at: string | null;
}

export function listCarriers(store: Store, creds: CredentialStore): CarrierAccountInfo[] {
  const rows = store.db.prepare('SELECT carrier, base_url, mode, sandbox, verified_at FROM carrier_accounts ORDER BY carrier').all() as Row[];
  return rows.map((r) => {
    const c = r.carrier as CarrierName;
    const secret = creds.get(c, 'api_key');
    return {
      carrier: c,
      mode: secret ? carrierMode(c, secret.value) : (r.mode as 'test' | 'live'),
      baseUrl: r.base_url ?? DEFAULT_BASE_URL[c],
      sandbox: r.sandbox === 1n,
      ...(r.verified_at ? { verifiedAt: r.verified_at } : {}),
      credential: secret?.source ?? 'missing',
    };
  });
}

/** The carrier to book with: the one named, or the only one connected. */
export function resolveCarrier(store: Store, creds: CredentialStore, factory: HttpFactory, name?: string): CarrierPort {
  const accounts = listCarriers(store, creds);
  let acct: CarrierAccountInfo | undefined;
  if (name) {
    const c = parseCarrier(name);
    acct = accounts.find((a) => a.carrier === c);
    if (!acct) throw new NotConfiguredError(`${c} is not connected`, { hints: [`run \`merchant carrier connect ${c} --key-file key.txt\` (or --sandbox URL)`] });
  } else {
    if (accounts.length === 0) throw new NotConfiguredError('no carrier account is connected', { hints: ['run `merchant carrier connect easypost --key-file key.txt` (or `--sandbox http://127.0.0.1:4010`)'] });
    if (accounts.length > 1) throw new UsageError(`more than one carrier is connected (${accounts.map((a) => a.carrier).join(', ')}): choose one with --carrier`);
    acct = accounts[0]!;
  }
  const secret = creds.get(acct.carrier, 'api_key');
  if (!secret) throw new NotConfiguredError(`no API key stored for ${acct.carrier}`, { hints: [`run \`merchant carrier connect ${acct.carrier} --key-file key.txt\`, or set ${'MERCHANT_' + acct.carrier.toUpperCase() + '_API_KEY'}`] });
  return makeCarrier(acct.carrier, factory, { apiKey: secret.value, baseURL: acct.baseUrl });
}
