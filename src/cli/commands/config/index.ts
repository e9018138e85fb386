// merchant config list|get|set|unset: the settings file, and where each value comes from.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { Config } from '../../../config/config.js';
import { printJson, printRows } from '../../render.js';
import { UsageError } from '../../../core/errors.js';
import { examples } from '../help.js';

/** Settings merchant reads, with their defaults (documented in README "Configuration"). */
export const KNOWN_SETTINGS: Array<{ key: string; default: string; what: string }> = [
  { key: 'fx.ecb.url', default: 'https://www.ecb.europa.eu/stats/eurofxref', what: 'where `fx update --source ecb` fetches the ECB files' },
  { key: 'fx.timeoutMs', default: '30000', what: 'timeout of one ECB download' },
  { key: 'fx.maxAgeDays', default: '4', what: 'rates older than this make `prices update` warn (and fail without a terminal unless --allow-stale)' },
  { key: 'fx.rounding', default: 'halfUp', what: 'rounding mode of conversions: halfUp, halfEven, halfDown, up, down, ceil, floor' },
  { key: 'prices.maxChange', default: '20%', what: 'price moves larger than this are held by `prices update` unless --yes' },
  { key: 'sync.maxZeroShare', default: '0.2', what: 'share of a marketplace’s stocked listings a sync may set to zero before it is refused' },
  { key: 'sync.maxRemoveShare', default: '0.2', what: 'share of a marketplace’s listings a sync may take off sale before it is refused' },
  { key: 'sync.massChangeMinItems', default: '5', what: 'the mass-change guard ignores runs touching fewer listings than this' },
  { key: 'publish.maxNewListings', default: '100', what: '`listings publish` creating more listings than this in one run is refused unless --allow-mass-change' },
  { key: 'sync.ordersSinceDays', default: '60', what: 'how far back the first order pull of a marketplace reaches' },
  { key: 'amazon.feedThreshold', default: '50', what: 'more changes than this per Amazon marketplace go as one JSON_LISTINGS_FEED instead of single PATCH calls' },
  { key: 'amazon.confirmFeedThreshold', default: '10', what: 'more pending Amazon shipment confirmations than this per region go as one order-fulfillment feed (POST_ORDER_FULFILLMENT_DATA) instead of one confirmShipment call each' },
  { key: 'amazon.pollInitialMs', default: '2000', what: 'first wait before polling a feed’s status (then exponential)' },
  { key: 'amazon.pollMaxMs', default: '60000', what: 'longest wait between feed status polls' },
  { key: 'amazon.feedWaitMs', default: '900000', what: 'how long a sync waits for its Amazon feeds; one still queued is checked by the next run' },
  { key: 'http.timeoutMs', default: '30000', what: 'timeout of one marketplace or carrier request' },
  { key: 'http.retries', default: '5', what: 'retries of a failed request (429, 5xx, network) before the run reports a remote failure' },
  { key: 'http.backoffScale', default: '1', what: 'multiplies every backoff wait (0 = retry at once; for tests)' },
  { key: 'http.maxWaitMs', default: '7200000', what: 'most a run waits for marketplaces\u2019 rate limits in all before it stops with exit 6' },
  { key: 'lock.leaseSeconds', default: '300', what: 'a writer lock not renewed for this long (its holder died on another host or container) is taken over by the next writer' },
  { key: 'report.xero.taxRate', default: 'No VAT', what: 'TaxRate column written in the Xero journal export' },
  { key: 'pager', default: 'less -FRX', what: 'pager for long output on a terminal (then $PAGER; "" or cat: none; --no-pager for one run)' },
];

const KEY_RE = /^[a-zA-Z][\w-]*(\.[a-zA-Z][\w-]*)*$/;

export function register(program: Command, ctx: Ctx): void {
  const config = program
    .command('config')
    .description('Show and change settings (flag > MERCHANT_* environment > config file > default)')
    .addHelpText(
      'after',
      examples([
        'merchant config list',
        'merchant config set fx.maxAgeDays 7',
        'merchant config set pager "less -S"              # or MERCHANT_PAGER; "" turns the pager off',
        'MERCHANT_FX_MAXAGEDAYS=10 merchant prices update   # the environment wins over the file',
      ]),
    );

  config
    .command('list')
    .description('Every known setting with its value and where the value comes from')
    .addHelpText('after', examples(['merchant config list', 'merchant config list --json']))
    .action(async () => {
      const c = ctx.config();
      const keys = new Map(KNOWN_SETTINGS.map((s) => [s.key, s]));
      for (const k of Object.keys(c.fileEntries())) if (!keys.has(k)) keys.set(k, { key: k, default: '', what: '' });
      const rows = [...keys.values()].map((s) => {
        const l = c.lookup(s.key);
        return { key: s.key, value: l.value ?? s.default, source: l.source, env: Config.envName(s.key), what: s.what };
      });
      if (ctx.globals.json) return printJson(ctx.io, { items: rows, file: c.path });
      await printRows(ctx.io, rows, [
        { header: 'KEY', value: (r) => r.key, overflow: 'keep' },
        { header: 'VALUE', value: (r) => r.value, overflow: 'keep' },
        { header: 'FROM', value: (r) => r.source, overflow: 'keep' },
        { header: 'ENVIRONMENT', value: (r) => r.env, optional: 1 },
      ]);
    });

  config
    .command('get <key>')
    .description('Print one setting’s value')
    .addHelpText('after', examples(['merchant config get fx.maxAgeDays']))
    .action((key: string) => {
      const c = ctx.config();
      const l = c.lookup(key);
      const value = l.value ?? KNOWN_SETTINGS.find((s) => s.key === key)?.default;
      if (ctx.globals.json) return printJson(ctx.io, { key, value: value ?? null, source: l.source });
      if (value === undefined) throw new UsageError(`${key} is not set and has no default`, { hints: ['`merchant config list` shows the known settings'] });
      ctx.io.out(value);
    });

  config
    .command('set <key> <value>')
    .description('Store a setting in the config file')
    .addHelpText('after', examples(['merchant config set fx.maxAgeDays 7', 'merchant config set sync.maxZeroShare 0.1']))
    .action((key: string, value: string) => {
      if (!KEY_RE.test(key)) throw new UsageError(`${JSON.stringify(key)} is not a setting name (dotted words, e.g. fx.maxAgeDays)`);
      if (!KNOWN_SETTINGS.some((s) => s.key === key)) ctx.io.warn(`${key} is not a setting merchant knows; stored anyway`);
      ctx.ensureHome();
      ctx.config().set(key, value);
      ctx.io.success(`${key} = ${value} (in ${ctx.config().path})`);
      const env = ctx.env[Config.envName(key)];
      if (env !== undefined && env !== '') ctx.io.warn(`${Config.envName(key)} is set in the environment and overrides this`);
    });

  config
    .command('unset <key>')
    .description('Remove a setting from the config file')
    .addHelpText('after', examples(['merchant config unset fx.maxAgeDays']))
    .action((key: string) => {
      ctx.config().set(key, undefined);
      ctx.io.success(`${key} removed from ${ctx.config().path}`);
    });
}
