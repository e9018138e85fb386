// `merchant stock list` streams from the store (a million SKUs printed in the memory of a few rows):
// what it prints must be what the whole-list version printed. The oracle below is that version — all
// levels and all totals read into memory, a total line under a SKU counted in more than one place —
// over levels chosen for the edges: an empty level beside a held one (totals count it), a SKU held
// only as unfulfillable units (no totals row when empty levels are hidden), SKUs in one place only.
import { describe, expect, it } from 'vitest';
import { stockHome, NOW, type StockHome } from './helpers.js';

interface Level { sku: string; location: string; onHand: number; reserved: number; available: number; inbound: number; unfulfillable: number }
interface Total { sku: string; onHand: number; reserved: number; available: number; inbound: number; locations: number }

const SKUS = Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${String(i).padStart(3, '0')}`, stock: i % 4 === 0 ? 0 : i }));

function build(): StockHome {
  const h = stockHome(SKUS);
  const s = h.store();
  s.tx(() => {
    for (const code of ['de-3pl', 'us-wh']) {
      s.db.prepare(`INSERT INTO stock_locations (code, name, kind, created_at, updated_at) VALUES (?, ?, 'warehouse', ?, ?)`).run(code, code, NOW, NOW);
    }
    const at = (code: string) => (s.db.prepare('SELECT id FROM stock_locations WHERE code = ?').get(code) as { id: bigint }).id;
    const put = s.db.prepare(
      `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at) SELECT ?, id, ?, ?, ?, ?, ? FROM variants WHERE sku = ?
       ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, inbound = excluded.inbound, unfulfillable = excluded.unfulfillable`,
    );
    SKUS.forEach(({ sku }, i) => {
      if (i % 3 === 0) put.run(at('de-3pl'), i % 2, 0, i % 5 === 0 ? 3 : 0, 0, NOW, sku); // some empty, some inbound only
      if (i % 7 === 0) put.run(at('us-wh'), 0, 0, 0, i % 2 ? 2 : 0, NOW, sku); // unfulfillable only, or empty
      if (i % 11 === 0) put.run(at('home'), 6, 6, 0, 0, NOW, sku); // all reserved
    });
    // Held only as unfulfillable units, in two places.
    put.run(at('home'), 0, 0, 0, 1, NOW, 'SKU-004');
    put.run(at('us-wh'), 0, 0, 0, 4, NOW, 'SKU-004');
  });
  return h;
}

/** The whole-list version: every level and every total in memory. */
function oracle(h: StockHome, o: { all?: boolean; location?: string; skus?: string[] }) {
  const where = [o.location ? `l.code = '${o.location}'` : '1', o.skus ? `v.sku IN (${o.skus.map((x) => `'${x}'`).join(',')})` : '1'].join(' AND ');
  const levels = h
    .q<{ sku: string; location: string; on_hand: bigint; reserved: bigint; inbound: bigint; unfulfillable: bigint }>(
      `SELECT v.sku, l.code AS location, s.on_hand, s.reserved, s.inbound, s.unfulfillable FROM stock_levels s JOIN variants v ON v.id = s.variant_id JOIN stock_locations l ON l.id = s.location_id
        WHERE ${where} ORDER BY v.sku, l.is_home DESC, l.code`,
    )
    .map((r): Level => ({ sku: r.sku, location: r.location, onHand: Number(r.on_hand), reserved: Number(r.reserved), available: Math.max(0, Number(r.on_hand) - Number(r.reserved)), inbound: Number(r.inbound), unfulfillable: Number(r.unfulfillable) }));
  const held = (l: Level) => l.onHand !== 0 || l.reserved !== 0 || l.inbound !== 0 || l.unfulfillable !== 0;
  const totals = new Map<string, Total>();
  for (const l of levels) {
    const t = totals.get(l.sku) ?? { sku: l.sku, onHand: 0, reserved: 0, available: 0, inbound: 0, locations: 0, counted: 0 };
    Object.assign(t, { onHand: t.onHand + l.onHand, reserved: t.reserved + l.reserved, available: t.available + l.available, inbound: t.inbound + l.inbound, locations: t.locations + 1 });
    (t as { counted: number }).counted += l.onHand !== 0 || l.reserved !== 0 || l.inbound !== 0 ? 1 : 0;
    totals.set(l.sku, t);
  }
  const totalList = [...totals.values()].filter((t) => o.all || (t as unknown as { counted: number }).counted > 0).map(({ counted: _c, ...t }: Total & { counted?: number }) => t);
  const shown = levels.filter((l) => o.all || held(l));
  const byS = new Map(totalList.map((t) => [t.sku, t]));
  const lines: string[] = ['SKU\tLOCATION\tON HAND\tRESERVED\tAVAILABLE\tINBOUND'];
  shown.forEach((l, i) => {
    lines.push([l.sku, l.location, l.onHand, l.reserved, l.available, l.inbound].join('\t'));
    const t = byS.get(l.sku);
    if (shown[i + 1]?.sku !== l.sku && t && t.locations > 1 && !o.location) lines.push(['', 'total', t.onHand, t.reserved, t.available, t.inbound].join('\t'));
  });
  const totalLines = ['SKU\tON HAND\tRESERVED\tAVAILABLE\tINBOUND\tLOCATIONS', ...totalList.map((t) => [t.sku, t.onHand, t.reserved, t.available, t.inbound, t.locations].join('\t'))];
  return { text: shown.length ? `${lines.join('\n')}\n` : '', json: { items: shown, totals: totalList, total: shown.length }, totalsText: totalList.length ? `${totalLines.join('\n')}\n` : '', totalsJson: { items: totalList, total: totalList.length } };
}

describe('stock list (streamed)', () => {
  it('prints what the whole-list version printed: pipe and --json, with and without --all, --location, --sku, --totals', async () => {
    const h = build();
    const cases: Array<[string[], { all?: boolean; location?: string; skus?: string[] }]> = [
      [[], {}],
      [['--all'], { all: true }],
      [['--location', 'de-3pl'], { location: 'de-3pl' }],
      [['--location', 'us-wh', '--all'], { location: 'us-wh', all: true }],
      [['--sku', 'SKU-000,SKU-004,SKU-021,SKU-033'], { skus: ['SKU-000', 'SKU-004', 'SKU-021', 'SKU-033'] }],
      [['--sku', 'NOPE'], { skus: ['NOPE'] }],
    ];
    let totalLines = 0;
    for (const [args, o] of cases) {
      const want = oracle(h, o);
      const text = await h.cli(['stock', 'list', ...args]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout, args.join(' ')).toBe(want.text);
      totalLines += text.stdout.split('\n').filter((l) => l.startsWith('\ttotal\t')).length;
      const json = await h.cli(['stock', 'list', ...args, '--json']);
      expect(JSON.parse(json.stdout), `${args.join(' ')} --json`).toEqual(want.json);
      const totals = await h.cli(['stock', 'list', '--totals', ...args]);
      expect(totals.stdout, `--totals ${args.join(' ')}`).toBe(want.totalsText);
      const totalsJson = await h.cli(['stock', 'list', '--totals', ...args, '--json']);
      expect(JSON.parse(totalsJson.stdout), `--totals ${args.join(' ')} --json`).toEqual(want.totalsJson);
    }
    expect(totalLines).toBeGreaterThan(10); // (the cases do reach the total lines)
    // Nothing to show: a message on stderr, nothing on stdout.
    const none = await h.cli(['stock', 'list', '--sku', 'NOPE']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/no stock recorded/);
  });
});
