// `merchant stock …`: stock per location. locations (add/list/remove/map), list, set, adjust, move,
// receive, transfers, import (a warehouse's or 3PL's stock report).
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { Later, Streamed, printJson, printJsonStream, printRows, unlessEmpty } from '../../render.js';
import { counted } from '../../../core/iterate.js';
import { PartialFailure, UsageError, formatProblem } from '../../../core/errors.js';
import { StockRepo } from '../../../store/repos/stock.js';
import { CsvSource, RecordCursor } from '../../../adapters/csv/reader.js';
import type { RecordSource, StockLevel, StockLocation, StockPort, StockTotal, Transfer } from '../../../ports/stock.js';
import { addLocation, adjustStock, editLocation, mapChannel, moveStock, receiveTransfer, removeLocation, requireLocation, setStock, type LevelChange } from '../../../services/stock/manage.js';
import { importStock } from '../../../services/stock/import.js';
import { linkShopLocation, unlinkShopLocation } from '../../../services/stock/shopify-locations.js';
import { readMarketplaceStock, type StockReadOutcome } from '../../../services/stock/remote-read.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { HttpError } from '../../../adapters/http/errors.js';
import { accountChannels, listAccounts, storedSecrets, tokenCacheFor } from '../../../services/marketplace/accounts.js';
import { marketplaceConnector } from '../../wiring/marketplaces.js';
import { marketplacesOpt } from '../../enums.js';

/** The address flags of `stock locations add` and `edit`: a location's ship-from for labels and customs. */
function addressOptions(cmd: Command): Command {
  return cmd
    .option('--company <name>', 'company on the address')
    .option('--street <line>', 'street and number')
    .option('--street2 <line>', 'second address line')
    .option('--city <city>', 'city')
    .option('--postal-code <code>', 'postcode')
    .option('--state <state>', 'state/province')
    .option('--phone <phone>', 'phone for the carrier')
    .option('--email <email>', 'e-mail for the carrier');
}

function addressFrom(o: Record<string, string | undefined>) {
  return { company: o.company, street1: o.street, street2: o.street2, city: o.city, postalCode: o.postalCode, state: o.state, phone: o.phone, email: o.email };
}

function port(ctx: Ctx): StockRepo {
  return new StockRepo(ctx.store(), () => ctx.clock.now());
}

function splitList(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function locationJson(l: StockLocation) {
  return { code: l.code, name: l.name, kind: l.kind, country: l.country, address: l.address, home: l.isHome, marketplace: l.marketplace, remoteId: l.remoteId, channel: l.channel, active: l.active };
}

function addressLine(l: StockLocation): string {
  if (l.isHome && !l.address) return '(business ship-from address)';
  if (!l.address) return '';
  const a = l.address;
  return [a.street1, a.street2, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

/** A transfer as scripts see it (the same shape in move, receive and transfers): no internal row ids. */
function transferJson(t: Transfer & Partial<{ variantId: number; fromId: number; toId: number }>): Transfer {
  const { variantId: _v, fromId: _f, toId: _t, ...rest } = t;
  return rest;
}

function printChange(ctx: Ctx, c: LevelChange, verb: string): void {
  if (ctx.globals.json) return printJson(ctx.io, { sku: c.sku, location: c.location, before: c.before, onHand: c.after, reserved: c.reserved, available: c.available });
  ctx.io.success(`${c.sku} at ${c.location}: ${verb} ${c.before} → ${c.after} on hand (${c.available} available)`);
}

export function register(program: Command, ctx: Ctx): void {
  const stock = program.command('stock').description('Stock per location: locations, levels, moves, 3PL stock files');

  const locations = stock.command('locations').description('Where stock is: home warehouse, overseas warehouses and 3PLs, Amazon FBA, Shopify locations');
  locations
    .command('list', { isDefault: true })
    .description('List the stock locations and which channels sell from them')
    .addHelpText('after', '\nExamples:\n  $ merchant stock locations list\n  $ merchant stock locations list --json')
    .action(async () => {
      const p = port(ctx);
      const locs = p.locations().filter((l) => l.active);
      const maps = p.channelMappings();
      const shops = p.shopLocations();
      const sells = (code: string) => [
        ...maps.filter((m) => m.locations.includes(code)).map((m) => m.channel),
        ...(code === p.home().code ? p.knownChannels().filter((c) => !maps.some((m) => m.channel === c)) : []),
        ...shops.filter((x) => x.linked === code && x.active).map((x) => `shopify@${x.name}`),
      ];
      const shopColumn = (l: StockLocation) => {
        const x = shops.find((y) => y.remoteId === l.remoteId);
        return x?.linked ? `sells ${x.linked}'s stock (linked)` : '(read from Shopify, not linked)';
      };
      if (ctx.globals.json) return printJson(ctx.io, { items: locs.map((l) => ({ ...locationJson(l), channels: l.kind === 'fba' ? [] : sells(l.code) })) });
      await printRows<StockLocation>(ctx.io, locs, [
        { header: 'CODE', value: (l) => l.code + (l.isHome ? ' *' : '') },
        { header: 'KIND', value: (l) => l.kind },
        { header: 'COUNTRY', value: (l) => l.country ?? '' },
        { header: 'NAME', value: (l) => l.name },
        { header: 'ADDRESS', value: (l) => addressLine(l) },
        { header: 'CHANNELS', value: (l) => (l.kind === 'fba' ? `${l.channel ?? ''} (FBA listings)` : l.kind === 'shopify' ? shopColumn(l) : sells(l.code).join(' ')) },
      ], { header: true });
    });
  locations
    .command('refresh')
    .description("Read what the marketplaces hold: Amazon FBA stock per storefront and the Shopify locations (pushes nothing)")
    .option('--marketplace <list>', 'only these marketplaces (amazon,shopify)')
    .addHelpText(
      'after',
      '\n`merchant sync` does the same before it plans (Shopify locations once one is linked).\n\nExamples:\n  $ merchant stock locations refresh\n  $ merchant stock locations refresh --marketplace shopify --json',
    )
    .action(async (o: { marketplace?: string }) => {
      await ctx.writeLock('stock locations refresh');
      const wanted = marketplacesOpt('--marketplace', o.marketplace);
      const store = ctx.store();
      const p = port(ctx);
      const http = httpFactoryFromCtx(ctx);
      const accounts = listAccounts(store).filter((a) => (a.marketplace === 'amazon' || a.marketplace === 'shopify') && (!wanted || wanted.includes(a.marketplace)));
      if (!accounts.length) throw new UsageError('no Amazon or Shopify account is connected: FBA stock and Shopify locations are read from them', { hints: ['`merchant marketplace connect amazon|shopify` (or `--sandbox URL`)'] });
      const items: Array<{ marketplace: string } & StockReadOutcome & { error?: string }> = [];
      for (const a of accounts) {
        const adapter = marketplaceConnector(http).make(a, storedSecrets(ctx.credentials(), a.marketplace), { tokenCache: tokenCacheFor(ctx.credentials(), () => ctx.clock.now().getTime()), shopifyLocation: ctx.config().get('shopify.location'), now: () => ctx.clock.now().getTime() });
        try {
          items.push({ marketplace: a.marketplace, ...(await readMarketplaceStock(adapter, p, accountChannels(a), { command: 'stock locations refresh', shopLocations: 'always', fba: 'all' })) });
        } catch (e) {
          if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
          items.push({ marketplace: a.marketplace, error: e.message });
        }
      }
      if (ctx.globals.json) printJson(ctx.io, { items });
      else {
        for (const i of items) {
          for (const f of i.fba ?? []) ctx.io.info(f.location ? `${f.channel}: FBA stock in ${f.location}: ${f.skus} SKU${f.skus === 1 ? '' : 's'}, ${f.changed} changed${f.unknownSkus.length ? `; not in the catalogue: ${f.unknownSkus.join(', ')}` : ''}` : `${f.channel}: no FBA stock`);
          for (const l of i.shopify ?? []) ctx.io.info(`Shopify location ${l.name} → ${l.location}${l.active ? '' : ' (inactive)'}: ${l.linked ? `sells ${l.linked}'s stock` : p.shopLocations().some((x) => x.linkedLocationId !== null) ? `not linked, ${l.skus} levels read` : 'not linked (until one is linked, stock goes to the account\'s stock location)'}`);
          if (i.error) ctx.io.warn(`${i.marketplace}: not read (${i.error})`);
        }
        if (!items.some((i) => i.error)) ctx.io.success('marketplace stock read');
      }
      if (items.some((i) => i.error)) throw new PartialFailure('some marketplaces could not be read; what was read is stored');
    });
  locations
    .command('link <shopify-location> <location>')
    .description("Sell a merchant location's stock through a Shopify location: sync pushes that location's available stock there")
    .addHelpText(
      'after',
      '\nThe Shopify locations are read by `merchant sync` (codes shopify-…, or give the name). Once any is linked,\neach linked Shopify location gets its own merchant location\'s quantity and nothing goes to the others.\n\nExamples:\n  $ merchant stock locations link shopify-studio home\n  $ merchant stock locations link "Warehouse Malmö" de-3pl',
    )
    .action(async (shop: string, code: string) => {
      await ctx.writeLock('stock locations link');
      const r = linkShopLocation(port(ctx), shop, code);
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`Shopify location ${r.name} (${r.shopify}) sells ${r.location}'s stock; ${r.queued} listing${r.queued === 1 ? '' : 's'} queued: the next \`merchant sync\` sends each location its quantity`);
    });
  locations
    .command('unlink <shopify-location>')
    .description('Stop pushing stock to a Shopify location (its levels are read from Shopify again)')
    .addHelpText('after', '\nExamples:\n  $ merchant stock locations unlink shopify-studio')
    .action(async (shop: string) => {
      await ctx.writeLock('stock locations unlink');
      const r = unlinkShopLocation(port(ctx), shop);
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`Shopify location ${r.name} (${r.shopify}) no longer sells ${r.was ?? 'a merchant location'}'s stock; ${r.queued} listing${r.queued === 1 ? '' : 's'} queued`);
    });
  addressOptions(locations
    .command('add <code>')
    .description('Add an overseas warehouse or 3PL (its address and country are the ship-from for labels and customs)')
    .requiredOption('--kind <kind>', 'warehouse or 3pl')
    .requiredOption('--country <cc>', 'ISO country code, e.g. DE')
    .option('--name <name>', 'display name (and the sender name on labels)'))
    .addHelpText('after', '\nExamples:\n  $ merchant stock locations add de-3pl --kind 3pl --country DE --name "Fulfillment Leipzig" \\\n      --street "Am Exer 12" --postal-code 04158 --city Leipzig')
    .action(async (code: string, o: Record<string, string | undefined>) => {
      await ctx.writeLock('stock locations add');
      const l = addLocation(port(ctx), {
        code,
        kind: o.kind!,
        country: o.country,
        name: o.name,
        address: addressFrom(o),
      });
      if (ctx.globals.json) return printJson(ctx.io, locationJson(l));
      ctx.io.success(`added ${l.kind} ${l.code} (${l.country})${l.address ? '' : ' — no address yet: labels from it need one'}`);
      ctx.io.info(`sell from it: merchant stock locations map CHANNEL ${l.code}[,home]`);
    });
  addressOptions(locations
    .command('edit <code>')
    .description("Change a warehouse's or 3PL's name, country or address (the ship-from of parcels sent from there)")
    .option('--name <name>', 'display name (and the sender name on labels)')
    .option('--country <cc>', 'ISO country code, e.g. DE'))
    .addHelpText('after', '\nExamples:\n  $ merchant stock locations edit de-3pl --street "Am Exer 12" --postal-code 04158 --city Leipzig\n  $ merchant stock locations edit de-3pl --phone "+49 341 1234567"')
    .action(async (code: string, o: Record<string, string | undefined>) => {
      await ctx.writeLock('stock locations edit');
      const l = editLocation(port(ctx), {
        code,
        name: o.name,
        country: o.country,
        address: addressFrom(o),
      });
      if (ctx.globals.json) return printJson(ctx.io, locationJson(l));
      ctx.io.success(`${l.code}: ${addressLine(l) || `(no address) ${l.country ?? ''}`}`);
    });
  locations
    .command('remove <code>')
    .description('Remove a location with no stock, transfers, open orders or channels (its history is kept)')
    .addHelpText('after', '\nExamples:\n  $ merchant stock locations remove us-wh')
    .action(async (code: string) => {
      await ctx.writeLock('stock locations remove');
      const r = removeLocation(port(ctx), code);
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`removed ${r.removed}${r.kept ? ' (kept inactive: its movement history stays for reports)' : ''}`);
    });
  locations
    .command('map [channel] [locations]')
    .description("Which locations a channel's merchant-fulfilled listings sell from, in the order orders reserve from them")
    .addHelpText('after', '\nWithout arguments: show the mapping. A channel with no mapping sells from the home warehouse.\n\nExamples:\n  $ merchant stock locations map amazon-de de-3pl\n  $ merchant stock locations map shopify home,de-3pl\n  $ merchant stock locations map')
    .action(async (channel: string | undefined, codes: string | undefined) => {
      const p = port(ctx);
      if (channel && codes === undefined) throw new UsageError('name the locations: merchant stock locations map CHANNEL LOC1[,LOC2…]');
      if (channel) {
        await ctx.writeLock('stock locations map');
        const r = mapChannel(p, channel, splitList(codes) ?? []);
        if (ctx.globals.json) return printJson(ctx.io, r);
        return ctx.io.success(`${r.channel} sells from ${r.locations.join(', ')}`);
      }
      const maps = p.channelMappings();
      const home = p.home().code;
      const items = [...maps, ...p.knownChannels().filter((c) => !maps.some((m) => m.channel === c)).map((c) => ({ channel: c, locations: [home], default: true }))];
      if (ctx.globals.json) return printJson(ctx.io, { items });
      return printRows(ctx.io, items, [
        { header: 'CHANNEL', value: (r) => r.channel },
        { header: 'LOCATIONS', value: (r) => r.locations.join(', ') + ('default' in r ? ' (default)' : '') },
      ], { header: true });
    });

  stock
    .command('list')
    .description('Stock per SKU: on hand, reserved, available and inbound, per location and in total')
    .option('--location <code>', 'one location')
    .option('--sku <skus>', 'these SKUs (comma-separated)')
    .option('--totals', 'one line per SKU over all locations')
    .option('--all', 'include empty levels')
    .addHelpText('after', '\nExamples:\n  $ merchant stock list\n  $ merchant stock list --location de-3pl\n  $ merchant stock list --totals --json')
    .action(async (o: { location?: string; sku?: string; totals?: boolean; all?: boolean }) => {
      const p = port(ctx);
      const loc = o.location ? requireLocation(p, o.location) : undefined;
      const filter = { location: loc?.id, skus: splitList(o.sku), nonZero: !o.all };
      // Everything below streams from the store: a million SKUs print in the memory of a few rows.
      if (o.totals) {
        if (ctx.globals.json) {
          let total = 0;
          return void (await printJsonStream(ctx.io, { items: new Streamed(counted(p.totals(filter), () => total++)), total: new Later(() => total) }));
        }
        const rows = unlessEmpty(p.totals(filter));
        if (!rows) return ctx.io.info('no stock recorded');
        return printRows(ctx.io, rows, [
          { header: 'SKU', value: (r) => r.sku },
          { header: 'ON HAND', value: (r) => String(r.onHand), align: 'right' },
          { header: 'RESERVED', value: (r) => String(r.reserved), align: 'right' },
          { header: 'AVAILABLE', value: (r) => String(r.available), align: 'right' },
          { header: 'INBOUND', value: (r) => String(r.inbound), align: 'right' },
          { header: 'LOCATIONS', value: (r) => String(r.locations), align: 'right' },
        ], { header: true });
      }
      if (ctx.globals.json) {
        let total = 0;
        return void (await printJsonStream(ctx.io, { items: new Streamed(counted(p.levels(filter), () => total++)), totals: new Streamed(p.totals(filter)), total: new Later(() => total) }));
      }
      const levels = unlessEmpty(p.levelsWithTotals(filter));
      if (!levels) return ctx.io.info('no stock recorded; `merchant stock set SKU N --location home` or `merchant stock import FILE --location L`');
      const lines = (function* () {
        let prev: (StockLevel & { total?: StockTotal }) | undefined;
        for (const r of levels) {
          // A total line under the last level of a SKU held in more than one place.
          if (prev && prev.sku !== r.sku) yield* totalLine(prev);
          yield r;
          prev = r;
        }
        if (prev) yield* totalLine(prev);
      })();
      function* totalLine(r: StockLevel & { total?: StockTotal }) {
        const t = r.total;
        if (t && t.locations > 1 && !loc) yield { sku: '', location: 'total', onHand: t.onHand, reserved: t.reserved, available: t.available, inbound: t.inbound };
      }
      await printRows(ctx.io, lines, [
        { header: 'SKU', value: (r) => r.sku },
        { header: 'LOCATION', value: (r) => r.location },
        { header: 'ON HAND', value: (r) => String(r.onHand), align: 'right' },
        { header: 'RESERVED', value: (r) => String(r.reserved), align: 'right' },
        { header: 'AVAILABLE', value: (r) => String(r.available), align: 'right' },
        { header: 'INBOUND', value: (r) => String(r.inbound), align: 'right' },
      ], { header: true });
    });

  stock
    .command('set <sku> <quantity>')
    .description('Set the on-hand stock of a SKU at a location (a stock count), recorded with its reason')
    .requiredOption('--location <code>', 'where (e.g. home, de-3pl)')
    .option('--reason <text>', 'why, for the audit trail (e.g. "stocktake 2026-12-31")')
    .addHelpText('after', '\nExamples:\n  $ merchant stock set MUG-BLU-S 40 --location home --reason "stocktake"')
    .action(async (sku: string, quantity: string, o: { location: string; reason?: string }) => {
      await ctx.writeLock('stock set');
      printChange(ctx, setStock(port(ctx), { sku, location: o.location, quantity, reason: o.reason, command: 'stock set' }), 'set');
    });
  stock
    .command('adjust <sku> <delta>')
    .description('Add to or take from the on-hand stock (+5, -3: damaged, found, returned…), recorded with its reason')
    .requiredOption('--location <code>', 'where')
    .option('--reason <text>', 'why, for the audit trail')
    .addHelpText('after', '\nExamples:\n  $ merchant stock adjust MUG-BLU-S -2 --location home --reason "broken in the warehouse"\n  $ merchant stock adjust MUG-BLU-S +1 --location de-3pl --reason "customer return"')
    .action(async (sku: string, delta: string, o: { location: string; reason?: string }) => {
      await ctx.writeLock('stock adjust');
      printChange(ctx, adjustStock(port(ctx), { sku, location: o.location, delta, reason: o.reason, command: 'stock adjust' }), 'adjusted');
    });
  stock
    .command('move <sku> <quantity>')
    .description('Move stock between locations: it leaves --from now and is inbound at --to until received')
    .requiredOption('--from <code>', 'source location')
    .requiredOption('--to <code>', 'destination location')
    .option('--reason <text>', 'e.g. the shipment reference')
    .option('--received', 'it has already arrived (no transit)')
    .addHelpText('after', '\nExamples:\n  $ merchant stock move MUG-BLU-S 20 --from home --to de-3pl --reason "pallet 2026-11"\n  $ merchant stock receive 1')
    .action(async (sku: string, quantity: string, o: { from: string; to: string; reason?: string; received?: boolean }) => {
      await ctx.writeLock('stock move');
      const t = moveStock(port(ctx), { sku, quantity, from: o.from, to: o.to, reason: o.reason, received: o.received, command: 'stock move' });
      if (ctx.globals.json) return printJson(ctx.io, transferJson(t));
      ctx.io.success(t.status === 'received' ? `moved ${t.quantity} × ${t.sku} from ${t.from} to ${t.to}` : `${t.quantity} × ${t.sku} left ${t.from}, in transit to ${t.to} (transfer ${t.id}); \`merchant stock receive ${t.id}\` when it arrives`);
    });
  stock
    .command('receive <transfer>')
    .description('A move has arrived: its units become on-hand stock at the destination')
    .option('--cancel', 'the move did not happen: put the units back at the source')
    .addHelpText('after', '\nExamples:\n  $ merchant stock receive 12\n  $ merchant stock receive 12 --cancel')
    .action(async (id: string, o: { cancel?: boolean }) => {
      await ctx.writeLock('stock receive');
      const t = receiveTransfer(port(ctx), id, { cancel: o.cancel, command: 'stock receive' });
      if (ctx.globals.json) return printJson(ctx.io, transferJson(t));
      ctx.io.success(t.status === 'cancelled' ? `transfer ${t.id} cancelled: ${t.quantity} × ${t.sku} back at ${t.from}` : `received ${t.quantity} × ${t.sku} at ${t.to}`);
    });
  stock
    .command('transfers')
    .description('Moves between locations (in transit by default)')
    .option('--all', 'received and cancelled ones too')
    .addHelpText('after', '\nExamples:\n  $ merchant stock transfers\n  $ merchant stock transfers --all --json')
    .action((o: { all?: boolean }) => {
      const rows = port(ctx).transfers({ open: !o.all });
      if (ctx.globals.json) return printJson(ctx.io, { items: rows });
      if (!rows.length) return ctx.io.info('no stock in transit');
      return printRows(ctx.io, rows, [
        { header: 'ID', value: (r) => String(r.id), align: 'right' },
        { header: 'SKU', value: (r) => r.sku },
        { header: 'QTY', value: (r) => String(r.quantity), align: 'right' },
        { header: 'FROM', value: (r) => r.from },
        { header: 'TO', value: (r) => r.to },
        { header: 'STATUS', value: (r) => r.status },
        { header: 'SENT', value: (r) => r.createdAt.slice(0, 10) },
        { header: 'REASON', value: (r) => r.reason ?? '' },
      ], { header: true });
    });

  stock
    .command('import <file>')
    .description("Set stock from a warehouse's or 3PL's stock report (SKU and quantity columns), all or nothing")
    .option('--location <code>', 'the location the report is from (or a location column in the file)')
    .option('--sku-column <name>', 'the SKU column, when its header is not one merchant knows')
    .option('--quantity-column <name>', 'the quantity column, when its header is not one merchant knows')
    .option('--encoding <enc>', 'utf-8, utf-16le, utf-16be or windows-1252 (default: detected)')
    .option('--delimiter <char>', "',', ';' or tab (default: sniffed)")
    .option('--reason <text>', 'for the audit trail (default: the file name)')
    .option('--skip-invalid', 'import the valid rows and list the others (exit 4)')
    .option('--dry-run', 'check the file and show the changes; write nothing')
    .addHelpText('after', '\nExamples:\n  $ merchant stock import leipzig-bestand.csv --location de-3pl\n  $ merchant stock import report.txt --location us-wh --sku-column "Item" --quantity-column "On Hand"')
    .action(async (file: string, o: { location?: string; skuColumn?: string; quantityColumn?: string; encoding?: string; delimiter?: string; reason?: string; skipInvalid?: boolean; dryRun?: boolean }) => {
      if (!o.dryRun) await ctx.writeLock('stock import');
      const csv = new CsvSource(file, { encoding: o.encoding, delimiter: o.delimiter, stdin: ctx.io.stdin });
      const src: RecordSource = {
        name: csv.name,
        async *records() {
          const it = new RecordCursor(csv.batches());
          for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
        },
      };
      const p: StockPort = port(ctx);
      const r = await importStock(p, src, { location: o.location, skuColumn: o.skuColumn, quantityColumn: o.quantityColumn, skipInvalid: o.skipInvalid, dryRun: o.dryRun, reason: o.reason, command: 'stock import' });
      if (ctx.globals.json) printJson(ctx.io, { ...r, items: r.changes, changes: undefined, problems: r.problems.slice(0, 100) });
      else {
        ctx.io.info(`${r.file}: ${csv.encoding}, ${csv.delimiter === ',' ? 'comma' : csv.delimiter === ';' ? 'semicolon' : csv.delimiter === '\t' ? 'tab' : csv.delimiter}-delimited, ${r.rows} rows`);
        if (r.changes.length) {
          await printRows(ctx.io, r.changes.slice(0, 50), [
            { header: 'SKU', value: (c) => c.sku },
            { header: 'LOCATION', value: (c) => c.location },
            { header: 'BEFORE', value: (c) => String(c.before), align: 'right' },
            { header: 'AFTER', value: (c) => String(c.after), align: 'right' },
          ], { header: true });
          if (r.changes.length > 50) ctx.io.info(`… and ${r.changes.length - 50} more`);
        }
        if (r.summed) ctx.io.info(`${r.summed} lines repeated a SKU already listed for the same location: their quantities were added up`);
        ctx.io.success(`${r.dryRun ? 'would change' : 'changed'} ${r.applied} stock level${r.applied === 1 ? '' : 's'}, ${r.unchanged} unchanged${r.dryRun ? ' (dry run: nothing written)' : ''}`);
      }
      if (r.problems.length) {
        for (const pr of r.problems.slice(0, 20)) ctx.io.stderr.write(`  ${formatProblem(pr)}\n`);
        throw new PartialFailure(`${r.skipped} row${r.skipped === 1 ? '' : 's'} skipped (listed above); the other rows were ${r.dryRun ? 'checked' : 'imported'}`);
      }
    });
}
