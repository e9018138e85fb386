// report stock reads its positions twice (the totals and warnings first, then the rows as they are
// written, so a million positions never sit in memory). Both passes run on one snapshot: a stock change
// committed by another process between them must not make the printed rows disagree with the totals.
import { describe, expect, it } from 'vitest';
import { stockHome, NOW } from './helpers.js';
import { StockValuationRepo } from '../../src/store/repos/stock-valuation.js';
import { stockReport } from '../../src/services/reports/stock.js';

describe('report stock: one snapshot for both passes', () => {
  it('rows printed after another process changed the stock are still the ones the totals summed', async () => {
    const h = stockHome();
    const reader = h.store();
    const writer = h.store(); // another connection: another merchant process
    const valuation = new StockValuationRepo(reader);
    const seen = await valuation.snapshot(async () => {
      const report = stockReport(valuation, reader, { today: NOW.slice(0, 10), timezone: 'UTC', maxAgeDays: 4, allowStale: false });
      // Committed between the passes (WAL: the writer does not wait for the reader).
      writer.tx(() => {
        writer.db.prepare("UPDATE stock_levels SET on_hand = on_hand + 100, updated_at = ?").run(NOW);
      });
      await new Promise((r) => setImmediate(r));
      const rows = [...report.rows()];
      return { rows, totals: report.totals };
    });
    const units = seen.rows.reduce((n, r) => n + r.quantity, 0);
    expect(units).toBe(seen.totals.reduce((n, t) => n + t.quantity, 0));
    expect(units).toBe(24 + 5); // the levels as they were when the report began
    // And after the snapshot, the change is there.
    const after = stockReport(valuation, reader, { today: NOW.slice(0, 10), timezone: 'UTC', maxAgeDays: 4, allowStale: false });
    expect([...after.rows()].reduce((n, r) => n + r.quantity, 0)).toBe(24 + 5 + 300);
  });
});
