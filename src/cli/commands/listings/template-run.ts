// `merchant listings template`: what runs (the command's definition is template.ts, loaded at start-up).
import type { Ctx } from '../../context.js';
import { buildTemplate } from '../../../services/listings/template.js';
import { listingFiles } from '../../wiring/files.js';
import { writeFileAtomic } from '../../../config/atomic.js';
import { printJson } from '../../render.js';
import type { TemplateOpts } from './template.js';

export function runTemplate(ctx: Ctx, format: string, opts: TemplateOpts): void {
  const t = buildTemplate(listingFiles().maps, format, { example: opts.example });
  if (ctx.globals.json) {
    const { text: _text, ...doc } = t;
    printJson(ctx.io, doc);
    return;
  }
  if (opts.output && opts.output !== '-') {
    writeFileAtomic(opts.output, t.text);
    ctx.io.success(`wrote ${t.title} to ${opts.output}`);
  } else {
    ctx.io.stdout.write(t.text);
  }
  // The documentation goes to stderr so stdout stays a clean file.
  ctx.io.info(`${t.title} (${t.id}), ${t.delimiter}-delimited.\n${t.description}\n`);
  const width = Math.max(...t.columns.map((c) => c.header.length));
  for (const c of t.columns) {
    if (!c.required && !c.doc) continue;
    ctx.io.info(`  ${c.header.padEnd(width)}  ${c.required ? 'required  ' : '          '}${c.doc}`);
  }
}
