// `listings import`: files in, catalogue upserted by SKU, all in ONE transaction across every file.
// All-or-nothing by default (any invalid row → nothing written, every problem reported); with
// skipInvalid the good rows land and the bad ones go to a rejects file. Change detection is a content
// hash per SKU (unchanged rows cost one indexed lookup and write nothing) plus a whole-run fingerprint
// (the same files with the same options, after no other import changed anything, skip the parse).
// A kill -9 at any point leaves the database as before: the transaction never committed.

import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openAtomicFile, type AtomicFile } from '../../config/atomic.js';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { VARIANT_COLUMNS, PRODUCT_COLUMNS, type CatalogueBulkLoad as BulkLoad, type ListingImportRepo, type Refused, type VariantColumn, type ProductColumn } from '../../ports/listing-catalogue.js';
import type { AuditRepo } from '../../ports/pricing.js';
import type { Binding, ListingFile, ListingFiles, RecordStream } from '../../ports/listing-files.js';
import type { RowEnv } from '../../core/listing-rows.js';
import type { ListingRecord } from '../../core/listing.js';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { RowPipeline, decodeItems, type RowItem, type RowSetup } from './rows.js';
import type { WorkerInput } from './import-worker.js';
import { deserializeError, type SerializedError } from './worker-errors.js';
import { CHANNELS, channelDef, marketplaceOf } from '../../core/channels.js';
import { isCurrency } from '../../core/currencies.js';
import { BugError, InvalidInputError, UsageError, type InputProblem } from '../../core/errors.js';
import { readHeader, validateFormatOption } from './detect.js';

export interface ImportOptions {
  files: string[];
  format?: string;
  encoding?: string;
  delimiter?: string;
  decimalComma?: boolean;
  currency?: string;
  channel?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  now: string;
  command?: string;
  stdin?: Readable;
  /** Called every few thousand rows (progress bar). */
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number }) => void;
  /** How many problems to keep in full (the count is always exact). */
  maxProblems?: number;
  /** Read large files in a worker thread: 'auto' (default: files of 4 MiB and more, with a core to spare), 'on', 'off'. */
  readThread?: 'auto' | 'on' | 'off';
}

/** MERCHANT_IMPORT_WORKER=on|off|auto (tests run the fixtures through both paths). */
export function readThreadMode(v: string | undefined): ImportOptions['readThread'] {
  if (v === undefined || v === '') return 'auto';
  if (v === 'on' || v === 'off' || v === 'auto') return v;
  throw new UsageError(`MERCHANT_IMPORT_WORKER=${v} is not one of on, off, auto`);
}

export interface FileSummary {
  file: string;
  format: string;
  generation: string;
  encoding: string;
  delimiter: string;
  decimalComma: boolean;
  channel: string | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skippedRows: number;
  warnings: string[];
}

export interface ImportResult {
  dryRun: boolean;
  /** True when the run was recognised as an exact repeat and nothing was parsed. */
  repeat: boolean;
  files: FileSummary[];
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  products: { created: number; updated: number };
  outbox: number;
  rejectsFile: string | null;
  problemCount: number;
  problems: InputProblem[];
  timings: { totalMs: number; rowsPerSecond: number };
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped';

const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** Whether two paths name one file (the same inode, or the same resolved path when either does not exist yet). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return resolve(a) === resolve(b);
  }
}

function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/** How a rejects file is written: the input's delimiter and line endings, a BOM for Excel's files. */
interface Dialect {
  delimiter: string;
  crlf: boolean;
  bom: boolean;
}

class Rejects {
  private file?: AtomicFile;
  private headerWritten = false;
  count = 0;
  constructor(
    private readonly path: string | undefined,
    private readonly dialect: () => Dialect,
  ) {}
  write(preamble: string[][], headers: string[], cells: string[], reason: string): void {
    this.count++;
    if (!this.path) return;
    const dialect = this.dialect();
    const o = { delimiter: dialect.delimiter, record_delimiter: dialect.crlf ? ('windows' as const) : ('unix' as const) };
    if (!this.file) {
      this.file = openAtomicFile(this.path);
      // UTF-8 always (a Windows-1252 file cannot hold every reason we write), with a BOM when the input
      // came from Excel or Windows (a BOM, Windows-1252, UTF-16): without one Excel shows é as Ã©.
      if (dialect.bom) this.file.write('\uFEFF');
    }
    if (!this.headerWritten) {
      // The file's own header rows, so the rejects file is recognised as the same format when fixed.
      if (preamble.length) this.file.write(stringify(preamble, o));
      this.file.write(stringify([[...headers, 'reason']], o));
      this.headerWritten = true;
    }
    this.file.write(stringify([[...cells, reason]], o));
  }
  /** New header for the next file (several files in one run share one rejects file). */
  nextFile(): void {
    this.headerWritten = false;
  }
  finish(keep: boolean): void {
    if (!this.file) return;
    if (keep) this.file.commit();
    else this.file.abort();
    this.file = undefined;
  }
}

/** What an import reads and writes through (the CLI command wires them). */
export interface ImportDeps {
  catalogue: ListingImportRepo;
  audit: AuditRepo;
  files: ListingFiles;
  /** The reading thread's script (src/cli/import-worker-entry.ts: cli/wiring/files.ts importWorkerUrl). */
  workerUrl: URL;
}

export async function importListings(deps: ImportDeps, opts: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  if (!opts.files.length) throw new UsageError('no file given', { hints: ['merchant listings import shop.csv'] });
  if (opts.skipInvalid && !opts.rejects) {
    throw new UsageError('--skip-invalid needs --rejects FILE to keep the rows it skips', { hints: ['merchant listings import shop.csv --skip-invalid --rejects rejects.csv'] });
  }
  if (opts.rejects && !opts.skipInvalid) throw new UsageError('--rejects only applies with --skip-invalid');
  if (opts.rejects && opts.files.some((f) => f !== '-' && sameFile(f, opts.rejects!))) {
    throw new UsageError(`--rejects ${opts.rejects} is one of the files being imported; it would be overwritten`, { hints: ['write the rejected rows to another file, e.g. --rejects rejects.csv'] });
  }
  const format = validateFormatOption(deps.files.maps, opts.format);
  if (opts.encoding) deps.files.normaliseEncoding(opts.encoding);
  if (opts.delimiter) deps.files.normaliseDelimiter(opts.delimiter);
  const currencyOpt = opts.currency?.toUpperCase();
  if (currencyOpt && !isCurrency(currencyOpt)) throw new UsageError(`--currency ${opts.currency} is not an ISO 4217 code`, { hints: ['e.g. --currency EUR'] });
  if (opts.channel && !channelDef(opts.channel)) throw new UsageError(`unknown --channel ${opts.channel}`, { hints: ['e.g. amazon-de, amazon-uk, ebay-uk, shopify'] });
  if (opts.files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const maxProblems = opts.maxProblems ?? 1000;
  const sources = opts.files.map((f) => deps.files.open(f, { encoding: opts.encoding, delimiter: opts.delimiter, stdin: opts.stdin }));
  const totalBytes = sources.reduce((a, s) => a + (s.size ?? 0), 0);

  // Fingerprint of the run: every file's bytes and every option that changes how they are read.
  const optionKey = JSON.stringify([format ?? 'auto', opts.encoding ?? '', opts.delimiter ?? '', !!opts.decimalComma, currencyOpt ?? '', opts.channel ?? '', !!opts.skipInvalid]);
  let fingerprint: string | undefined;
  if (!opts.files.includes('-') && deps.catalogue.hasImportRuns()) {
    const hashes = await Promise.all(opts.files.map(fileSha256));
    fingerprint = createHash('sha256').update(optionKey).update(hashes.join(',')).digest('hex');
    const prior = deps.catalogue.unchangedSince(fingerprint);
    if (prior && Number(prior.rejected) === 0) {
      const n = Number(prior.created) + Number(prior.updated) + Number(prior.unchanged);
      const ms = Date.now() - started;
      return {
        dryRun: !!opts.dryRun,
        repeat: true,
        files: [],
        created: 0,
        updated: 0,
        unchanged: n,
        rejected: 0,
        products: { created: 0, updated: 0 },
        outbox: 0,
        rejectsFile: null,
        problemCount: 0,
        problems: [],
        timings: { totalMs: ms, rowsPerSecond: ms > 0 ? Math.round((n * 1000) / ms) : n },
      };
    }
  }

  const writer = deps.catalogue.writer();
  // An empty catalogue at the start (first import): its first file takes the bulk load (BulkLoad).
  const fresh = writer.isEmpty();
  const problems: InputProblem[] = [];
  let problemCount = 0;
  let currentDialect: Dialect = { delimiter: ',', crlf: false, bom: false };
  const rejects = new Rejects(opts.skipInvalid ? opts.rejects : undefined, () => currentDialect);
  const totals = { created: 0, updated: 0, unchanged: 0, rejected: 0, productsCreated: 0, productsUpdated: 0, outbox: 0 };
  const summaries: FileSummary[] = [];
  let rowsDone = 0;
  let bytesBefore = 0;
  const at = opts.now;
  let committed = false;
  const digests: string[] = [];
  let outboxPayload = '';

  writer.begin();
  try {
    for (const [fileIndex, src] of sources.entries()) {
      // Only the first file can rely on the catalogue having been empty.
      const freshFile = fresh && fileIndex === 0;
      const it = src.cursor();
      const header = await readHeader(deps.files.maps, src.name, it, format);
      const map = header.binding.map;
      currentDialect = { delimiter: src.delimiter, crlf: src.crlf, bom: src.bom || src.encoding !== 'utf-8' };
      outboxPayload = importPayload(src.name);
      rejects.nextFile();
      const decimalComma = !!opts.decimalComma || src.delimiter === ';';
      const warnings: string[] = [];
      if (!opts.decimalComma && src.delimiter === ';') warnings.push("';'-delimited: amounts read with a decimal comma (9,99)");
      if (header.binding.unknown.length) warnings.push(`columns not imported: ${header.binding.unknown.slice(0, 8).join(', ')}${header.binding.unknown.length > 8 ? ', …' : ''}`);

      let defaultCurrency = currencyOpt;
      if (header.fileChannel && map.priceTarget === 'listing') {
        // The file names its storefront (eBay's Action header, Amazon's marketplace id): its prices are in
        // that storefront's currency, whatever --currency says for the other files of the run.
        const own = channelDef(header.fileChannel)?.currency;
        if (currencyOpt && own && currencyOpt !== own) warnings.push(`--currency ${currencyOpt} does not apply to this file: its prices are in ${own} (${header.fileChannel})`);
        defaultCurrency = own;
      }
      if (map.currency === 'option' && !defaultCurrency) {
        defaultCurrency = opts.channel ? channelDef(opts.channel)?.currency : deps.catalogue.shopCurrency();
        if (!defaultCurrency) {
          throw new UsageError(`${src.name}: ${map.title} carries no currency; say which one the prices are in`, {
            hints: ['pass --currency EUR (the shop currency), or run `merchant onboard` so the base currency is known'],
          });
        }
      }
      let channel: string | undefined = opts.channel;
      let channelFromCurrency: RowEnv['channelFromCurrency'];
      if (header.fileSite && !header.fileChannel) {
        // Say it once for the file, not "no currency" on every row.
        const sites = CHANNELS.filter((c) => c.marketplace === 'ebay').map((c) => c.code);
        throw new InvalidInputError(`${src.name}: eBay site ${header.fileSite} is not a storefront merchant knows (it knows ${sites.join(', ')})`, {
          problems: [{ file: src.name, line: header.headerLine, column: 1, field: header.headers[0]?.trim(), value: header.fileSite, rule: 'ebay-site', message: `SiteID ${header.fileSite} is not one of merchant's eBay storefronts` }],
          hints: ['export the listings of a supported site, or remove them from this file'],
        });
      }
      if (channel && header.fileChannel && channel !== header.fileChannel && map.channel === 'from-action') {
        throw new UsageError(`--channel ${channel} contradicts ${src.name}, whose Action header names eBay site ${header.fileSite} (${header.fileChannel})`, {
          hints: [`drop --channel (the file says ${header.fileChannel}), or import the file exported from the ${channel} site`],
        });
      }
      if (channel) {
        const want = map.format;
        if (['amazon', 'ebay', 'shopify'].includes(want) && marketplaceOf(channel) !== want) {
          const name = { amazon: 'an Amazon', ebay: 'an eBay', shopify: 'a Shopify' }[want as 'amazon' | 'ebay' | 'shopify'];
          throw new UsageError(`--channel ${channel} is not ${name} storefront, but ${src.name} is ${/^[aeiou]/i.test(map.title) ? 'an' : 'a'} ${map.title}`);
        }
      } else if (map.channel === 'shopify') channel = 'shopify';
      else if (map.channel === 'from-action' || map.channel === 'from-marketplace') {
        channel = header.fileChannel;
        if (!channel) channelFromCurrency = map.format === 'ebay' ? 'ebay' : 'amazon';
      } else if (map.channel === 'from-currency') channelFromCurrency = 'amazon';
      if (!channel && channelFromCurrency && !map.fields.currency) {
        // Nothing in the file says which storefront (no currency column, no site): once for the file,
        // not "no currency" on every row.
        const known = CHANNELS.filter((c) => c.marketplace === channelFromCurrency).map((c) => c.code);
        throw new InvalidInputError(`${src.name}: ${map.title} does not say which storefront it is for: pass --channel (${known.join(', ')})`, {
          problems: [{ file: src.name, line: header.headerLine, rule: 'channel', message: `the file has no currency column; --channel names the storefront its prices and quantities are for` }],
          hints: [`e.g. merchant listings import ${src.name} --channel ${known[0]}`],
        });
      }
      // A marketplace file's prices are in its storefront's currency unless a column says otherwise.
      if (channel && map.priceTarget === 'listing') defaultCurrency ??= channelDef(channel)?.currency;

      const values: RowEnv['values'] = {};
      const transforms: RowEnv['transforms'] = {};
      for (const [name, spec] of Object.entries(map.fields)) {
        values[name] = spec.values;
        transforms[name] = spec.transform;
      }
      const rowEnv: RowEnv = {
        file: src.name,
        strategy: map.rows,
        priceTarget: map.priceTarget,
        decimalComma,
        defaultCurrency,
        channel,
        channelFromCurrency,
        optionNames: map.optionNames,
        values,
        transforms,
      };
      const summary: FileSummary = {
        file: src.name,
        format: map.format,
        generation: map.generation,
        encoding: src.encoding + (src.bom ? ' (BOM)' : ''),
        delimiter: src.delimiter === '\t' ? 'tab' : src.delimiter,
        decimalComma,
        channel: channel ?? null,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        skippedRows: 0,
        warnings,
      };
      // Everything besides the row's own cells that decides what a row becomes.
      // (The header too: the same cells under other columns are another record.)
      // (Digested once: every row's hash takes it in, and the header is long.)
      const envKey = createHash('sha1')
        .update(JSON.stringify([map.id, channel ?? null, channelFromCurrency ?? null, defaultCurrency ?? null, decimalComma, header.headers.join('\u001f')]))
        .digest('base64');
      const setup: RowSetup = { env: rowEnv, envKey, keepCells: !!opts.skipInvalid, dataFromLine: header.dataFromLine };
      // A large file is read, validated and hashed by a worker thread while this one writes.
      const feed = useWorker(src, opts.readThread) ? new WorkerFeed({ path: src.path, read: { encoding: opts.encoding, delimiter: opts.delimiter }, format, setup }, deps.workerUrl) : new InlineFeed(src, it, header.binding, setup);
      if (feed instanceof WorkerFeed) await it.return();
      let productCache: { handle: string; id: bigint; hash: string } | undefined;
      // Into an empty catalogue, the first file takes the bulk path (BulkLoad): nothing to look up.
      const bulk = freshFile ? writer.bulk(at) : undefined;
      const fillOnly = map.priceTarget === 'listing';
      /** A problem with a row's record, at the column `field` was read from (or `otherwise` when the file has none). */
      const rowProblem = (r: ListingRecord, field: string, rule: string, message: string, value?: string, otherwise?: string): InputProblem => {
        const cell = header.binding.byName.get(field);
        return {
          file: src.name,
          line: r.line,
          ...(cell ? { column: cell.index + 1, field: cell.header } : otherwise ? { field: otherwise } : {}),
          sku: r.sku,
          ...(value !== undefined ? { value } : {}),
          rule,
          message,
        };
      };
      const dupProblem = (r: ListingRecord, first: number | undefined): InputProblem =>
        rowProblem(r, 'sku', 'duplicate-sku', `SKU ${r.sku} appears twice: first at line ${first}`, r.sku);
      const noProduct = (r: ListingRecord, known: boolean): InputProblem =>
        known
          ? rowProblem(r, 'title', 'product', `product ${r.handle} needs a title`)
          : rowProblem(
              r,
              'title',
              'unknown-sku',
              `SKU ${r.sku} is not in the catalogue and the row has no title to create it with${map.generation === 'price-inventory' || map.generation === 'inventory-loader' ? ' (this file type only updates existing SKUs)' : ''}`,
            );

      // Lines of rejected rows (their notes are not printed: the row was not imported) and rows refused
      // only for a blank SKU (a shop that never set SKUs gets one line, not one error per row).
      const rejectedLines = new Set<number>();
      const skuField = header.binding.byName.get('sku');
      const isNoSku = (p: InputProblem) => p.rule === 'required' && p.file === src.name && skuField !== undefined && p.column === skuField.index + 1;
      let noSkuRows = 0;
      let recordsSeen = 0;
      const newSkusLeftOut: string[] = [];
      let newSkusLeftOutCount = 0;
      const fail = (cells: string[] | undefined, ps: InputProblem[]) => {
        if (ps[0]?.line !== undefined && rejectedLines.size < 100_000) rejectedLines.add(ps[0].line);
        if (ps.length === 1 && isNoSku(ps[0]!)) noSkuRows++;
        problemCount += ps.length;
        for (const p of ps) if (problems.length < maxProblems) problems.push(p);
        summary.rejected++;
        totals.rejected++;
        if (opts.skipInvalid && cells) rejects.write(header.preamble, header.headers, cells, ps.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; '));
      };

      const rowsBefore = rowsDone;
      let nextProgress = rowsDone + 4096;
      for await (const batch of feed.batches()) {
        rowsDone = rowsBefore + feed.rows;
        if (rowsDone >= nextProgress && opts.onProgress) {
          opts.onProgress({ rows: rowsDone, bytes: bytesBefore + feed.bytes, totalBytes });
          nextProgress = rowsDone + 4096;
        }
        for (const item of batch) {
          if (item.problems) {
            fail(item.cells, item.problems);
            continue;
          }
          const r = item.record;
          if (!r) {
            summary.skippedRows++;
            continue;
          }
          recordsSeen++;
          // (The bulk path finds duplicates through the UNIQUE index when it inserts.)
          const dup = bulk ? undefined : writer.markSeen(fileIndex, r.sku, item.line);
          if (dup !== undefined) {
            fail(item.cells, [dupProblem(r, dup)]);
            continue;
          }
          // (Once anything failed in all-or-nothing mode, the rows still go in, into a transaction that
          // will be rolled back: that is how a duplicate, an unknown SKU or a SKU moving between
          // products further down is found and listed too.)
          const hash = item.hash!;
          const outcome = bulk ? applyFresh(bulk, item, r, hash, item.pHash!) : apply(r, hash, item.pHash!);
          if (typeof outcome !== 'string') {
            fail(item.cells, [outcome]);
            continue;
          }
          if (outcome === 'skipped') {
            summary.skippedRows++;
            continue;
          }
          summary[outcome]++;
          totals[outcome]++;
        }
      }
      summary.rows = feed.rows;
      rowsDone = rowsBefore + feed.rows;
      if (bulk) {
        const done = bulk.finish();
        refuse(done.refused);
        totals.outbox += done.outbox;
      }
      bytesBefore += feed.bytes;
      digests.push(feed.digest());
      if (recordsSeen === 0 && noSkuRows > 1 && skuField) {
        // Not one row of the file has a SKU: one problem for the file instead of one per row.
        const before = problems.length;
        for (let i = problems.length - 1; i >= 0; i--) if (isNoSku(problems[i]!)) problems.splice(i, 1);
        problemCount -= noSkuRows;
        problemCount++;
        problems.splice(Math.min(before, problems.length), 0, {
          file: src.name,
          line: header.headerLine,
          column: skuField.index + 1,
          field: skuField.header,
          rule: 'no-sku',
          message: `none of the file's ${noSkuRows} rows has a SKU (column "${skuField.header}" is blank throughout): merchant tracks stock, prices and listings by SKU — give each variant a SKU in the shop and export again`,
        });
      }
      const noted = feed.notes();
      // A note about a row that was then rejected (its oversold stock, its sale price) is not news.
      const kept = noted.first.filter((n) => !rejectedLines.has(noteLine(src.name, n)));
      const notes = { first: kept, count: noted.count - (noted.first.length - kept.length) };
      if (newSkusLeftOutCount) {
        notes.first.unshift(
          `${src.name}: ${newSkusLeftOutCount} SKU${newSkusLeftOutCount === 1 ? ' is' : 's are'} not in the catalogue and ${newSkusLeftOutCount === 1 ? 'was' : 'were'} left out (${newSkusLeftOut.join(', ')}${newSkusLeftOutCount > newSkusLeftOut.length ? ', …' : ''}): ${map.title.replace(/ \(.*$/, '')} updates SKUs merchant already has — import the catalogue (store export or Amazon flat file) first`,
        );
        notes.count++;
      }
      if (notes.count) {
        warnings.push(...notes.first.slice(0, 5));
        if (notes.count > 5) warnings.push(`… and ${notes.count >= 100 ? 'many' : notes.count - 5} more like these`);
      }
      summaries.push(summary);

      /** A new SKU from a Shopify file with a blank Variant Price: its Shopify listing would have none. */
      function needsPrice(r: ListingRecord): boolean {
        return map.channel === 'shopify' && r.variant.price === undefined;
      }
      function noPrice(r: ListingRecord): InputProblem {
        const name = header.binding.byName.get('price')?.header ?? 'price';
        return rowProblem(r, 'price', 'required', `${name} is blank and SKU ${r.sku} is new: its Shopify listing needs a price (a blank price only keeps a stored one)`, '');
      }
      /**
       * A row into the empty catalogue (BulkLoad): every SKU is new. Counted as created now; a duplicate
       * SKU is refused by the index when its batch goes in, and refuse() takes it back then.
       */
      /** A SKU the catalogue does not have, in a file that only updates (the All Listings Report): left out. */
      function leaveOut(r: ListingRecord): Outcome {
        if (newSkusLeftOut.length < 5) newSkusLeftOut.push(r.sku);
        newSkusLeftOutCount++;
        return 'skipped';
      }
      function applyFresh(b: BulkLoad, item: RowItem, r: ListingRecord, hash: string, pHash: string): Outcome | InputProblem {
        if (r.action === 'delete') return 'skipped'; // nothing to delist
        if (map.newSkus === 'skip') return leaveOut(r);
        if (needsPrice(r)) return noPrice(r);
        let productId: bigint | undefined;
        let created = false;
        if (productCache && productCache.handle === r.handle && productCache.hash === pHash) productId = productCache.id;
        else {
          if (r.product.title) productId = b.insertProduct(r.handle, productValues(r, undefined, false), pHash);
          if (productId !== undefined) {
            created = true;
            totals.productsCreated++;
          } else {
            // The handle came earlier in this file (its rows apart, or with other product fields).
            const existing = writer.product(r.handle);
            if (!existing) return noProduct(r, false);
            refuse(b.flush()); // so that the SKU check below sees every row before this one
            if (writer.variantKey(r.sku)) return dupProblem(r, b.firstLine(r.sku)); // before the product is touched
            productId = existing.id;
            const merged = productValues(r, existing, fillOnly);
            if (PRODUCT_COLUMNS.some((c) => merged[c] !== existing[c])) {
              writer.updateProduct(existing.id, merged, pHash, at);
              totals.productsUpdated++;
            }
          }
          productCache = { handle: r.handle, id: productId, hash: pHash };
        }
        let stored: string | null = hash;
        if (hasGenericOptionNames(r)) {
          refuse(b.flush()); // (the product's earlier variants may still be queued)
          adoptOptionNames(r, writer.productOptionNames(productId));
          stored = null; // the names came from other rows: compare values next time, not this row's text
        }
        const qty = r.quantity ?? (fillOnly ? r.channels.find((c) => c.quantity !== undefined)?.quantity : undefined); // a marketplace file's stock seeds a new SKU's
        const seeds = r.channels.map((c) => ({ channel: c.channel, price: nul(c.price), currency: c.currency, quantity: nul(c.quantity) }));
        refuse(b.addVariant({ item, created }, productId, r.sku, variantValues(r, undefined, false), stored, r.line, qty, seeds));
        return 'created';
      }

      /** Rows the SKU index refused when their batch went in: duplicates after all. */
      function refuse(rows: Refused[]): void {
        for (const x of rows) {
          const { item, created } = x.tag as { item: RowItem; created: boolean };
          const r = item.record!;
          summary.created--;
          totals.created--;
          if (created && bulk!.dropEmptyProduct(x.productId)) {
            totals.productsCreated--;
            if (productCache?.id === x.productId) productCache = undefined;
          }
          fail(item.cells, [dupProblem(r, bulk!.firstLine(r.sku))]);
        }
      }

      function apply(r: ListingRecord, hash: string, pHash: string): Outcome | InputProblem {
        const key = writer.variantKey(r.sku);
        if (key && key.content_hash === hash) return 'unchanged';
        if (!key && r.action === 'delete') return 'skipped'; // nothing to delist
        if (!key && map.newSkus === 'skip') return leaveOut(r);
        // Product: by handle (cached while consecutive rows share it). Marketplace files (Amazon, eBay)
        // and derived handles never move an existing SKU; marketplace files only fill empty fields.
        let productId: bigint;
        let productTouched = false;
        const byKey = key && (fillOnly || !r.handleExplicit);
        if (key && !byKey) {
          // Checked before any write, so a refused row leaves nothing behind (--skip-invalid commits the rest).
          const current = writer.productById(key.product_id).handle;
          if (current !== r.handle) {
            return rowProblem(r, 'handle', 'sku-product', `SKU ${r.sku} belongs to product ${current} in the catalogue, not ${r.handle}; a SKU cannot move between products in an import`, r.handle);
          }
        }
        // A SKU's selling currency does not change in an import: 249.00 SEK re-read as 249.00 EUR (a wrong
        // --currency, a file from another shop) would be pushed to every storefront as a new price.
        const oldVariant = key ? writer.variant(key.id) : undefined;
        if (oldVariant && !fillOnly && r.variant.currency !== undefined && oldVariant.currency !== null && oldVariant.price_minor !== null && r.variant.currency !== oldVariant.currency) {
          const column = header.binding.byName.has('currency');
          const message = `SKU ${r.sku} is priced in ${oldVariant.currency} in the catalogue, this row in ${r.variant.currency}; an import does not change a SKU's currency${column ? '' : ' (check --currency)'}`;
          return rowProblem(r, 'currency', 'currency-change', message, r.variant.currency, '--currency');
        }
        if (!byKey && productCache && productCache.handle === r.handle && productCache.hash === pHash) productId = productCache.id;
        else {
          const existing = byKey ? writer.productById(key.product_id) : writer.product(r.handle);
          if (!existing) {
            if (!r.product.title) return noProduct(r, !!key);
            productId = writer.insertProduct(r.handle, productValues(r, undefined, false), pHash, at);
            totals.productsCreated++;
            productTouched = true;
          } else {
            productId = existing.id;
            const merged = productValues(r, existing, fillOnly);
            if (PRODUCT_COLUMNS.some((c) => merged[c] !== existing[c])) {
              writer.updateProduct(existing.id, merged, pHash, at);
              totals.productsUpdated++;
              productTouched = true;
              // Draft or archived takes every listing of the product off sale; active puts them back.
              if ((merged.status ?? 'active') !== existing.status) {
                for (const l of writer.productListings(existing.id)) enqueue(l.channel, l.sku, (merged.status ?? 'active') === 'active' ? 'listing' : 'delist');
              }
            }
          }
          if (!byKey) productCache = { handle: r.handle, id: productId, hash: pHash };
        }
        let stored: string | null = hash;
        if (hasGenericOptionNames(r)) {
          adoptOptionNames(r, writer.productOptionNames(productId));
          stored = null; // the names came from other rows: compare values next time, not this row's text
        }
        if (!key) {
          if (needsPrice(r)) return noPrice(r);
          const v = variantValues(r, undefined, false);
          const id = writer.insertVariant(productId, r.sku, v, stored, at);
          const qty = r.quantity ?? (fillOnly ? r.channels.find((c) => c.quantity !== undefined)?.quantity : undefined); // a marketplace file's stock seeds a new SKU's
          if (qty !== undefined) writer.setOnHand(id, qty, false, at);
          for (const c of r.channels) {
            const status = r.action === 'delete' ? 'removed' : 'active';
            writer.insertListing(id, c.channel, status, nul(c.price), c.currency, nul(c.quantity), at);
            if (r.action !== 'delete') enqueue(c.channel, r.sku, 'listing');
          }
          return 'created';
        }
        const old = oldVariant ?? writer.variant(key.id);
        const v = variantValues(r, old, fillOnly);
        const contentChanged = VARIANT_COLUMNS.some((c) => v[c] !== old[c] && c !== 'price_minor' && c !== 'currency');
        const priceChanged = v.price_minor !== old.price_minor || v.currency !== old.currency;
        let changed = contentChanged || priceChanged;
        if (contentChanged || priceChanged) writer.updateVariant(key.id, v, stored, at);
        const onHand = writer.onHand(key.id);
        let qtyChanged = false;
        if (r.quantity !== undefined && r.quantity !== onHand) {
          writer.setOnHand(key.id, r.quantity, onHand !== undefined, at);
          qtyChanged = true;
        }
        const listings = writer.listings(key.id);
        const pushes: Array<[string, 'listing' | 'price' | 'inventory' | 'delist']> = [];
        for (const c of r.channels) {
          const l = listings.find((x) => x.channel === c.channel);
          const status = r.action === 'delete' ? 'removed' : 'active';
          if (!l) {
            if (status === 'removed') continue; // an End/Delete for a storefront the SKU is not on: nothing to take down
            writer.insertListing(key.id, c.channel, status, nul(c.price), c.currency, nul(c.quantity), at);
            if (status === 'active') pushes.push([c.channel, 'listing']);
            changed = true;
            continue;
          }
          const price = c.price ?? l.price_minor;
          const qty = c.quantity ?? l.quantity;
          const currency = c.price !== undefined ? c.currency : l.currency;
          if (l.status !== status || price !== l.price_minor || qty !== l.quantity || currency !== l.currency) {
            writer.updateListing(l.id, status, price, currency, qty, at);
            changed = true;
            if (status === 'removed') pushes.push([c.channel, 'delist']);
            else if (l.status !== status) pushes.push([c.channel, 'listing']);
            else {
              if (price !== l.price_minor || currency !== l.currency) pushes.push([c.channel, 'price']);
              if (qty !== l.quantity) pushes.push([c.channel, 'inventory']);
            }
          }
        }
        // Content and stock changes reach every storefront the SKU is listed on.
        for (const l of listings) {
          if (l.status === 'removed') continue;
          if (contentChanged || (priceChanged && l.channel === 'shopify')) pushes.push([l.channel, contentChanged ? 'listing' : 'price']);
          if (qtyChanged && l.quantity === null) pushes.push([l.channel, 'inventory']);
        }
        if (qtyChanged) changed = true;
        const seen = new Set<string>();
        // (A dry run enqueues too: its transaction is rolled back, and the count is the preview.)
        for (const [ch, kind] of pushes) {
          if (seen.has(`${ch}:${kind}`)) continue;
          seen.add(`${ch}:${kind}`);
          enqueue(ch, r.sku, kind);
        }
        if (!changed && !productTouched) return 'unchanged'; // equal values: write nothing, not even the hash
        if (!(contentChanged || priceChanged)) writer.setVariantHash(key.id, stored);
        return 'updated';
      }
    }

    if (problemCount > 0 && !opts.skipInvalid) {
      writer.rollback();
      const shown = problems.length;
      throw new InvalidInputError(
        `${problemCount} problem${problemCount === 1 ? '' : 's'} in ${totals.rejected} row${totals.rejected === 1 ? '' : 's'}; nothing was imported`,
        {
          problems,
          hints: [
            'fix the rows and run the import again',
            'or import the valid rows with --skip-invalid --rejects rejects.csv (the rejected rows are written there with a reason column)',
            ...(shown < problemCount ? [`only the first ${shown} problems are listed`] : []),
            ...(problems.some((p) => p.rule === 'sku-product')
              ? ["a marketplace file (Amazon, eBay) groups SKUs under its parent SKU: import the store's own file (Shopify, WooCommerce, merchant template) first, or give these rows the handle the catalogue has"]
              : []),
          ],
          details: { problemCount, rejectedRows: totals.rejected },
        },
      );
    }
    if (opts.dryRun) {
      writer.rollback();
    } else {
      const files = summaries.map((s, i) => ({ file: s.file, format: `${s.format}/${s.generation}`, sha256: digests[i]!, rows: s.rows }));
      const fp = fingerprint ?? createHash('sha256').update(optionKey).update(files.map((f) => f.sha256).join(',')).digest('hex');
      if (!opts.files.includes('-')) {
        deps.catalogue.recordImportRun({ at, fingerprint: fp, files, created: totals.created, updated: totals.updated, unchanged: totals.unchanged, rejected: totals.rejected });
      }
      if (totals.created + totals.updated > 0) {
        deps.audit.record({ at, command: opts.command ?? 'listings import', entity: 'catalog', action: 'import', detail: { files, created: totals.created, updated: totals.updated, rejected: totals.rejected } });
      }
      writer.commit();
      committed = true;
    }
  } catch (e) {
    writer.rollback();
    rejects.finish(false);
    throw e;
  }
  rejects.finish(committed && totals.rejected > 0);
  const ms = Date.now() - started;
  return {
    dryRun: !!opts.dryRun,
    repeat: false,
    files: summaries,
    created: totals.created,
    updated: totals.updated,
    unchanged: totals.unchanged,
    rejected: totals.rejected,
    products: { created: totals.productsCreated, updated: totals.productsUpdated },
    outbox: totals.outbox,
    rejectsFile: committed && totals.rejected > 0 ? opts.rejects ?? null : null,
    problemCount,
    problems,
    timings: { totalMs: ms, rowsPerSecond: ms > 0 ? Math.round((rowsDone * 1000) / ms) : rowsDone },
  };

  function enqueue(channel: string, sku: string, kind: 'listing' | 'price' | 'inventory' | 'delist'): void {
    // The listing's pending sync state (the bulk load creates its listings with it already set).
    writer.enqueue(channel, marketplaceOf(channel) ?? channel, sku, kind, outboxPayload, at);
    totals.outbox++;
  }
}

/** Option names the assembler made up ("Option 1") because the row had none: a continuation row whose product's first row is elsewhere. */
const GENERIC_OPTION = /^Option [1-3]$/;
function hasGenericOptionNames(r: ListingRecord): boolean {
  return !!r.variant.options?.some(([n]) => GENERIC_OPTION.test(n));
}
/** Such names become the product's own (from a variant already in the catalogue), by position. */
function adoptOptionNames(r: ListingRecord, names: string[]): void {
  r.variant.options = r.variant.options!.map(([n, v], i) => [GENERIC_OPTION.test(n) && names[i] ? names[i]! : n, v]);
}

/**
 * What an import's outbox row says about itself. Sync never reads it: it pushes the catalogue's values as
 * they are when it runs (a later import or price change is not lost behind an older copy), so the row
 * only needs to say where the change came from — not repeat the listing (a million-row first import
 * would otherwise write a second copy of every listing, a quarter of the file's bytes in the database).
 */
function importPayload(file: string): string {
  return JSON.stringify({ reason: 'listings import', file });
}

function productValues(r: ListingRecord, old: Record<ProductColumn, string | null> | undefined, fillOnly: boolean): Record<ProductColumn, string | null> {
  const p = r.product;
  const pick = (nv: string | undefined, c: ProductColumn): string | null => (fillOnly && old && old[c] !== null ? old[c] : nv ?? old?.[c] ?? null);
  return {
    title: pick(p.title, 'title') ?? r.handle,
    description: pick(p.description, 'description'),
    vendor: pick(p.vendor, 'vendor'),
    brand: pick(p.brand, 'brand'),
    product_type: pick(p.productType, 'product_type'),
    tags: pick(p.tags, 'tags'),
    status: pick(p.status, 'status') ?? 'active',
  };
}

function variantValues(r: ListingRecord, old: Record<VariantColumn, string | bigint | null> | undefined, fillOnly: boolean): Record<VariantColumn, string | bigint | null> {
  const v = r.variant;
  const pick = <T extends string | bigint>(nv: T | undefined, c: VariantColumn): string | bigint | null =>
    fillOnly && old && old[c] !== null ? old[c] : nv !== undefined ? nv : old ? old[c] : null;
  // A marketplace file that creates a SKU gives it its first price too.
  const listingPrice = !old && v.price === undefined ? r.channels.find((c) => c.price !== undefined) : undefined;
  return {
    title: pick(v.title, 'title'),
    options_json: pick(v.options ? JSON.stringify(v.options) : undefined, 'options_json'),
    barcode: pick(v.barcode, 'barcode'),
    price_minor: listingPrice ? listingPrice.price! : pick(v.price, 'price_minor'),
    currency: listingPrice ? listingPrice.currency : pick(v.currency, 'currency'),
    compare_at_minor: pick(v.compareAt, 'compare_at_minor'),
    cost_minor: pick(v.cost, 'cost_minor'),
    cost_currency: pick(v.costCurrency, 'cost_currency'),
    landed_cost_minor: pick(v.landedCost, 'landed_cost_minor'),
    weight_grams: pick(v.weightGrams, 'weight_grams'),
    length_mm: pick(v.lengthMm, 'length_mm'),
    width_mm: pick(v.widthMm, 'width_mm'),
    height_mm: pick(v.heightMm, 'height_mm'),
    hs_code: pick(v.hsCode, 'hs_code'),
    origin_country: pick(v.originCountry, 'origin_country'),
    image_url: pick(v.imageUrl, 'image_url'),
  };
}

/** Where one file's items come from: this thread (small files, stdin) or the reading worker. */
interface RowFeed {
  /** Non-blank data rows read so far. */
  readonly rows: number;
  /** Bytes of the file read so far. */
  readonly bytes: number;
  batches(): AsyncGenerator<RowItem[]>;
  /** sha256 of the file's bytes (once batches() has finished). */
  digest(): string;
  /** The assembler's notes: the first ones and how many. */
  notes(): { first: string[]; count: number };
}

/** Files at least this large are read in a worker thread (below it, starting one costs more than it saves). */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

function useWorker(src: ListingFile, mode: ImportOptions['readThread']): boolean {
  if (src.path === '-' || mode === 'off') return false;
  if (mode === 'on') return true;
  return (src.size ?? 0) >= WORKER_MIN_BYTES && availableParallelism() > 1;
}

class InlineFeed implements RowFeed {
  private readonly pipe: RowPipeline;
  constructor(
    private readonly src: ListingFile,
    private readonly it: RecordStream,
    binding: Binding,
    setup: RowSetup,
  ) {
    this.pipe = new RowPipeline(binding, setup);
  }
  get rows(): number {
    return this.pipe.rows;
  }
  get bytes(): number {
    return this.src.bytesRead;
  }
  async *batches(): AsyncGenerator<RowItem[]> {
    for (;;) {
      const records = await this.it.nextBatch();
      if (!records) {
        this.pipe.end();
        break;
      }
      const batch: RowItem[] = [];
      for (const rec of records) {
        const item = this.pipe.push(rec);
        if (item) batch.push(item);
      }
      if (batch.length) yield batch;
    }
  }
  digest(): string {
    return this.src.digest();
  }
  notes() {
    return { first: this.pipe.assembler.notes.slice(0, 100), count: this.pipe.assembler.notes.length };
  }
}

type WorkerMessage =
  | { t: 'batch'; items: unknown[]; rows: number; bytes: number }
  | { t: 'done'; rows: number; bytes: number; digest: string; notes: string[]; noteCount: number }
  | { t: 'error'; error: SerializedError };

class WorkerFeed implements RowFeed {
  rows = 0;
  bytes = 0;
  private sha = '';
  private noted: { first: string[]; count: number } = { first: [], count: 0 };
  constructor(
    private readonly input: WorkerInput,
    private readonly url: URL,
  ) {}
  async *batches(): AsyncGenerator<RowItem[]> {
    // Bounded heaps: without them the reader's garbage lets V8 grow its heap the longer the file, and the
    // peak RSS of a 1M-row import drifts up (230 MB vs 195 MB at 100k rows); with them it stays flat.
    // The reader keeps one product's rows alive, except in Amazon and WooCommerce files, whose parent
    // products it keeps for their children: those may need more than 64 MB and keep V8's own limit.
    const keepsParents = this.input.setup.env.strategy === 'amazon' || this.input.setup.env.strategy === 'woocommerce';
    const resourceLimits = keepsParents ? { maxYoungGenerationSizeMb: 16 } : { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64 };
    const w = new Worker(this.url, { workerData: this.input, resourceLimits });
    const queue: Array<WorkerMessage | { t: 'crash'; error: Error } | { t: 'exit'; code: number }> = [];
    let wake: (() => void) | undefined;
    const push = (m: (typeof queue)[number]) => {
      queue.push(m);
      wake?.();
    };
    w.on('message', (m: WorkerMessage) => push(m));
    w.on('error', (error) => push({ t: 'crash', error }));
    w.on('exit', (code) => push({ t: 'exit', code }));
    try {
      for (;;) {
        while (!queue.length) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const m = queue.shift()!;
        if (m.t === 'batch') {
          this.rows = m.rows;
          this.bytes = m.bytes;
          w.postMessage('more');
          yield decodeItems(m.items);
        } else if (m.t === 'done') {
          this.rows = m.rows;
          this.bytes = m.bytes;
          this.sha = m.digest;
          this.noted = { first: m.notes, count: m.noteCount };
          return;
        } else if (m.t === 'error') throw deserializeError(m.error);
        else if (m.t === 'crash') {
          if ((m.error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
            throw new UsageError(`reading ${this.input.path} needed more memory than the import's reading thread is given; nothing was imported`, {
              hints: ['run the import again with MERCHANT_IMPORT_WORKER=off (the file is then read on the main thread, without that limit)'],
            });
          }
          throw m.error;
        }
        else throw new BugError(`the import's reading thread stopped (exit ${m.code}) before the end of ${this.input.path}`);
      }
    } finally {
      await w.terminate();
    }
  }
  digest(): string {
    return this.sha;
  }
  notes() {
    return this.noted;
  }
}

/** The line number a note (`file:line[:column]: text`) is about, or 0. */
function noteLine(file: string, note: string): number {
  if (!note.startsWith(`${file}:`)) return 0;
  const m = /^(\d+)[:]/.exec(note.slice(file.length + 1));
  return m ? Number(m[1]) : 0;
}
