import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { buildTemplate } from '../../../services/listings/template.js';
import { listingFiles } from '../../wiring/files.js';
import { writeFileAtomic } from '../../../config/atomic.js';
import { printJson } from '../../render.js';
import { examples } from './index.js';

export function registerTemplate(parent: Command, ctx: Ctx): void {
  parent
    .command('template <format>')
    .description('Write a blank, documented import template (merchant, shopify, amazon, ebay, woocommerce, or a generation such as shopify/legacy)')
    .option('--output <file>', "write the template to this file ('-' = stdout)")
    .option('--example', 'add an example row')
    .addHelpText(
      'after',
      examples([
        'merchant listings template merchant --output catalogue.csv',
        'merchant listings template amazon/workbook --output amazon.txt',
        'merchant listings template shopify/legacy --example',
        'merchant listings template ebay --json                        # the columns and what they mean',
      ]),
    )
    .action((format: string, opts: { output?: string; example?: boolean }) => {
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
    });
}
