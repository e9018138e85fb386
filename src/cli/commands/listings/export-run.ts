// `merchant listings export`: what runs (the command's definition is export.ts, loaded at start-up).
import { writeFileAtomicFrom } from '../../../config/atomic.js';
import { printPieces } from '../../render.js';
import type { Ctx } from '../../context.js';
import { exportCsv } from '../../../services/listings/catalogue.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { listingFiles } from '../../wiring/files.js';
import type { ExportOpts } from './export.js';

export async function runExport(ctx: Ctx, opts: ExportOpts): Promise<void> {
  const chunks = exportCsv(new SqliteListingCatalogue(ctx.store()), listingFiles().maps, { sku: opts.sku, channel: opts.channel });
  // (Both streamed: to stdout waiting for a slow reader, to a file atomically.)
  if (opts.output === '-') return void (await printPieces(ctx.io, chunks));
  writeFileAtomicFrom(opts.output, chunks);
  ctx.io.success(`exported to ${opts.output}`);
}
