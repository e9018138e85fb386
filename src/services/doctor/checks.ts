// merchant doctor: each check says what it found and, when something is wrong, what to do.

import { existsSync, statSync } from 'node:fs';
import { CredentialStore } from '../../config/credentials.js';
import { dataPath } from '../../config/paths.js';
import { redact } from '../../core/redact.js';
import { judgeRenewal, type Renewal } from '../../core/credential-renewals.js';
import { listAccounts } from '../marketplace/accounts.js';
import { renewalsOf } from '../marketplace/connect.js';
import type { DoctorStore } from '../../ports/doctor.js';
import type { HttpProbe } from '../../ports/http-probe.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  id: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** Secret names each service needs in the credentials store; any one set of the alternatives will do. */
export const REQUIRED_SECRETS: Record<string, string[][]> = {
  amazon: [['client_id', 'client_secret', 'refresh_token']],
  ebay: [['client_id', 'client_secret', 'refresh_token']],
  // A custom app's Admin API token, or a Dev Dashboard app's client credentials.
  shopify: [['token'], ['client_id', 'client_secret']],
  easypost: [['api_key']],
  shippo: [['api_key']],
};

export interface DoctorOptions {
  home: string;
  dbPath: string;
  credentialsPath: string;
  env: Record<string, string | undefined>;
  now: Date;
  offline: boolean;
  timeoutMs?: number;
  /** The database, read-only (src/store/repos/doctor.ts over SQLite, wired by the command). */
  store: DoctorStore;
  /** How the connectivity checks reach a host (src/cli/wiring/http-probe.ts). */
  http: Pick<HttpProbe, 'probe'>;
}

interface AccountRow {
  name: string;
  kind: 'marketplace' | 'carrier';
  settings_json?: string | null;
  base_url: string | null;
  verified_at: string | null;
  mode?: string;
  /** Marketplaces: the account, to judge what must be renewed. */
  account?: ReturnType<typeof listAccounts>[number];
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
      const store = o.store.open(o.dbPath);
      try {
        const version = store.schemaVersion();
        const integrity = store.integrity();
        const journal = store.journalMode();
        const size = statSync(o.dbPath).size;
        checks.push(
          integrity === 'ok'
            ? { id: 'database', status: 'ok', detail: `${o.dbPath} (schema ${version}/${o.store.latestVersion}, ${(size / 1024).toFixed(0)} KiB, integrity ok)` }
            : { id: 'database', status: 'fail', detail: `integrity check failed: ${integrity}`, fix: 'restore the last backup (see README "Backups")' },
        );
        checks.push(
          journal === 'wal'
            ? { id: 'journal', status: 'ok', detail: 'WAL mode' }
            : { id: 'journal', status: 'warn', detail: `journal mode ${journal}`, fix: 'run any writing command once; merchant switches to WAL' },
        );
        const lock = store.lock(() => o.now.getTime());
        const who = lock ? `pid ${lock.holder.pid} on ${lock.holder.host} (${lock.holder.command}) since ${lock.holder.acquiredAt}` : '';
        checks.push(
          !lock
            ? { id: 'lock', status: 'ok', detail: 'free' }
            : lock.state === 'held'
              ? { id: 'lock', status: 'warn', detail: `held by ${who}: ${lock.reason}`, fix: lock.verifiedAlive ? 'wait for it to finish' : 'wait for it; if that process is gone, `merchant unlock` clears the lock' }
              : { id: 'lock', status: 'warn', detail: `left by ${who}: ${lock.reason}; the next writer takes it over`, fix: '`merchant doctor --fix` (or `merchant unlock`) clears it now' },
        );
        const profile = store.profileName();
        checks.push(profile !== undefined ? { id: 'profile', status: 'ok', detail: profile } : { id: 'profile', status: 'fail', detail: 'no business profile', fix: 'run `merchant onboard`' });
        accounts = [
          ...listAccounts(store).map((a) => ({ name: a.marketplace, kind: 'marketplace' as const, base_url: a.baseUrl || null, verified_at: a.verifiedAt, account: a })),
          ...store.carrierAccounts().map((a) => ({ ...a, kind: 'carrier' as const })),
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
    const sets = REQUIRED_SECRETS[a.name] ?? [[]];
    const allNames = [...new Set(sets.flat())];
    let described: Array<{ name: string; source: string }> = [];
    try {
      described = creds.describe(a.name, allNames);
    } catch (e) {
      checks.push({ id: `${a.name} credentials`, status: 'fail', detail: redact((e as Error).message), fix: `chmod 600 ${o.credentialsPath}` });
      continue;
    }
    const present = new Set(described.filter((d) => d.source !== 'missing').map((d) => d.name));
    const complete = sets.find((set) => set.every((n) => present.has(n)));
    const missing = complete ? [] : sets[0]!.filter((n) => !present.has(n));
    checks.push(
      missing.length
        ? { id: `${a.name} credentials`, status: 'fail', detail: `missing ${missing.join(', ')}`, fix: `merchant ${a.kind} connect ${a.name}` }
        : { id: `${a.name} credentials`, status: 'ok', detail: described.filter((d) => d.source !== 'missing').map((d) => `${d.name} (${d.source})`).join(', ') + (a.mode ? `; ${a.mode} mode` : '') },
    );
    // What the seller must renew by hand (never the short-lived access token, which renews itself).
    if (a.account) for (const r of renewalsOf(a.account, [...present])) checks.push(renewalCheck(a.name, r, o.now));
    if (o.offline || !a.base_url) {
      checks.push({ id: `${a.name} connectivity`, status: 'skip', detail: o.offline ? 'skipped (--offline)' : 'no base URL recorded' });
      continue;
    }
    checks.push(await reach(o.http, a.name, a.base_url, o.timeoutMs ?? 5000));
  }
  return checks;
}

function renewalCheck(name: string, r: Renewal, now: Date): Check {
  const v = judgeRenewal(r, now);
  const id = `${name} ${r.what}`;
  // Why, when the date is an estimate or there is nothing to renew; a stated or reported date speaks for itself.
  const why = r.basis === 'stated' || r.basis === 'reported' ? '' : `: ${r.note}`;
  if (v.status === 'ok') return { id, status: 'ok', detail: `${v.detail}${why}` };
  return { id, status: v.status, detail: `${v.detail}${why}`, fix: r.how };
}

/** Any HTTP answer means the host is reachable; only connection failures count as down. */
async function reach(http: Pick<HttpProbe, 'probe'>, name: string, url: string, timeout: number): Promise<Check> {
  const started = Date.now();
  const r = await http.probe(url, timeout);
  if ('status' in r) return { id: `${name} connectivity`, status: 'ok', detail: `${new URL(url).host} answered HTTP ${r.status} in ${Date.now() - started} ms` };
  const code = r.error.code ?? r.error.message;
  return { id: `${name} connectivity`, status: 'fail', detail: `${new URL(url).host} unreachable (${code})`, fix: 'check the network or proxy; for a sandbox URL, start `merchant sandbox start`' };
}
