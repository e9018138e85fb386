// merchant sandbox start: run the emulator in the foreground until SIGINT/SIGTERM.

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { printJson } from '../../render.js';
import { parseFaultSpec } from '../../../sandbox/faults.js';
import { SANDBOX_CREDENTIALS } from '../../../sandbox/credentials.js';

const EXAMPLES = `
Examples:
  $ merchant sandbox start --port 4010
  $ merchant sandbox start --port 4010 --faults 429:0.1,500:0.05,timeout:0.02,drop:0.01,lost:0.01 --seed 7
  $ merchant sandbox start --state sandbox-state.json --seed-data empty
  $ curl -s -X POST http://127.0.0.1:4010/amazon/auth/o2/token \\
      -d grant_type=refresh_token -d 'refresh_token=Atzr|sandbox-refresh-token-0000' \\
      -d client_id=amzn1.application-oa2-client.sandbox0000 -d client_secret=amzn1.oa2-cs.v1.sandbox-secret-0000

Faults: KIND:PROBABILITY pairs (429, 500, 503, timeout, drop, lost, throttled) and slow:200ms.
  lost = the write is applied, then the connection is cut before the answer.
Inspection: GET /_sandbox/requests, GET /_sandbox/state, POST /_sandbox/faults, POST /_sandbox/reset,
  POST /_sandbox/clock {"advanceMs":N}.  See docs/sandbox.md.`;

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port takes a number 0-65535, got ${JSON.stringify(v)}`);
  return n;
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`--seed takes a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function registerStart(parent: Command, ctx: Ctx): void {
  parent
    .command('start')
    .description('Start the sandbox in the foreground and print its URLs and test credentials (Ctrl-C stops it)')
    .addOption(new Option('--port <n>', 'port to listen on (0 = any free port)').default(4010).argParser(parsePort))
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--faults <spec>', 'inject faults, e.g. 429:0.1,500:0.05,timeout:0.02,drop:0.01,lost:0.01,slow:200ms')
    .addOption(new Option('--seed <n>', 'seed of the fault generator (same seed, same faults)').default(1).argParser(parseSeed))
    .option('--state <file>', 'keep the sandbox state in this JSON file (loaded if it exists)')
    .addOption(new Option('--seed-data <kind>', 'initial data').choices(['demo', 'empty']).default('demo'))
    .addHelpText('after', EXAMPLES)
    .action(async (opts: { port: number; host: string; faults?: string; seed: number; state?: string; seedData: 'demo' | 'empty' }) => {
      if (opts.faults) {
        try {
          parseFaultSpec(opts.faults);
        } catch (e) {
          throw new UsageError(`--faults: ${(e as Error).message}`);
        }
      }
      const { startSandbox } = await import('../../../sandbox/index.js');
      let sb;
      try {
        sb = await startSandbox({
          port: opts.port,
          host: opts.host,
          faults: opts.faults,
          seed: opts.seed,
          statePath: opts.state ? resolve(ctx.cwd, opts.state) : undefined,
          seedData: opts.seedData,
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} is already in use`, { hints: ['pick another with --port N, or --port 0 for any free port'] });
        throw e;
      }
      const c = SANDBOX_CREDENTIALS;
      if (ctx.globals.json) {
        printJson(ctx.io, { url: sb.url, urls: sb.urls, credentials: c });
      } else {
        ctx.io.out(`merchant sandbox listening on ${sb.url}`);
        ctx.io.out('');
        const rows: Array<[string, string]> = [
          ['Amazon SP-API', `${sb.urls.amazon}/{na,eu,fe}`],
          ['Amazon LWA token', sb.urls.amazonAuth],
          ['eBay', sb.urls.ebay],
          ['Shopify', `${sb.urls.shopify}/admin/api/2026-10/graphql.json`],
          ['Shopify token', `${sb.urls.shopify}/admin/oauth/access_token`],
          ['EasyPost', `${sb.urls.easypost}/v2`],
          ['Shippo', sb.urls.shippo],
          ['ECB rates', `${sb.urls.ecb}/eurofxref-daily.xml`],
          ['Inspection', `${sb.url}/_sandbox/requests`],
        ];
        for (const [k, v] of rows) ctx.io.out(`  ${k.padEnd(18)} ${v}`);
        ctx.io.out('');
        ctx.io.out('Test credentials (public, accepted only by this sandbox):');
        ctx.io.out(`  amazon   seller ${c.amazon.sellerId}, refresh token ${c.amazon.refreshToken}, client ${c.amazon.clientId}`);
        ctx.io.out(`  ebay     client ${c.ebay.clientId}, refresh token ${c.ebay.refreshToken}`);
        ctx.io.out(`  shopify  shop ${c.shopify.shop}, token ${c.shopify.token} (legacy custom app)`);
        ctx.io.out(`           app client id ${c.shopify.clientId}, secret ${c.shopify.clientSecret} (Dev Dashboard app: 24-hour tokens)`);
        ctx.io.out(`  easypost key ${c.easypost.apiKey}`);
        ctx.io.out(`  shippo   key ${c.shippo.apiKey}`);
        ctx.io.out('');
        ctx.io.out('Connect merchant to it:');
        for (const m of ['amazon', 'ebay', 'shopify']) ctx.io.out(`  merchant marketplace connect ${m} --sandbox ${sb.url}`);
        ctx.io.out(`  merchant marketplace connect shopify --sandbox ${sb.url} --client-id ${c.shopify.clientId}   # the Dev Dashboard app`);
        for (const m of ['easypost', 'shippo']) ctx.io.out(`  merchant carrier connect ${m} --sandbox ${sb.url}`);
        ctx.io.out('');
        if (opts.faults) ctx.io.info(`faults: ${opts.faults} (seed ${opts.seed})`);
        ctx.io.info('Press Ctrl-C to stop.');
      }
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sb.stop();
      ctx.io.info('sandbox stopped');
    });
}
