// Configuration with precedence flag > environment (MERCHANT_*) > config file > default.
// Keys are dotted ("fx.maxAgeDays"); the environment twin is MERCHANT_FX_MAXAGEDAYS
// (upper-cased, dots → underscores). The file is JSON, flat keys or nested objects.

import { readFileSync, existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';

export type ConfigSource = 'flag' | 'env' | 'file' | 'default';

export class Config {
  private file: Record<string, unknown>;
  constructor(
    readonly path: string,
    private env: Record<string, string | undefined>,
    private flags: Record<string, string | undefined> = {},
  ) {
    this.file = {};
    if (existsSync(path)) {
      try {
        this.file = flatten(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
      } catch (e) {
        throw new UsageError(`the config file ${path} is not valid JSON: ${(e as Error).message}`, {
          hints: ['fix or remove it; `merchant config list` shows what merchant reads'],
        });
      }
    }
  }

  static envName(key: string): string {
    return `MERCHANT_${key.replace(/[.-]/g, '_').toUpperCase()}`;
  }

  lookup(key: string): { value: string | undefined; source: ConfigSource } {
    const f = this.flags[key];
    if (f !== undefined) return { value: f, source: 'flag' };
    const e = this.env[Config.envName(key)];
    if (e !== undefined && e !== '') return { value: e, source: 'env' };
    const v = this.file[key];
    if (v !== undefined && v !== null) return { value: String(v), source: 'file' };
    return { value: undefined, source: 'default' };
  }

  get(key: string, fallback: string): string;
  get(key: string): string | undefined;
  get(key: string, fallback?: string): string | undefined {
    return this.lookup(key).value ?? fallback;
  }

  getNumber(key: string, fallback: number): number {
    const v = this.get(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new UsageError(`config ${key} must be a number, got ${JSON.stringify(v)}`);
    return n;
  }

  getBool(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new UsageError(`config ${key} must be true or false, got ${JSON.stringify(v)}`);
  }

  fileEntries(): Record<string, unknown> {
    return { ...this.file };
  }

  set(key: string, value: string | undefined): void {
    if (value === undefined) delete this.file[key];
    else this.file[key] = value;
    writeFileAtomic(this.path, `${JSON.stringify(this.file, null, 2)}\n`, 0o600, { mkdir: true });
  }
}

function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}
