// `merchant listings import`: what runs (the command's definition is import.ts, loaded at start-up).
import type { Ctx } from '../../context.js';
import { importListings, readThreadMode, type ImportResult } from '../../../services/listings/import.js';
import { printJson, printRows } from '../../render.js';
import { PartialFailure, formatProblem } from '../../../core/errors.js';
import { afterImport } from '../../next-steps.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { importWorkerUrl, listingFiles } from '../../wiring/files.js';
import type { Opts } from './import.js';

export async function runImport(ctx: Ctx, files: string[], opts: Opts): Promise<void> {
  if (!opts.dryRun) await ctx.writeLock('listings import');
  const store = ctx.store();
  const progress = ctx.io.progress('importing');
  let bar: ReturnType<typeof ctx.io.progress> | undefined;
  let lastRows = 0;
  const deps = { catalogue: new SqliteListingCatalogue(store), audit: store.audit, files: listingFiles(), workerUrl: importWorkerUrl() };
  const result = await importListings(deps, {
    files,
    format: opts.format,
    encoding: opts.encoding,
    delimiter: opts.delimiter,
    decimalComma: opts.decimalComma,
    currency: opts.currency,
    channel: opts.channel,
    dryRun: opts.dryRun,
    skipInvalid: opts.skipInvalid,
    rejects: opts.rejects,
    now: ctx.clock.now().toISOString(),
    stdin: ctx.io.stdin,
    readThread: readThreadMode(ctx.env.MERCHANT_IMPORT_WORKER),
    onProgress: ({ rows, bytes, totalBytes }) => {
      // Total rows are unknown until the end: estimate them from the bytes read so far, again at every
      // update (the reader runs ahead of the rows applied, so the first estimates are low).
      const estimate = totalBytes > 0 && bytes > 0 ? Math.max(rows, Math.round((rows * totalBytes) / bytes)) : 0;
      if (!bar && estimate) bar = ctx.io.progress('importing', estimate);
      else if (estimate) bar?.setTotal?.(estimate);
      (bar ?? progress).tick(rows - lastRows);
      lastRows = rows;
    },
  });
  (bar ?? progress).done();
  await render(ctx, result);
  if (result.rejected === 0) afterImport(ctx, result, files);
  if (result.rejected > 0) {
    throw new PartialFailure(`${result.rejected} row${result.rejected === 1 ? '' : 's'} rejected; the other rows were imported`, {
      hints: [result.rejectsFile ? `the rejected rows are in ${result.rejectsFile} with a reason column: fix them there and import that file` : 'fix the rows and import again'],
    });
  }
}

async function render(ctx: Ctx, r: ImportResult): Promise<void> {
  const io = ctx.io;
  if (ctx.globals.json) {
    printJson(io, {
      dryRun: r.dryRun,
      repeat: r.repeat,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      products: r.products,
      outbox: r.outbox,
      rejectsFile: r.rejectsFile,
      files: r.files,
      timings: r.timings,
      problemCount: r.problemCount,
      problems: r.problems.slice(0, 20),
    });
    return;
  }
  for (const f of r.files) {
    io.info(`${f.file}: ${f.format} (${f.generation}), ${f.encoding}, ${f.delimiter === ',' ? 'comma' : f.delimiter === ';' ? 'semicolon' : f.delimiter}-delimited${f.channel ? `, channel ${f.channel}` : ''}`);
    // How the file was read (columns not imported, decimal commas, cells adjusted): worth a look, nothing to act on.
    for (const w of f.warnings) io.note(w.startsWith(`${f.file}:`) ? w : `${f.file}: ${w}`);
  }
  if (r.repeat) io.info('these files were imported before and nothing has changed since: nothing to do');
  else if (r.created + r.updated + r.unchanged + r.rejected === 0) io.warn('the files have no data rows (only a header): nothing to import');
  const rows: Array<{ k: string; v: string }> = [
    { k: 'created', v: String(r.created) },
    { k: 'updated', v: String(r.updated) },
    { k: 'unchanged', v: String(r.unchanged) },
    { k: 'rejected', v: String(r.rejected) },
    { k: 'products created', v: String(r.products.created) },
    { k: 'products updated', v: String(r.products.updated) },
    { k: 'queued for sync', v: String(r.outbox) },
  ];
  // (--quiet: only errors — the counts report what was written; of a dry run they are the answer, as
  // in orders import; --json has them for scripts.)
  await printRows(io, rows, [
    { header: r.dryRun ? 'would be (dry run)' : 'SKUs', value: (x) => x.k },
    { header: 'count', value: (x) => x.v, align: 'right' },
  ], { header: false, report: !r.dryRun });
  for (const p of r.problems.slice(0, 20)) io.stderr.write(`  ${formatProblem(p)}\n`);
  if (r.problemCount > 20) io.stderr.write(`  … and ${r.problemCount - 20} more\n`);
  const secs = (r.timings.totalMs / 1000).toFixed(1);
  if (r.dryRun) io.info(`dry run: nothing was written (${secs}s)`);
  else if (r.created + r.updated > 0) io.success(`imported in ${secs}s (${r.timings.rowsPerSecond.toLocaleString('en-US')} rows/s)`);
  else if (!r.repeat) io.info(`nothing changed (${secs}s)`);
}
