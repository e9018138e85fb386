// Every --json output is one document that matches docs/schemas/<noun>-<verb>.schema.json (draft 2020-12).
// The commands are run for real against the sandbox; a command that takes --json without a schema fails
// here, and a command without a JSON output refuses --json (exit 2) instead of printing text.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSON_COMMANDS, JSON_REFUSED, schemaFile } from '../../src/cli/json-commands.js';
import { sandbox, testEnv, world } from '../sync/helpers.js';
import { run, spawnBin, tempDir } from '../helpers/run.js';

const FIX = resolve(import.meta.dirname, '../../fixtures');

const DIR = resolve(import.meta.dirname, '../../docs/schemas');

// --json outputs not yet described by a schema. Shrink this list; the test fails when one of them gets a
// schema without being removed from it.
const PENDING = new Set<string>([]);

// Commands whose output needs a world of their own; their tests validate it against the same schema.
const CHECKED_ELSEWHERE: Record<string, string> = {
  'stock import': 'test/stock/schemas.test.ts (a 3PL stock file with a bad row)',
  'orders assign': 'test/stock/schemas.test.ts (an open order with a reservation)',
  'stock locations link': 'test/stock/shopify-locations.test.ts',
  'stock locations unlink': 'test/stock/shopify-locations.test.ts',
  'stock locations refresh': 'test/stock/shopify-locations.test.ts',
  unlock: 'test/store/lock.test.ts (a lock left by another host)',
  'orders ship': 'test/orders/ship.test.ts (a prepared order)',
  'listings publish': 'test/listings/publish.test.ts (Amazon catalogue matches and product types)',
};

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const f of readdirSync(DIR)) ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
  return (path: string) => {
    const v = ajv.getSchema(`https://merchant.local/schemas/${schemaFile(path)}`);
    if (!v) throw new Error(`no schema for ${path}`);
    return v;
  };
}

describe('JSON schemas', () => {
  it('every command that takes --json has a schema (or is named as pending); every schema belongs to one', () => {
    const missing = [...JSON_COMMANDS].filter((c) => !PENDING.has(c) && !existsSync(join(DIR, schemaFile(c))));
    expect(missing, 'commands with --json and no docs/schemas file').toEqual([]);
    const stale = [...PENDING].filter((c) => existsSync(join(DIR, schemaFile(c))));
    expect(stale, 'schemas exist: remove these from PENDING').toEqual([]);
    const files = readdirSync(DIR).filter((f) => f !== 'defs.schema.json');
    const owners = new Set([...JSON_COMMANDS].map(schemaFile));
    expect(files.filter((f) => !owners.has(f)), 'schemas of no command').toEqual([]);
    validator(); // every schema compiles (strict mode)
    // Each is found by the id its file name gives (a schema under another id is never checked).
    const ids = readdirSync(DIR).map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')).$id]);
    expect(ids.filter(([f, id]) => id !== `https://merchant.local/schemas/${f}`), 'schemas whose $id is not https://merchant.local/schemas/<file>').toEqual([]);
  });

  it('every JSON output, run for real against the sandbox in the order a seller works, matches its schema', { timeout: 120_000 }, async () => {
    const sb = await sandbox({ seedData: 'empty' });
    const home = tempDir('merchant-json-');
    const env = testEnv();
    const schemaOf = validator();
    const checked = new Set<string>();
    let shipment = '';
    // [command path, arguments, exit code, an array that must not be empty (so the check proves something)]
    const steps: Array<[string, () => string[], number?, string?]> = [
      ['onboard status', () => []],
      ['onboard', () => ['--from', join(FIX, 'demo/profile.json'), '--marketplaces', 'shopify,ebay'], 0, 'checklist'],
      ['onboard status', () => [], 0, 'marketplaces'],
      ['onboard check', () => ['ebay', 'agreement', '--done']],
      ['config get', () => ['fx.maxAgeDays']],
      ['config list', () => [], 0, 'items'],
      ['fx update', () => ['--file', join(FIX, 'ecb/eurofxref-hist.csv')], 0, 'imports'],
      ['fx update', () => ['--rate', 'EUR/USD=1.16', '--date', '2026-11-24'], 0, 'manual'],
      ['fx rates', () => [], 0, 'rates'],
      ['fx convert', () => ['100', 'USD', 'SEK'], 0, 'legs'],
      ['marketplace connect', () => ['shopify', '--sandbox', sb.url]],
      ['marketplace connect', () => ['ebay', '--sandbox', sb.url]],
      ['marketplace connect', () => ['amazon', '--sandbox', sb.url]],
      ['marketplace list', () => [], 0, 'items'],
      ['carrier connect', () => ['easypost', '--sandbox', sb.url]],
      ['carrier list', () => [], 0, 'items'],
      ['listings template', () => ['merchant'], 0, 'columns'],
      ['listings import', () => ['--dry-run', join(FIX, 'listings/merchant.csv')], 0, 'files'],
      ['listings import', () => [join(FIX, 'listings/merchant.csv')], 0, 'files'],
      ['listings import', () => [join(FIX, 'listings/merchant-invalid-rows.csv'), '--skip-invalid', '--rejects', join(home, 'rejects.csv')], 4, 'problems'], // rows rejected: exit 4, still one document
      ['listings list', () => [], 0, 'items'],
      ['listings show', () => ['MUG-BLU'], 0, 'channels'],
      ['prices rules set', () => ['shop', '--channel', 'shopify', '--margin', '30%']],
      ['prices rules set', () => ['us', '--channel', 'ebay-us', '--markup', '40%']],
      ['prices rules list', () => [], 0, 'items'],
      ['prices rules remove', () => ['us']],
      ['prices explain', () => ['MUG-BLU', '--channel', 'shopify'], 0, 'steps'],
      ['prices update', () => ['--dry-run', '--allow-stale'], 4, 'items'],
      ['prices update', () => ['--yes', '--max-change', '100%', '--allow-stale'], 0, 'stale'],
      ['sync rules set', () => ['safety', '--channel', 'shopify', '--buffer', '2']],
      ['sync rules list', () => [], 0, 'items'],
      ['sync rules remove', () => ['safety']],
      ['sync', () => ['--dry-run'], 0, 'planned'],
      ['sync', () => ['--yes'], 4, 'items'], // the empty sandbox shop lacks a variant: a partial run, still one document
      ['marketplace migrate', () => ['ebay', '--dry-run']],
      ['orders import', () => [join(FIX, 'orders/shopify-orders-export.csv')], 0, 'files'],
      ['orders import', () => [join(FIX, 'orders/amazon-all-orders.txt')], 0, 'files'],
      ['orders import', () => [join(FIX, 'orders/amazon-settlement.txt')], 0, 'files'],
      ['orders list', () => [], 0, 'items'],
      ['orders show', () => ['1'], 0, 'lines'],
      ['orders show', () => ['2', '--raw'], 0, 'refunds'],
      ['customs check', () => ['--file', join(FIX, 'customs/parcel.json')], 0, 'items'],
      ['customs declare', () => ['--file', join(FIX, 'customs/parcel.json'), '--output', join(home, 'customs')]],
      ['ship rates', () => ['--file', join(FIX, 'shipments/shipment.json')], 0, 'rates'],
      ['ship book', () => ['--file', join(FIX, 'shipments/shipment.json'), '--cheapest', '--dry-run']],
      ['ship book', () => ['--file', join(FIX, 'shipments/shipment.json'), '--cheapest', '--yes']],
      ['ship list', () => [], 0, 'items'],
      ['ship track', () => [shipment], 0, 'events'],
      ['ship label', () => [shipment, '--output', join(home, 'label.pdf')]],
      ['ship void', () => [shipment, '--dry-run']],
      ['ship void', () => [shipment, '--yes']],
      ['report sales', () => ['--from', '2024-01-01', '--to', '2026-12-31'], 0, 'rows'],
      ['report sales', () => ['--from', '2024-01-01', '--to', '2026-12-31', '--currency', 'SEK', '--group-by', 'month,channel', '--allow-stale'], 0, 'rows'],
      ['report sales', () => ['--from', '2024-01-01', '--to', '2026-12-31', '--detail'], 0, 'detail'],
      ['stock locations add', () => ['de-3pl', '--kind', '3pl', '--country', 'DE', '--name', 'Fulfillment Leipzig', '--street', 'Am Exer 12', '--city', 'Leipzig', '--postal-code', '04158']],
      ['stock locations edit', () => ['de-3pl', '--phone', '+49 341 1234567']],
      ['stock locations add', () => ['us-wh', '--kind', 'warehouse', '--country', 'US']],
      ['stock locations remove', () => ['us-wh']],
      ['stock locations map', () => ['shopify', 'home,de-3pl']],
      ['stock locations map', () => [], 0, 'items'],
      ['stock locations list', () => [], 0, 'items'],
      ['stock set', () => ['MUG-BLU', '6', '--location', 'de-3pl', '--reason', 'count']],
      ['stock adjust', () => ['MUG-BLU', '-1', '--location', 'de-3pl', '--reason', 'broken']],
      ['stock move', () => ['MUG-BLU', '2', '--from', 'home', '--to', 'de-3pl']],
      ['stock transfers', () => [], 0, 'items'],
      ['stock receive', () => ['1']],
      ['stock list', () => [], 0, 'items'],
      ['stock list', () => ['--totals'], 0, 'items'],
      ['report stock', () => [], 0, 'items'],
      ['report stock', () => ['--currency', 'SEK', '--allow-stale'], 0, 'items'],
      ['doctor', () => [], 0, 'checks'],
      ['marketplace remove', () => ['ebay', '--yes']],
    ];
    for (const [path, args, code, nonEmpty] of steps) {
      const argv = [...path.split(' '), ...args(), '--json'];
      const r = await run(argv, { home, env });
      const label = `merchant ${argv.join(' ')}`;
      expect(r.code, `${label}\n${r.stderr}`).toBe(code ?? 0);
      const doc = JSON.parse(r.stdout) as Record<string, unknown>;
      const v = schemaOf(path);
      expect(v(doc), `${label}: ${JSON.stringify(v.errors)}\n${r.stdout.slice(0, 1500)}`).toBe(true);
      if (nonEmpty) expect((doc[nonEmpty] as unknown[]).length, `${label} printed no ${nonEmpty}: the check proved nothing`).toBeGreaterThan(0);
      if (path === 'ship book' && !args().includes('--dry-run')) shipment = String(doc.reference);
      checked.add(path);
    }
    checked.add('sandbox start'); // below: it runs until stopped
    expect([...JSON_COMMANDS].filter((c) => !checked.has(c) && !PENDING.has(c) && !CHECKED_ELSEWHERE[c]), 'JSON commands no step runs').toEqual([]);
  });

  it('sandbox start --json matches its schema', { timeout: 30_000 }, async () => {
    const child = spawnBin(['sandbox', 'start', '--port', '0', '--json', '--seed-data', 'empty']);
    onTestFinished(() => {
      child.kill('SIGINT');
    });
    let out = '';
    const doc = await new Promise<unknown>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`sandbox start exited before printing one document: ${out}`)));
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        try {
          resolve(JSON.parse(out));
        } catch {
          /* not complete yet */
        }
      });
    });
    const v = validator()('sandbox start');
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
  });

  it('the schemas are strict: a money string, a timestamp with milliseconds or an unknown field fails', () => {
    const schemaOf = validator();
    const list = schemaOf('ship list');
    const item = { reference: 'R1', state: 'purchased', cost: { amount: '14.60', currency: 'USD' }, createdAt: '2026-11-03T09:15:00Z' };
    expect(list({ items: [item] }), JSON.stringify(list.errors)).toBe(true);
    expect(list({ items: [{ ...item, cost: '14.60 USD' }] })).toBe(false);
    expect(list({ items: [{ ...item, createdAt: '2026-11-03T09:15:00.000Z' }] })).toBe(false);
    expect(list({ items: [{ ...item, extra: 1 }] })).toBe(false);
    expect(list({ items: [{ ...item, reference: undefined }] })).toBe(false);
  });

  it('a command without a JSON output refuses --json with exit 2 and prints no text on stdout', async () => {
    const w = await world([]);
    for (const path of Object.keys(JSON_REFUSED).filter((p) => p !== 'demo')) {
      const args = path === 'config set' ? ['config', 'set', 'fx.maxAgeDays', '3'] : path === 'config unset' ? ['config', 'unset', 'fx.maxAgeDays'] : path.split(' ');
      const r = await w.cli([...args, '--json']);
      expect(r.code, path).toBe(2);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'usage' });
      expect(r.stderr).toMatch(/does not take --json/);
    }
  });
});
