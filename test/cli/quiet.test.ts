// Golden --quiet output of every writing command: with --quiet, a command that succeeded prints
// nothing on stdout (it was not asked for data) and nothing on stderr but what the user must act on.
// One home, the commands in the order a seller runs them, on a terminal (where tables, hints and
// spinners would otherwise appear), against the sandbox.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { sandbox, testEnv } from '../sync/helpers.js';

const FIX = resolve(import.meta.dirname, '../../fixtures');

interface Step {
  args: (ctx: Ctx) => string[];
  /** What stderr must say (only things to act on); empty when absent. */
  stderr?: RegExp;
  /** A dry run's plan or counts are the answer it was asked for: still printed with --quiet. */
  stdout?: RegExp;
  /** Exit code when not 0 (a held price is something to act on). */
  code?: number;
  /** A file the command had to write (so "printed nothing" is not "did nothing"). */
  wrote?: (ctx: Ctx) => string;
  after?: (ctx: Ctx, stdout: string) => void;
}
interface Ctx {
  home: string;
  url: string;
  shipment?: string;
}

const REFUND_DATES = /^warning: 2 refunds from the Shopify orders export are dated at their order's date[^\n]*\n$/;

const STEPS: Step[] = [
  { args: () => ['onboard', '--from', join(FIX, 'demo/profile.json'), '--marketplaces', 'shopify,ebay', '--quiet'] },
  { args: () => ['config', 'set', 'fx.maxAgeDays', '400', '--quiet'] },
  { args: () => ['config', 'set', 'sync.maxZeroShare', '0.5', '--quiet'] },
  { args: () => ['config', 'unset', 'sync.maxZeroShare', '--quiet'] },
  { args: () => ['fx', 'update', '--file', join(FIX, 'ecb/eurofxref.csv'), '--quiet'] },
  { args: () => ['fx', 'update', '--rate', 'EUR/USD=1.16', '--date', '2026-11-24', '--quiet'] },
  { args: (c) => ['marketplace', 'connect', 'shopify', '--sandbox', c.url, '--quiet'] },
  { args: (c) => ['marketplace', 'connect', 'ebay', '--sandbox', c.url, '--quiet'] },
  { args: (c) => ['carrier', 'connect', 'easypost', '--sandbox', c.url, '--quiet'] },
  { args: () => ['onboard', 'check', 'ebay', 'agreement', '--done', '--quiet'] },
  { args: (c) => ['listings', 'template', 'merchant', '--output', join(c.home, 'template.csv'), '--quiet'], wrote: (c) => join(c.home, 'template.csv') },
  { args: () => ['listings', 'import', join(FIX, 'listings/merchant.csv'), '--dry-run', '--quiet'], stdout: /^would be \(dry run\) +count\ncreated +\d+\n/ },
  { args: () => ['listings', 'import', join(FIX, 'listings/merchant.csv'), '--quiet'] },
  { args: (c) => ['listings', 'export', '--output', join(c.home, 'export.csv'), '--quiet'], wrote: (c) => join(c.home, 'export.csv') },
  { args: () => ['prices', 'rules', 'set', 'shop', '--channel', 'shopify', '--margin', '30%', '--quiet'] },
  { args: () => ['prices', 'rules', 'set', 'us', '--channel', 'ebay-us', '--markup', '40%', '--quiet'] },
  { args: () => ['prices', 'rules', 'remove', 'us', '--quiet'] },
  { args: () => ['prices', 'update', '--dry-run', '--quiet'], stdout: /^SKU +CHANNEL +OLD +NEW /, code: 4, stderr: /^error: 1 price held and 0 refused \(dry run\)\nhint: review the held moves and re-run with --yes[^\n]*\n$/ },
  { args: () => ['prices', 'update', '--yes', '--max-change', '100%', '--quiet'] },
  { args: () => ['sync', 'rules', 'set', 'safety', '--channel', 'shopify', '--buffer', '2', '--quiet'] },
  { args: () => ['sync', 'rules', 'remove', 'safety', '--quiet'] },
  { args: () => ['sync', '--dry-run', '--quiet'], stdout: /^MARKETPLACE +CALL +CALLS/ },
  {
    // The sandbox shop is empty, so one variant is missing there and eBay has no offers for the two
    // SKUs on either site: what the user must act on, and only that.
    args: () => ['sync', '--yes', '--quiet'],
    code: 4,
    stderr: /^(error: ebay-(uk|us) MUG-(BLU|GRN): NO_OFFER [^\n]*\n){4}error: shopify MUG-GRN: NOT_FOUND [^\n]*\nerror: 5 items failed, the rest landed: [^\n]*\nhint: fix the items above and run `merchant sync --yes` again[^\n]*\n$/,
  },
  // The export has no refund dates: a warning the accountant must know about, so --quiet keeps it.
  { args: () => ['orders', 'import', join(FIX, 'orders/shopify-orders-export.csv'), '--dry-run', '--quiet'], stdout: /^dry run, nothing written — orders: 4 created/, stderr: REFUND_DATES },
  { args: () => ['orders', 'import', join(FIX, 'orders/shopify-orders-export.csv'), '--quiet'], stderr: REFUND_DATES },
  {
    // Warnings the seller must act on (duty on the buyer, a missing IOSS number) stay.
    args: (c) => ['customs', 'declare', '--file', join(FIX, 'customs/parcel.json'), '--output', join(c.home, 'customs'), '--quiet'],
    stderr: /^warning: VAT_AT_IMPORT: [^\n]*IOSS[^\n]*\nwarning: PRODUCT_ID_MISSING: [^\n]*\n$/,
  },
  { args: () => ['ship', 'book', '--file', join(FIX, 'shipments/shipment.json'), '--cheapest', '--dry-run', '--quiet'], stdout: /^plan +book [\s\S]*nothing\s+sent\n/ },
  { args: () => ['ship', 'book', '--file', join(FIX, 'shipments/shipment.json'), '--cheapest', '--yes', '--quiet'], stderr: /^warning: customs US_POSTAL_DUTY_PREPAID: DAP by post to the US: [^\n]*\n$/ },
  {
    args: () => ['ship', 'list', '--json'],
    after: (c, out) => {
      // (An array today, {"items": […]} once ux2 has moved it to the house shape.)
      const doc = JSON.parse(out) as Array<{ reference: string }> | { items: Array<{ reference: string }> };
      c.shipment = (Array.isArray(doc) ? doc : doc.items)[0]!.reference;
    },
  },
  { args: (c) => ['ship', 'label', c.shipment!, '--output', join(c.home, 'label.pdf'), '--quiet'], wrote: (c) => join(c.home, 'label.pdf') },
  { args: (c) => ['ship', 'void', c.shipment!, '--dry-run', '--quiet'], stdout: /^would refund the \S+ label \S+ \(DEMO-SHIP-1\); nothing changed\n$/ },
  { args: (c) => ['ship', 'void', c.shipment!, '--yes', '--quiet'] },
  { args: (c) => ['report', 'sales', '--from', '2024-01-01', '--to', '2026-12-31', '--output', join(c.home, 'sales.csv'), '--quiet'], wrote: (c) => join(c.home, 'sales.csv'), stderr: /^warning: 1 refund is dated at the order's date [^\n]*\n$/ },
  { args: () => ['marketplace', 'remove', 'ebay', '--yes', '--quiet'] },
];

describe('--quiet: every writing command prints nothing when it succeeded', () => {
  it('in the order a seller runs them, on a terminal', { timeout: 60_000 }, async () => {
    const sb = await sandbox({ seedData: 'empty' });
    const ctx: Ctx = { home: tempDir('merchant-quiet-'), url: sb.url };
    const env = testEnv({ COLUMNS: '80', NO_COLOR: '1' });
    const seen: string[] = [];
    for (const step of STEPS) {
      const args = step.args(ctx);
      const r = await run(args, { home: ctx.home, env, tty: !step.after });
      const label = `merchant ${args.join(' ')}`;
      expect(r.code, `${label}\n${r.stderr}`).toBe(step.code ?? 0);
      if (step.after) {
        step.after(ctx, r.stdout);
        continue;
      }
      seen.push(label);
      if (step.stdout) expect(r.stdout, label).toMatch(step.stdout);
      else expect(r.stdout, label).toBe('');
      if (step.stderr) expect(r.stderr, label).toMatch(step.stderr);
      else expect(r.stderr, label).toBe('');
      if (step.wrote) expect(existsSync(step.wrote(ctx)), label).toBe(true);
    }
    expect(seen.length).toBe(STEPS.length - 1);
  });
});
