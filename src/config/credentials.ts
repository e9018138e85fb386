// Secrets for marketplaces and carriers. Lookup order: MERCHANT_<SERVICE>_<NAME> environment variable,
// then the credentials file in MERCHANT_HOME (JSON, mode 0600; one readable by group or others is
// refused). Values are registered with redact() the moment they are read, so they can never be printed.
// An OS keychain backend can slot in behind the same interface; on headless Linux (cron) the keychain
// falls back to an in-memory store that does not survive a reboot, so the file is the default here.

import { readFileSync, existsSync, statSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';
import { registerSecret } from '../core/redact.js';
import { UsageError } from '../core/errors.js';

export type SecretSource = 'env' | 'file';

export interface SecretValue {
  value: string;
  source: SecretSource;
}

export class CredentialStore {
  private cache?: Record<string, Record<string, string>>;
  constructor(
    readonly path: string,
    private env: Record<string, string | undefined>,
  ) {}

  static envName(service: string, name: string): string {
    return `MERCHANT_${service}_${name}`.replace(/[.-]/g, '_').toUpperCase();
  }

  private readFile(): Record<string, Record<string, string>> {
    if (this.cache) return this.cache;
    if (!existsSync(this.path)) return (this.cache = {});
    const st = statSync(this.path);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new UsageError(
        `refusing to read ${this.path}: it is readable by other users (mode ${(st.mode & 0o777).toString(8)})`,
        { hints: [`run: chmod 600 ${this.path}`] },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      throw new UsageError(`the credentials file ${this.path} is not valid JSON`, {
        hints: ['move it aside and reconnect with `merchant marketplace connect`'],
      });
    }
    const data = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, Record<string, string>>;
    for (const svc of Object.values(data)) for (const v of Object.values(svc ?? {})) registerSecret(v);
    return (this.cache = data);
  }

  get(service: string, name: string): SecretValue | undefined {
    const e = this.env[CredentialStore.envName(service, name)];
    if (e) {
      registerSecret(e);
      return { value: e, source: 'env' };
    }
    const v = this.readFile()[service]?.[name];
    if (v) {
      registerSecret(v);
      return { value: v, source: 'file' };
    }
    return undefined;
  }

  /** Store several secrets of one service at once (replacing the service's previous entry). */
  setService(service: string, values: Record<string, string>): void {
    const data = { ...this.readFile() };
    for (const v of Object.values(values)) registerSecret(v);
    data[service] = { ...values };
    writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`, 0o600, { mkdir: true });
    this.cache = data;
  }

  removeService(service: string): boolean {
    const data = { ...this.readFile() };
    if (!(service in data)) return false;
    delete data[service];
    writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`, 0o600, { mkdir: true });
    this.cache = data;
    return true;
  }

  /** Which names are stored for a service, and where each comes from (never the values). */
  describe(service: string, names: readonly string[]): Array<{ name: string; source: SecretSource | 'missing' }> {
    return names.map((name) => ({ name, source: this.get(service, name)?.source ?? 'missing' }));
  }

  fileMode(): number | undefined {
    return existsSync(this.path) ? statSync(this.path).mode & 0o777 : undefined;
  }
}
