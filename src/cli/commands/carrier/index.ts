import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { carrierConnector } from '../../wiring/carriers.js';
import { UsageError } from '../../../core/errors.js';
import { printJson, printRows } from '../../render.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { connectCarrier, listCarriers, parseCarrier } from '../../../services/carrier/accounts.js';
import { examples, readInputFile } from '../customs/shared.js';

export function register(program: Command, ctx: Ctx): void {
  const carrier = program
    .command('carrier')
    .description('Carrier accounts (EasyPost, Shippo): connect with an API key, list')
    .addHelpText(
      'after',
      examples([
        'merchant carrier connect easypost --key-file easypost-key.txt',
        'merchant carrier connect easypost --sandbox http://127.0.0.1:4010',
        'merchant carrier list',
      ]),
    );

  carrier
    .command('connect <easypost|shippo>')
    .description('Store a carrier API key and verify it with one real call (test or live mode comes from the key)')
    .option('--key-file <file>', 'read the API key from this file (`-` reads stdin); never pass a key as a flag value')
    .option('--sandbox <url>', 'use the local sandbox at this URL with its test key')
    .option('--base-url <url>', 'API base URL (default: the carrier\'s production host)')
    .addHelpText(
      'after',
      examples(
        [
          'merchant carrier connect easypost --sandbox http://127.0.0.1:4010',
          'merchant carrier connect easypost --key-file ~/easypost-test.key',
          'op read op://shop/shippo/key | merchant carrier connect shippo --key-file -',
        ],
        `
The key is kept in $MERCHANT_HOME/credentials (0600), never in the database or the output;
MERCHANT_EASYPOST_API_KEY / MERCHANT_SHIPPO_API_KEY override it. EasyPost test keys start EZTK,
live keys EZAK; Shippo keys start shippo_test_ / shippo_live_.
Exit codes: 0 connected · 2 bad flag · 6 the carrier rejected the key or is unreachable.`,
      ),
    )
    .action(async (name: string, opts: { keyFile?: string; sandbox?: string; baseUrl?: string }) => {
      const c = parseCarrier(name);
      if (opts.sandbox && opts.keyFile) throw new UsageError('give either --sandbox or --key-file, not both');
      let apiKey: string | undefined;
      if (opts.keyFile) {
        apiKey = (await readInputFile(ctx, opts.keyFile)).text.trim();
        if (!apiKey) throw new UsageError(`${opts.keyFile} is empty: it should hold the ${c} API key`);
      } else if (!opts.sandbox) {
        throw new UsageError(`say where the key comes from: --key-file FILE (or - for stdin), or --sandbox URL`);
      }
      await ctx.writeLock('carrier connect');
      const info = await connectCarrier(ctx.store(), ctx.credentials(), carrierConnector(httpFactoryFromCtx(ctx)), {
        carrier: c,
        ...(apiKey ? { apiKey } : {}),
        ...(opts.sandbox ? { sandboxUrl: opts.sandbox } : {}),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        now: ctx.clock.now().toISOString(),
      });
      if (ctx.globals.json) return printJson(ctx.io, info);
      ctx.io.success(`${c} connected (${info.mode} mode${info.sandbox ? ', sandbox' : ''}) at ${info.baseUrl}`);
    });

  carrier
    .command('list')
    .description('Connected carrier accounts with their mode (test/live) and where the key comes from')
    .addHelpText('after', examples(['merchant carrier list', 'merchant carrier list --json']))
    .action(async () => {
      const rows = listCarriers(ctx.store(), ctx.credentials(), carrierConnector(httpFactoryFromCtx(ctx)));
      if (ctx.globals.json) return printJson(ctx.io, { items: rows });
      if (rows.length === 0) {
        ctx.io.info('no carrier connected: run `merchant carrier connect easypost --key-file key.txt`');
        return;
      }
      await printRows(ctx.io, rows, [
        { header: 'CARRIER', value: (r) => r.carrier },
        { header: 'MODE', value: (r) => r.mode },
        { header: 'SANDBOX', value: (r) => (r.sandbox ? 'yes' : 'no') },
        { header: 'KEY', value: (r) => r.credential },
        { header: 'VERIFIED', value: (r) => r.verifiedAt ?? '', time: true },
        { header: 'BASE URL', value: (r) => r.baseUrl, overflow: 'keep' },
      ]);
    });
}
