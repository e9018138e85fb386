// The --json outputs of `stock import` and `orders assign` match their schemas in docs/schemas (the
// other stock commands are checked in the seller's-day run of test/cli/json-schemas.test.ts).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { stockHome } from './helpers.js';

const DIR = resolve(import.meta.dirname, '../../docs/schemas');

describe('stock --json outputs', () => {
  it('match docs/schemas', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    for (const f of readdirSync(DIR)) ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE', '--street', 'A 1', '--city', 'Leipzig', '--postal-code', '04158']);
    const s = h.store();
    // An open order of 2 × MUG-BLU-S reserved at home, as the order pull leaves it.
    s.db.prepare(`INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, source, created_at, updated_at)
      VALUES (1, 'shopify', 'shopify', '1001', 'paid', '2026-11-24T10:00:00Z', 'EUR', 'api', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z')`).run();
    s.db.prepare(`INSERT INTO order_stock_effects (order_id, sku, reserved, deducted, location_id) VALUES (1, 'MUG-BLU-S', 2, 0, (SELECT id FROM stock_locations WHERE is_home = 1))`).run();
    s.db.prepare(`UPDATE stock_levels SET reserved = 2 WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).run();
    s.db.prepare(`UPDATE orders SET stock_location_id = (SELECT id FROM stock_locations WHERE is_home = 1) WHERE id = 1`).run();
    await h.cli(['stock', 'set', 'MUG-BLU-S', '5', '--location', 'de-3pl']);
    const f = join(h.home, 's.csv');
    writeFileSync(f, 'sku,qty\nMUG-BLU-S,3\nNOPE,1\n');
    const cases: Array<[string, string[], number, string]> = [
      ['stock import', ['stock', 'import', f, '--location', 'de-3pl', '--skip-invalid', '--json'], 4, 'problems'],
      ['orders assign', ['orders', 'assign', '1001', '--location', 'de-3pl', '--json'], 0, 'moved'],
    ];
    for (const [path, args, code, nonEmpty] of cases) {
      const r = await h.cli(args);
      expect(r.code, r.stderr).toBe(code);
      const validate = ajv.getSchema(`https://merchant.local/schemas/${path.replace(/ /g, '-')}.schema.json`)!;
      const doc = JSON.parse(r.stdout);
      expect((doc[nonEmpty] as unknown[]).length, `${path}: no ${nonEmpty}, the check proves nothing`).toBeGreaterThan(0);
      expect(validate(doc), `${args.join(' ')}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
