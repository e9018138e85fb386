// Carrier accounts: connect (store the key in the credentials file, never the DB; verify with one
// real call), list, and resolve a CarrierPort for the shipping services.

import { NotConfiguredError, UsageError } from '../../core/errors.js';
import type { CredentialStore } from '../../config/credentials.js';
import { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from '../../sandbox/credentials.js';
import type { Repositories } from '../../ports/repositories.js';
import { CARRIERS, type CarrierConnector, type CarrierName, type CarrierPort } from '../../ports/carrier.js';

type AccountsStore = Pick<Repositories, 'carrierAccounts' | 'tx'>;

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
  store: AccountsStore,
  creds: CredentialStore,
  connector: CarrierConnector,
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
  const mode = connector.mode(opts.carrier, apiKey);
  const carrier = connector.make(opts.carrier, { apiKey, baseURL: baseUrl });
  await carrier.verify(); // one real call: a rejected key is exit 6 and nothing is stored
  creds.setService(opts.carrier, { api_key: apiKey });
  store.tx(() => store.carrierAccounts.save({ carrier: opts.carrier, baseUrl, mode, sandbox, verifiedAt: opts.now }, opts.now));
  return { carrier: opts.carrier, mode, baseUrl, sandbox, verifiedAt: opts.now, credential: 'file' };
}

export function listCarriers(store: Pick<Repositories, 'carrierAccounts'>, creds: CredentialStore, connector: Pick<CarrierConnector, 'mode'>): CarrierAccountInfo[] {
  return store.carrierAccounts.list().map((r) => {
    const c = r.carrier;
    const secret = creds.get(c, 'api_key');
    return {
      carrier: c,
      mode: secret ? connector.mode(c, secret.value) : r.mode,
      baseUrl: r.baseUrl ?? DEFAULT_BASE_URL[c],
      sandbox: r.sandbox,
      ...(r.verifiedAt ? { verifiedAt: r.verifiedAt } : {}),
      credential: secret?.source ?? 'missing',
    };
  });
}

/** The carrier to book with: the one named, or the only one connected. */
export function resolveCarrier(store: Pick<Repositories, 'carrierAccounts'>, creds: CredentialStore, connector: CarrierConnector, name?: string): CarrierPort {
  const accounts = listCarriers(store, creds, connector);
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
  return connector.make(acct.carrier, { apiKey: secret.value, baseURL: acct.baseUrl });
}
