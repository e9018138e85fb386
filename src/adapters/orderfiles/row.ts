// One record being read: typed cell access that records file:line:column problems instead of throwing.

import type { InputProblem } from '../../core/errors.js';
import { Header } from './detect.js';
import { parseMinor, parseTimestamp, parseCountry, splitMoney, type Parsed } from './parse.js';

export class Row {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly header: Header,
    readonly cells: readonly string[],
    private readonly problems: InputProblem[],
  ) {}

  text(name: string): string {
    return this.header.get(this.cells, name);
  }

  problem(name: string | undefined, message: string, rule = 'invalid'): void {
    const col = name ? this.header.col(name) : undefined;
    this.problems.push({
      file: this.file,
      line: this.line,
      column: col === undefined ? undefined : col + 1,
      field: name,
      value: name ? this.text(name) : undefined,
      rule,
      message,
    });
  }

  required(name: string): string {
    const v = this.text(name);
    if (!v) this.problem(name, 'is required', 'required');
    return v;
  }

  private take<T>(name: string, r: Parsed<T>, fallback: T): T {
    if ('error' in r) {
      this.problem(name, r.error);
      return fallback;
    }
    return r.ok;
  }

  money(name: string, currency: string): bigint {
    return this.take(name, parseMinor(this.text(name), currency), 0n);
  }

  /** eBay-style money with a symbol; checks the symbol agrees with the order currency. */
  symbolMoney(name: string, currency: string): bigint {
    const { currency: c, amount } = splitMoney(this.text(name));
    if (c && c !== currency) {
      this.problem(name, `is in ${c} but the order is in ${currency}`, 'currency');
      return 0n;
    }
    return this.take(name, parseMinor(amount, currency), 0n);
  }

  int(name: string, opts: { min?: number } = {}): number {
    const v = this.text(name);
    if (!/^-?\d+$/.test(v)) {
      this.problem(name, v ? `"${v}" is not a whole number` : 'is required', v ? 'integer' : 'required');
      return 0;
    }
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) this.problem(name, `must be at least ${opts.min}`, 'range');
    return n;
  }

  timestamp(name: string): string {
    const v = this.required(name);
    return v ? this.take(name, parseTimestamp(v), '') : '';
  }

  optionalTimestamp(name: string): string | null {
    const v = this.text(name);
    return v ? this.take<string | null>(name, parseTimestamp(v), null) : null;
  }

  country(name: string): string | null {
    return this.take<string | null>(name, parseCountry(this.text(name)), null);
  }
}
