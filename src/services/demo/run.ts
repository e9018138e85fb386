// The demo story. Every step is a real `merchant …` command run in-process against a throw-away
// MERCHANT_HOME, its output shown indented under a heading. A failing step stops the demo with that
// step's exit code, so the demo can never claim success it did not have.

import { fixturesPath } from '../../config/paths.js';
import { CommandFailed } from '../../core/errors.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';

interface Step {
  title: string;
  what: string;
  commands: (s: Sandbox) => string[][];
  /** Exit codes that are part of the story (e.g. 4 for a held price change). */
  accept?: number[];
}

/**
 * What the demo needs from the command line around it: somewhere to print, styles for headings, and a
 * way to run one `merchant …` command in-process (the CLI supplies it; this service never imports
 * the CLI). `run` returns the exit code and what the command printed on stdout and stderr, in order.
 */
export interface DemoHost {
  out(text: string): void;
  heading(text: string): string;
  dim(text: string): string;
  env: Record<string, string | undefined>;
  run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; output: string }>;
}

export function demoSteps(): Step[] {
  const f = (...p: string[]) => fixturesPath(...p);
  return [
    {
      title: 'Onboard a demo business',
      what: 'A Swedish ceramics maker selling on Amazon, eBay and Shopify, set up non-interactively from a profile file (on a terminal, `merchant onboard` asks instead).',
      commands: () => [['onboard', '--no-input', '--from', f('demo', 'profile.json'), '--quiet']],
    },
    {
      title: 'Connect the marketplaces and a carrier',
      what: 'Each connection is verified with one real API call (here against the sandbox, with its test credentials); secrets go to a 0600 file, never to the database.',
      commands: (s) => [
        ['marketplace', 'connect', 'amazon', '--sandbox', s.url],
        ['marketplace', 'connect', 'ebay', '--sandbox', s.url],
        ['marketplace', 'connect', 'shopify', '--sandbox', s.url],
        ['carrier', 'connect', 'easypost', '--sandbox', s.url],
      ],
    },
    {
      title: 'Import the catalogue',
      what: 'The seller\'s own files as they are: a Shopify product export, then an Amazon inventory flat file for the same SKUs (format detected by header signature; re-importing changes nothing).',
      commands: () => [
        ['listings', 'import', f('demo', 'catalogue-shopify.csv')],
        ['listings', 'import', f('demo', 'catalogue-amazon-uk.txt')],
        ['listings', 'list'],
      ],
    },
    {
      title: 'Load reference exchange rates',
      what: 'The ECB euro reference rates, full history from the bundled file (a cron job runs `fx update --source ecb`), stored as the exact decimals published.',
      commands: () => [['fx', 'update', '--file', f('ecb', 'eurofxref-hist.csv')]],
    },
    {
      title: 'Convert exactly',
      what: 'A cross rate through EUR as an exact fraction, rounded once; a Sunday falls back to the Friday publication, and says so.',
      commands: () => [['fx', 'convert', '19.99', 'GBP', 'USD', '--date', '2026-04-12']],
    },
    {
      title: 'Set pricing rules and compute every channel price',
      what: 'Amazon UK: 25% margin after a 15.3% referral fee (min £0.25), 20% VAT included, 2% FX buffer, .99 endings; elsewhere 30% with the marketplace fee defaults. The bundled rates end on 2026-04-13, hence --allow-stale.',
      commands: () => [
        ['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15.3%+0.00', '--min-fee', '0.25', '--vat', '20%', '--vat-included', '--fx-buffer', '2%', '--ending', '.99', '--min', '5.00', '--max', '500.00'],
        ['prices', 'rules', 'set', 'default', '--margin', '30%', '--fx-buffer', '2%', '--ending', '.90'],
        ['prices', 'update', '--channel', 'amazon-uk,amazon-de,ebay-uk,shopify', '--yes', '--allow-stale'],
      ],
    },
    {
      title: 'Explain one price',
      what: 'Every step of the solve with its exact value: cost, rate, fees, VAT, the one rounding, the clamp.',
      commands: () => [['prices', 'explain', 'MUG-BLU-S', '--channel', 'amazon-uk']],
    },
    {
      title: 'Stock where it is: Sweden and a 3PL in Leipzig',
      what: 'The home warehouse is in Sweden; a fulfilment company in Leipzig holds stock for amazon-de\'s merchant-fulfilled listings. Its stock report (German headers, semicolons, one line per bin) sets the 3PL\'s stock; amazon-de now offers the 3PL\'s stock, and its orders reserve there.',
      commands: () => [
        ['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE', '--name', 'Fulfillment Leipzig', '--street', 'Am Exer 12', '--postal-code', '04158', '--city', 'Leipzig', '--phone', '+49 341 1234567', '--quiet'],
        ['stock', 'locations', 'map', 'amazon-de', 'de-3pl', '--quiet'],
        ['stock', 'import', f('demo', 'leipzig-bestand.csv'), '--location', 'de-3pl'],
        ['stock', 'locations', 'list'],
      ],
    },
    {
      title: 'Preview the sync',
      what: 'The plan: per marketplace the calls and batches, and every item old → new. Nothing is sent.',
      commands: () => [['sync', '--dry-run']],
    },
    {
      title: 'Sync',
      what: 'Only the deltas, in batches at each API\'s limit; every item acknowledged per the marketplace\'s own answer; orders pulled incrementally.',
      commands: () => [['sync', '--yes']],
    },
    {
      title: 'Stock at Amazon and in Shopify\'s locations',
      what: 'The sync read amazon-de\'s FBA stock (getInventorySummaries) into the read-only location fba-de: Amazon ships those orders from its own stock, so merchant never sends that listing a quantity and an FBA order leaves Sweden\'s stock alone. Shopify has three locations: its Studio sells the home warehouse\'s stock and Warehouse Malmö a Malmö warehouse\'s; once linked, each gets its own quantity, and nothing goes to the pop-up.',
      commands: () => [
        ['stock', 'locations', 'refresh', '--marketplace', 'shopify'],
        ['stock', 'locations', 'add', 'malmo', '--kind', 'warehouse', '--country', 'SE', '--name', 'Malmö warehouse', '--street', 'Hamngatan 4', '--postal-code', '211 22', '--city', 'Malmö', '--quiet'],
        ['stock', 'set', 'MUG-BLU-S', '9', '--location', 'malmo', '--reason', 'opening stock', '--quiet'],
        ['stock', 'locations', 'link', 'shopify-studio', 'home', '--quiet'],
        ['stock', 'locations', 'link', 'shopify-warehouse-malmo', 'malmo', '--quiet'],
        ['sync', '--marketplace', 'shopify', '--only', 'inventory', '--yes'],
        ['stock', 'list', '--sku', 'MUG-BLU-L,MUG-BLU-S'],
      ],
    },
    {
      title: 'Orders from every marketplace',
      what: 'Normalised: status, destination, currency, lines, shipping, tax, fees; the raw payload is kept for audit.',
      commands: () => [['orders', 'list']],
    },
    {
      title: 'eBay: one SKU per site, and listings made in Seller Hub',
      what: 'eBay offers a SKU on one site only and cannot see listings made in Seller Hub until they are migrated. The shop also sells on ebay.de (MUG-BLU-S-DE…): add the storefront, price it, see the plan, migrate listing by listing (eBay refuses one, merchant blocks one whose SKU is taken: exit 4 says so), and the eBay SKU each storefront knows.',
      commands: (s) => [
        ['marketplace', 'connect', 'ebay', '--sandbox', s.url, '--channels', 'ebay-uk,ebay-de'],
        ['prices', 'update', '--channel', 'ebay-de', '--yes', '--allow-stale'],
        ['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--dry-run'],
        ['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--yes'],
        ['listings', 'show', 'MUG-BLU-S'],
      ],
      accept: [4],
    },
    {
      title: 'A new SKU listed on amazon-de',
      what: 'A white vase joins the shop. Sync only keeps existing listings; `listings publish` creates new ones: its EAN is found in Amazon\'s catalogue (an ASIN a retailer made), so it becomes an offer on that ASIN, priced by the rules and stocked by the inventory rules. The dry run asks Amazon and sends nothing; the real run is recorded before it is sent, so a crash or a lost answer never lists it twice.',
      commands: () => [
        ['listings', 'import', f('demo', 'new-product-shopify.csv'), '--quiet'],
        ['prices', 'update', '--channel', 'amazon-de', '--sku', 'VASE-WHT', '--yes', '--allow-stale'],
        ['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--dry-run'],
        ['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--yes'],
        ['listings', 'show', 'VASE-WHT'],
      ],
    },
    {
      title: 'A new SKU listed on ebay-uk',
      what: 'A grey bud vase joins the shop. On eBay a new listing needs a category (eBay suggests some from the title; the seller confirms one, kept per product), the item specifics that category requires (Brand from the catalogue, Material from a small file), the business policies (the account has one of each for ebay.co.uk, so they are taken and kept) and a merchant location (created from the ship-from address). Then an inventory item, one offer, publish: recorded before it is sent, never listed twice.',
      commands: () => [
        ['listings', 'import', f('demo', 'new-product-ebay.csv'), '--quiet'],
        ['prices', 'update', '--channel', 'ebay-uk', '--sku', 'BUDVASE-GRY', '--yes', '--allow-stale', '--quiet'],
        ['listings', 'publish', 'BUDVASE-GRY', '--channel', 'ebay-uk', '--dry-run'],
        ['listings', 'publish', 'BUDVASE-GRY', '--channel', 'ebay-uk', '--attributes', f('demo', 'ebay-specifics.csv'), '--yes'],
        ['listings', 'show', 'BUDVASE-GRY'],
      ],
    },
    {
      title: 'Customs for a parcel to the United States',
      what: 'Rules with effective dates and sources: US de minimis is suspended since 2025-08-29, so duty applies to every parcel and the post collects it before delivery; postal articles carry a 10-digit HTSUS code since 2026-07-24; CN22 below 300 SDR.',
      commands: () => [['customs', 'check', '5600000002']],
    },
    {
      title: 'Book the cheapest label',
      what: 'A ledger row is committed before the purchase, so a crash or timeout never buys a second label; the PDF label and CN22 are saved under the home.',
      commands: () => [['ship', 'book', '5600000002', '--cheapest', '--yes']],
    },
    {
      title: 'The tracking reaches Shopify',
      what: 'The label\'s carrier and tracking number were recorded with the purchase and sent to Shopify (fulfillmentCreate on the order\'s fulfillment order) right after it; the order now shows as shipped and its parcel as confirmed. Had Shopify been down, the next `merchant sync` would have sent it, once.',
      commands: () => [['orders', 'show', '5600000002']],
    },
    {
      title: 'A parcel from the German 3PL',
      what: 'An amazon-de order reserved at the Leipzig 3PL ships from there: Leipzig → Leipzig is inside the EU, so no customs form; the label names the 3PL as sender, and the candle leaves the 3PL\'s stock, not Sweden\'s.',
      commands: () => [
        ['customs', 'check', '302-1234567-1000003'],
        ['ship', 'book', '302-1234567-1000003', '--cheapest', '--yes'],
        ['stock', 'list', '--sku', 'CANDLE-LAV,TEA-TWL-NAT,BOWL-GRY-M'],
      ],
    },
    {
      title: 'Sales report for November, in EUR',
      what: 'Each order converted at the latest rate on or before its date (the report says which dates it used; the bundled rates end on 2026-04-13, hence --allow-stale); tax kept apart from revenue; the totals equal the sum of the rows and of the order lines.',
      commands: () => [['report', 'sales', '--from', '2026-11-01', '--to', '2026-11-30', '--group-by', 'channel', '--currency', 'EUR', '--allow-stale']],
    },
    {
      title: 'Stock valuation for the accountant',
      what: 'Quantity and value at catalogue cost per SKU and location, in SEK at the ECB rate of the day (the bundled rates end on 2026-04-13, hence --allow-stale); each total is the exact sum of its rows. `--at 2026-12-31` rebuilds year-end stock from the movement history.',
      commands: () => [['report', 'stock', '--currency', 'SEK', '--allow-stale']],
    },
    {
      title: 'Where onboarding stands',
      what: 'Accounts are checked off by the verified connections and first listings by the acknowledged sync; the rest is the seller\'s own checklist.',
      commands: () => [['onboard', 'status']],
    },
  ];
}

export async function runDemo(host: DemoHost, home: string): Promise<void> {
  const h = host.heading;
  const sandbox = await startSandbox({ port: 0 });
  try {
    host.out(h('merchant demo'));
    host.out(`Sandbox (local emulator of Amazon, eBay, Shopify, EasyPost, Shippo) at ${sandbox.url}`);
    host.out(`Throw-away home: ${home}\n`);
    const steps = demoSteps();
    const started = Date.now();
    for (const [i, step] of steps.entries()) {
      host.out(h(`${i + 1}/${steps.length}  ${step.title}`));
      host.out(host.dim(step.what));
      for (const args of step.commands(sandbox)) {
        host.out(host.dim(`$ merchant ${args.map((a) => quote(a.startsWith(fixturesPath()) ? a.slice(fixturesPath().length - 'fixtures'.length) : a)).join(' ')}`));
        const r = await host.run(args, stepEnv(host.env, home));
        const shown = r.output.trimEnd();
        if (shown) host.out(shown.split('\n').map((l) => `    ${l}`).join('\n'));
        if (r.code !== 0 && !(step.accept ?? []).includes(r.code)) {
          throw new CommandFailed(`demo step ${i + 1} (${step.title}) failed with exit code ${r.code}: merchant ${args.join(' ')}`, r.code, {
            hints: ['run the failing command yourself with --verbose (keep the home with `merchant demo --keep`)'],
          });
        }
      }
      host.out('');
    }
    host.out(h(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Try next:`));
    for (const line of [
      'merchant demo --keep                   # keep the demo home and explore it (export MERCHANT_HOME=…)',
      'merchant sandbox start --port 4010     # keep the emulator running; connect with --sandbox URL',
      'merchant onboard                       # set up your own business (guided)',
      'merchant listings template shopify     # a blank, documented import template',
      'merchant report sales --from 2026-11-01 --to 2026-11-30 --format csv --profile xero',
      'merchant help exit-codes               # what cron jobs can rely on',
    ]) host.out(`  ${line}`);
  } finally {
    await sandbox.stop();
  }
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The environment of a demo step: the throw-away home, and an order pull that reaches the demo's orders. */
function stepEnv(base: Record<string, string | undefined>, home: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base, MERCHANT_HOME: home, MERCHANT_DB: undefined };
  // The sandbox's demo orders are from November 2026: make the first order pull reach back to them
  // whenever the demo runs.
  const days = Math.ceil((Date.now() - Date.parse('2026-10-01T00:00:00Z')) / 86_400_000);
  env.MERCHANT_SYNC_ORDERSSINCEDAYS = String(Math.max(60, days));
  return env;
}
