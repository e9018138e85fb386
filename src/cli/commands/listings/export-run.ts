// `merchant listings export`: what runs (the command's definition is export.ts, loaded at start-up).
import { openAtomicFile } from '../../../config/atomic.js';
import type { Ctx } from '../../context.js';
import { exportCsv } from '../../../services/listings/catalogue.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { listingFiles } from '../../wiring/files.js';
import type { ExportOpts } from './export.js';

export function runExport(ctx: Ctx, opts: ExportOpts): void {
  const chunks = exportCsv(new SqliteListingCatalogue(ctx.store()), listingFiles().maps, { sku: opts.sku, channel: opts.channel });
  if (opts.output === '-') {
    for (const c of chunks) ctx.io.stdout.write(c);
    return;
  }
  const out = openAtomicFile(opts.output);
  try {
    for (const c of chunks) out.write(c);
  } catch (e) {
    out.abort();
    throw e;
  }
  out.commit();
  ctx.io.success(`exported to ${opts.output}`);
}
