// A terminal bar chart of net per period, one block of bars per currency. Bar lengths are the only
// place a float appears, and only for drawing (the figures printed beside them are exact).

import type { SalesRow, Metrics } from '../../../core/report.js';
import { amountText } from '../../../core/report-format.js';

export function barChart(rows: readonly SalesRow[], totals: Map<string, Metrics>, columns = 80): string {
  const out: string[] = [];
  for (const currency of totals.keys()) {
    const byPeriod = new Map<string, bigint>();
    for (const r of rows) if (r.currency === currency) byPeriod.set(r.period, (byPeriod.get(r.period) ?? 0n) + r.m.net);
    const max = [...byPeriod.values()].reduce((a, v) => (v < 0n ? (-v > a ? -v : a) : v > a ? v : a), 0n);
    const labelW = Math.max(...[...byPeriod.keys()].map((p) => p.length), 6);
    const figures = [...byPeriod.values()].map((v) => amountText(v, currency));
    const figW = Math.max(...figures.map((f) => f.length));
    const width = Math.max(10, columns - labelW - figW - 8);
    out.push(`net ${currency}`);
    let i = 0;
    for (const [period, v] of byPeriod) {
      const len = max === 0n ? 0 : Number(((v < 0n ? -v : v) * BigInt(width)) / max);
      const bar = (v < 0n ? '░' : '█').repeat(len);
      out.push(`${period.padEnd(labelW)}  ${figures[i++]!.padStart(figW)}  ${bar}`);
    }
  }
  return out.join('\n');
}
