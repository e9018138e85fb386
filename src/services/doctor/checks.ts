// merchant doctor: each check says what it found and, when something is wrong, what to do.

import { existsSync, statSync } from 'node:fs';
import axios from 'axios';
import { openStore } from '../../store/db.js';
import { LATEST_VERSION } from '../../store/migrate.js';
import { inspectLock } from '../../store/lock.js';
import { CredentialStore } from '../../config/credentials.js';
import { dataPath } from '../../config/paths.js';
import { redact } from '../../core/redact.js';
import { secretNamesFor, type AccountSettings } from '../marketplace/accounts.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** Secret names each service needs in the credentials store. */
export const REQUIRED_SECRETS: Record<string, string[]> = {
  amazon: ['client_id', 'client_secret', 'refresh_token'],
  ebay: ['client_id', 'client_secret', 'refresh_token'],
  shopify: ['token'],
  easypost: ['api_key'],
  shippo: ['api_key'],
};

export interface DoctorOptions {
  home: string;
  dbPath: string;
  credentialsPath: string;
  env: Record<string, string | undefined>;
  now: Date;
  offline: boolean;
  timeoutMs?: number;
}

interface AccountRow {
  name: string;
  kind: 'marketplace' | 'carrier';
  settings_json?: string | null;
  base_url: string | null;
  token_expires_at: string | null;
  verified_at: string | null;
  mode?: string;
}

export async function runDoctor(o: DoctorOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push(
    major >= 20
      ? { id: 'node', status: 'ok', detail: `Node.js ${process.versions.node}` }
      : { id: 'node', status: 'fail', detail: `Node.js ${process.versions.node} is too old`, fix: 'install Node.js 20 or newer' },
  );
  checks.push(
    existsSync(dataPath('iso4217.csv')) && existsSync(dataPath('countries.csv'))
      ? { id: 'data files', status: 'ok', detail: 'ISO 4217 and ISO 3166 tables present' }
      : { id: 'data files', status: 'fail', detail: 'bundled data tables are missing', fix: 'reinstall merchant (npm install)' },
  );
  if (!existsSync(o.home)) {
    checks.push({ id: 'home', status: 'fail', detail: `${o.home} does not exist`, fix: 'run `merchant onboard` to create it' });
  } else {
    const mode = statSync(o.home).mode & 0o777;
    checks.push(
      mode & 0o077
        ? { id: 'home', status: 'warn', detail: `${o.home} is accessible by other users (mode ${mode.toString(8)})`, fix: `chmod 700 ${o.home}` }
        : { id: 'home', status: 'ok', detail: o.home },
    );
  }

  let accounts: AccountRow[] = [];
  if (!existsSync(o.dbPath)) {
    checks.push({ id: 'database', status: 'fail', detail: `no database at ${o.dbPath}`, fix: 'run `merchant onboard`' });
  } else {
    try {
      const store = openStore(o.dbPath, { readonly: true });
      try {
        const db = store.db;
        const version = Number(db.pragma('user_version', { simple: true }));
        const integrity = String(db.pragma('quick_check', { simple: true }));
        const journal = String(db.pragma('journal_mode', { simple: true }));
        const size = statSync(o.dbPath).size;
        checks.push(
          integrity === 'ok'
            ? { id: 'database', status: 'ok', detail: `${o.dbPath} (schema ${version}/${LATEST_VERSION}, ${(size / 1024).toFixed(0)} KiB, integrity ok)` }
            : { id: 'database', status: 'fail', detail: `integrity check failed: ${integrity}`, fix: 'restore the last backup (see README "Backups")' },
        );
        checks.push(
          journal === 'wal'
            ? { id: 'journal', status: 'ok', detail: 'WAL mode' }
            : { id: 'journal', status: 'warn', detail: `journal mode ${journal}`, fix: 'run any writing command once; merchant switches to WAL' },
        );
        const lock = inspectLock(store, () => o.now.getTime());
        const who = lock ? `pid ${lock.holder.pid} on ${lock.holder.host} (${lock.holder.command}) since ${lock.holder.acquiredAt}` : '';
        checks.push(
          !lock
            ? { id: 'lock', status: 'ok', detail: 'free' }
            : lock.state === 'held'
              ? { id: 'lock', status: 'warn', detail: `held by ${who}: ${lock.reason}`, fix: lock.verifiedAlive ? 'wait for it to finish' : 'wait for it; if that process is gone, `merchant unlock` clears the lock' }
              : { id: 'lock', status: 'warn', detail: `left by ${who}: ${lock.reason}; the next writer takes it over`, fix: '`merchant doctor --fix` (or `merchant unlock`) clears it now' },
        );
        const profile = db.prepare('SELECT legal_name FROM business_profile WHERE id = 1').get() as { legal_name: string } | undefined;
        checks.push(profile ? { id: 'profile', status: 'ok', detail: profile.legal_name } : { id: 'profile', status: 'fail', detail: 'no business profile', fix: 'run `merchant onboard`' });
        accounts = [
          ...(db.prepare('SELECT marketplace AS name, base_url, token_expires_at, verified_at, settings_json FROM marketplace_accounts').all() as AccountRow[]).map((a) => ({ ...a, kind: 'marketplace' as const })),
          ...(db.prepare('SELECT carrier AS name, base_url, NULL AS token_expires_at, verified_at, mode FROM carrier_accounts').all() as AccountRow[]).map((a) => ({ ...a, kind: 'carrier' as const })),
        ];
      } finally {
        store.close();
      }
    } catch (e) {
      checks.push({ id: 'database', status: 'fail', detail: redact((e as Error).message), fix: 'see the message; restore a backup if the file is damaged' });
    }
  }

  const creds = new CredentialStore(o.credentialsPath, o.env);
  const fileMode = creds.fileMode();
  if (fileMode === undefined) {
    checks.push({ id: 'credentials file', status: accounts.length ? 'warn' : 'ok', detail: 'none (secrets from the environment only)' });
  } else if (fileMode & 0o077) {
    checks.push({ id: 'credentials file', status: 'fail', detail: `${o.credentialsPath} is readable by others (mode ${fileMode.toString(8)})`, fix: `chmod 600 ${o.credentialsPath}` });
  } else {
    checks.push({ id: 'credentials file', status: 'ok', detail: `${o.credentialsPath} (mode 600)` });
  }
  if (!accounts.length) checks.push({ id: 'accounts', status: 'warn', detail: 'no marketplace or carrier connected', fix: 'merchant marketplace connect <amazon|ebay|shopify>' });

  for (const a of accounts) {
    // A Shopify account holds an Admin API token or a Dev Dashboard app's client id and secret.
    const names = a.name === 'shopify' ? [...secretNamesFor({ marketplace: 'shopify', settings: JSON.parse(a.settings_json || '{}') as AccountSettings })] : (REQUIRED_SECRETS[a.name] ?? []);
    let described: Array<{ name: string; source: string }> = [];
    try {
      described = creds.describe(a.name, names);
    } catch (e) {
      checks.push({ id: `${a.name} credentials`, status: 'fail', detail: redact((e as Error).message), fix: `chmod 600 ${o.credentialsPath}` });
      continue;
    }
    const missing = described.filter((d) => d.source === 'missing').map((d) => d.name);
    checks.push(
      missing.length
        ? { id: `${a.name} credentials`, status: 'fail', detail: `missing ${missing.join(', ')}`, fix: `merchant ${a.kind} connect ${a.name}` }
        : { id: `${a.name} credentials`, status: 'ok', detail: described.map((d) => `${d.name} (${d.source})`).join(', ') + (a.mode ? `; ${a.mode} mode` : '') },
    );
    if (a.token_expires_at) {
      const days = Math.floor((Date.parse(a.token_expires_at) - o.now.getTime()) / 86_400_000);
      checks.push(
        days < 0
          ? { id: `${a.name} token`, status: 'fail', detail: `expired on ${a.token_expires_at.slice(0, 10)}`, fix: `merchant marketplace connect ${a.name}` }
          : days < 14
            ? { id: `${a.name} token`, status: 'warn', detail: `expires in ${days} days (${a.token_expires_at.slice(0, 10)})`, fix: `renew it, then merchant marketplace connect ${a.name}` }
            : { id: `${a.name} token`, status: 'ok', detail: `valid until ${a.token_expires_at.slice(0, 10)}` },
      );
    }
    if (o.offline || !a.base_url) {
      checks.push({ id: `${a.name} connectivity`, status: 'skip', detail: o.offline ? 'skipped (--offline)' : 'no base URL recorded' });
      continue;
    }
    checks.push(await reach(a.name, a.base_url, o.timeoutMs ?? 5000));
  }
  return checks;
}

/** Any HTTP answer means the host is reachable; only connection failures count as down. */
async function reach(name: string, url: string, timeout: number): Promise<Check> {
  const started = Date.now();
  try {
    const r = await axios.get(url, { timeout, validateStatus: () => true, maxRedirects: 0 });
    return { id: `${name} connectivity`, status: 'ok', detail: `${new URL(url).host} answered HTTP ${r.status} in ${Date.now() - started} ms` };
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    return { id: `${name} connectivity`, status: 'fail', detail: `${new URL(url).host} unreachable (${code})`, fix: 'check the network or proxy; for a sandbox URL, start `merchant sandbox start`' };
  }
}
