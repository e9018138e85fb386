import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { CancelledError, PartialFailure, UsageError } from '../../../core/errors.js';
import { ebayMigrationDeps, parseMarketplace } from '../../../services/marketplace/accounts.js';
import { listingMappingStore } from '../../../store/repos/listing-mappings.js';
import { marketplaceConnector } from '../../wiring/marketplaces.js';
import { applyListingMigration, planListingMigration, type MigrationItem, type MigrationReport } from '../../../services/marketplace/migrate.js';

const HELP = `
eBay's Inventory API (which merchant syncs through) cannot see listings made in Seller Hub or with
the Trading API until they are migrated: their prices and stock cannot be synced before. This asks eBay
for the active fixed-price listings of each connected eBay storefront (the Active Inventory Report),
matches them to the catalogue by SKU, and migrates those that sell your SKUs (bulkMigrateListing, five
per call; eBay migrates a listing whole or not at all). Migration cannot be undone: afterwards the
listing is revised through the Inventory API only.

eBay offers a SKU on one marketplace only. The home storefront (the first of \`marketplace connect ebay
--channels\`) uses your SKU; the others use SKU-<SITE> (MUG-BLU-S-DE on ebay-de) unless a listing's own
SKU is found here, or --map says which of your SKUs an eBay SKU is (MUG_BLUE_DE=MUG-BLU-S); the eBay SKU
of each storefront is stored and shown by \`merchant listings show SKU\`.

Actions: migrate · already-migrated (its SKUs and offers are remembered) · blocked (eBay would refuse
it: an item without a SKU, or a SKU the Inventory API already uses on another listing) · skipped
(none of its SKUs is in the catalogue on that storefront; --listing ID migrates it anyway).

Exit codes: 0 done (or nothing to do) · 4 some listings failed or are blocked (the rest migrated) ·
6 eBay unreachable or refused the credentials · 7 eBay not connected.

Examples:
  $ merchant marketplace migrate ebay --dry-run
  $ merchant marketplace migrate ebay --channels ebay-de --yes
  $ merchant marketplace migrate ebay --listing 120500000001,120500000004 --yes --json
  $ merchant marketplace migrate ebay --map MUG_BLUE_DE=MUG-BLU-S --map-file ebay-skus.csv --dry-run
    (ebay-skus.csv: two columns, the eBay SKU then your SKU; a header line is optional)`;

interface Opts {
  channels?: string;
  listing?: string[];
  map?: string[];
  mapFile?: string;
  dryRun?: boolean;
  yes?: boolean;
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

export function registerMigrate(parent: Command, ctx: Ctx): void {
  parent
    .command('migrate <marketplace>')
    .description('Migrate eBay listings made in Seller Hub or the Trading API into the Inventory API (eBay only)')
    .option('--channels <list>', 'only these eBay storefronts (default: every connected one), e.g. ebay-de')
    .option('--listing <ids>', 'only these eBay listing (item) ids, migrated even when not in the catalogue; repeatable or comma-separated', list)
    .option('--map <ebaySku=sku>', 'which catalogue SKU an eBay SKU is (wins over the convention); repeatable or comma-separated', list)
    .option('--map-file <file>', 'the same as a CSV/TSV file: eBay SKU, catalogue SKU per line')
    .option('--dry-run', 'list what would be migrated and change nothing')
    .option('-y, --yes', 'migrate without asking (required without a terminal)')
    .addHelpText('after', HELP)
    .action(async (name: string, opts: Opts) => {
      const mp = parseMarketplace(name);
      if (mp !== 'ebay') throw new UsageError(`only eBay listings need migrating (${mp} listings are synced as they are)`, { hints: ['run `merchant marketplace migrate ebay`'] });
      for (const id of opts.listing ?? []) if (!/^\d{6,19}$/.test(id)) throw new UsageError(`--listing takes eBay listing (item) ids such as 120500000001, got "${id}"`);
      if (!opts.dryRun) await ctx.writeLock('marketplace migrate');
      const channels = opts.channels?.split(',').map((s) => s.trim()).filter(Boolean);
      const store = ctx.store();
      const deps = ebayMigrationDeps(store, ctx.credentials(), marketplaceConnector(httpFactoryFromCtx(ctx)), listingMappingStore(store), channels);
      const map = readMap(ctx, opts);
      const unknown = [...new Set(map.values())].filter((sku) => !deps.repo.existingSkus([sku]).has(sku));
      if (unknown.length) throw new UsageError(`--map: no SKU ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''} in the catalogue`, { hints: ['the right-hand side is your SKU (`merchant listings list`), the left-hand side the eBay SKU (custom label)'] });
      const io = ctx.io;
      const spinner = io.spinner('asking eBay for the active listings…');
      const progress = (m: string) => spinner.update(m);
      let report: MigrationReport;
      try {
        report = await planListingMigration(deps.port, deps.repo, { channels: deps.channels, homeChannel: deps.home, listingIds: opts.listing, map, progress });
        if (!opts.dryRun && report.counts.migrate + report.counts.alreadyMigrated > 0) {
          if (report.counts.migrate > 0) {
            spinner.stop();
            if (!opts.yes && !ctx.globals.json) render(ctx, report);
            const ok = await ctx.prompt.confirm(`Migrate ${report.counts.migrate} eBay listing${report.counts.migrate === 1 ? '' : 's'} to the Inventory API? This cannot be undone.`, { yes: opts.yes });
            if (!ok) throw new CancelledError('nothing was migrated');
          }
          report = await applyListingMigration(deps.port, deps.repo, report, { now: () => ctx.clock.now().toISOString(), progress });
        } else if (!opts.dryRun) {
          report = { ...report, dryRun: false };
        }
      } finally {
        spinner.stop();
      }

      if (ctx.globals.json) printJson(io, report);
      else if (report.dryRun || !ctx.globals.quiet) render(ctx, report); // --quiet: a real run says only what went wrong
      const c = report.counts;
      const bad = report.items.filter((i) => i.action === 'blocked' || i.result === 'failed' || i.result === 'unconfirmed');
      if (!ctx.globals.json) {
        if (report.dryRun) io.info(`${c.migrate} to migrate, ${c.alreadyMigrated} already migrated, ${c.blocked} blocked, ${c.skipped} skipped (dry run: nothing was migrated or written)`);
        else if (!bad.length) io.success(c.migrated ? `${c.migrated} listing${c.migrated === 1 ? '' : 's'} migrated; their SKUs and offers are stored` : c.alreadyMigrated ? 'nothing to migrate: every listing of yours is in the Inventory API' : 'nothing to migrate');
      }
      if (!report.dryRun && bad.length) {
        const first = bad.slice(0, 3).map((i) => `${i.listingId} ${i.code ? `${i.code} ` : ''}${i.message ?? i.reason ?? ''}`).join('; ');
        throw new PartialFailure(`${bad.length} listing${bad.length === 1 ? '' : 's'} not migrated${c.migrated ? `, ${c.migrated} migrated` : ''}: ${first}${bad.length > 3 ? '; …' : ''}`, {
          hints: ['fix what eBay or merchant names for each listing (in Seller Hub) and run `merchant marketplace migrate ebay` again: migrated listings are not sent twice'],
          details: report,
        });
      }
    });
}

/** --map a=b,… and --map-file: eBay SKU → catalogue SKU. */
function readMap(ctx: Ctx, opts: Opts): Map<string, string> {
  const out = new Map<string, string>();
  const add = (ebaySku: string, sku: string, where: string) => {
    const e = ebaySku.trim();
    const k = sku.trim();
    if (!e || !k) throw new UsageError(`${where}: expected an eBay SKU and a catalogue SKU, got "${ebaySku}${sku ? `=${sku}` : ''}"`);
    const before = out.get(e);
    if (before && before !== k) throw new UsageError(`${where}: eBay SKU ${e} is mapped to both ${before} and ${k}`);
    out.set(e, k);
  };
  if (opts.mapFile) {
    let text: string;
    try {
      text = readFileSync(resolve(ctx.cwd, opts.mapFile), 'utf8').replace(/^\uFEFF/, '');
    } catch (e) {
      throw new UsageError(`cannot read --map-file ${opts.mapFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const first = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = first.includes('\t') ? '\t' : first.includes(';') && !first.includes(',') ? ';' : ',';
    let rows: string[][];
    try {
      rows = parse(text, { delimiter, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
    } catch (e) {
      throw new UsageError(`--map-file ${opts.mapFile}: ${(e as Error).message}`);
    }
    rows.forEach((r, i) => {
      if (i === 0 && /sku/i.test(r[0] ?? '') && /sku/i.test(r[1] ?? '')) return; // a header line
      add(r[0] ?? '', r[1] ?? '', `--map-file ${opts.mapFile}:${i + 1}`);
    });
  }
  for (const m of opts.map ?? []) {
    const at = m.indexOf('=');
    add(at < 0 ? m : m.slice(0, at), at < 0 ? '' : m.slice(at + 1), '--map');
  }
  return out;
}

function state(i: MigrationItem): string {
  return i.result ?? i.action;
}

function render(ctx: Ctx, r: MigrationReport): void {
  const io = ctx.io;
  if (!r.items.length) io.info(`eBay reports no active fixed-price listing on ${r.channels.join(', ')}`);
  else {
    printRows(io, r.items, [
      { header: 'LISTING', value: (i) => i.listingId },
      { header: 'CHANNEL', value: (i) => i.channel },
      { header: 'EBAY SKU', value: (i) => i.skus.map((s) => s.ebaySku ?? '(none)').join(' ') },
      { header: 'SKU', value: (i) => i.skus.map((s) => s.sku ?? '-').join(' ') },
      { header: r.dryRun ? 'ACTION' : 'RESULT', value: state, color: (t, i, x) => (i.action === 'blocked' || i.result === 'failed' || i.result === 'unconfirmed' ? x.chalk.red(t) : i.result === 'migrated' ? x.chalk.green(t) : t) },
      { header: 'DETAIL', value: (i) => (i.code ? `${i.code} ` : '') + (i.message ?? i.reason ?? (i.skus.some((s) => s.offerId) ? `offer ${i.skus.map((s) => s.offerId ?? '-').join(' ')}` : '')) },
    ], { header: true });
  }
  for (const n of r.notOnEbay.slice(0, 20)) io.warn(`${n.channel} ${n.sku}: eBay lists no active listing with SKU ${n.ebaySku} there (ended, or listed under another SKU)`);
  if (r.notOnEbay.length > 20) io.warn(`… and ${r.notOnEbay.length - 20} more listings eBay does not list`);
}
