// The new --json outputs of `stock` match their schemas in docs/schemas.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { stockHome } from './helpers.js';

const schema = (n: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../docs/schemas/${n}.schema.json`), 'utf8'));

describe('stock --json outputs', () => {
  it('match docs/schemas', async () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE', '--street', 'A 1', '--city', 'Leipzig', '--postal-code', '04158']);
    const f = join(h.home, 's.csv');
    writeFileSync(f, 'sku,qty\nMUG-BLU-S,3\nNOPE,1\n');
    const cases: Array<[string, string[]]> = [
      ['stock-locations-list', ['stock', 'locations', 'list', '--json']],
      ['stock-import', ['stock', 'import', f, '--location', 'de-3pl', '--skip-invalid', '--json']],
      ['stock-list', ['stock', 'list', '--json']],
      ['stock-list', ['stock', 'list', '--totals', '--json']],
    ];
    for (const [name, args] of cases) {
      const r = await h.cli(args);
      const validate = ajv.getSchema(schema(name).$id) ?? ajv.compile(schema(name));
      const doc = JSON.parse(r.stdout);
      expect(validate(doc), `${args.join(' ')}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
