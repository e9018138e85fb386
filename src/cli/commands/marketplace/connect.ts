import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { formatTimestamp, printJson, printFields } from '../../render.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { connectMarketplace } from '../../../services/marketplace/connect.js';
import { parseMarketplace } from '../../../services/marketplace/accounts.js';
import { readSecrets } from './secrets-input.js';
import { rateLimitWaits } from '../../rate-wait.js';

const EXAMPLES = `
Examples:
  $ merchant marketplace connect shopify --sandbox http://127.0.0.1:4010
  $ merchant marketplace connect shopify --shop lindqvist.myshopify.com --token-file token.txt    # legacy custom app: shpat_… token
  $ merchant marketplace connect shopify --shop lindqvist.myshopify.com --client-id 1a2b3c… --token-file app.env \\
      --location "Warehouse Malmö"                              # Dev Dashboard app; app.env: client_secret=shpss_…
  $ merchant marketplace connect amazon --seller-id A2EXAMPLE --client-id amzn1.application-oa2-client.123 \\
      --token-file lwa.env      # lwa.env: client_secret=…  refresh_token=…; reads the account's marketplaces per region
  $ merchant marketplace connect amazon --seller-id A2EXAMPLE --client-id … --channels amazon-de,amazon-uk --token-file lwa.env
  $ op read op://shop/ebay/refresh | merchant marketplace connect ebay --client-id MyApp-PRD-123 --token-file -

Secrets are read from --token-file (a file, or - for stdin) or a hidden prompt, never from a flag's
value. MERCHANT_<MARKETPLACE>_<NAME> (e.g. MERCHANT_SHOPIFY_TOKEN, MERCHANT_SHOPIFY_CLIENT_SECRET)
overrides the stored value. The credentials are verified with one cheap live call before they are
stored. Shopify apps made in the Dev Dashboard (all new apps since 1 January 2026) get 24-hour tokens
through the client-credentials grant: merchant asks for them, caches them (MERCHANT_HOME/token-cache,
never the database) and renews them before they expire.`;

interface Opts {
  sandbox?: string;
  tokenFile?: string;
  shop?: string;
  sellerId?: string;
  region?: string;
  clientId?: string;
  location?: string;
  channels?: string;
  baseUrl?: string;
  authUrl?: string;
  verify: boolean;
}

export function registerConnect(parent: Command, ctx: Ctx): void {
  parent
    .command('connect <marketplace>')
    .description('Store and verify the credentials of a marketplace account (amazon, ebay, shopify)')
    .option('--sandbox <url>', "use the local sandbox at this URL with the sandbox's test credentials")
    .option('--token-file <file>', 'read secrets from this file (- = stdin): a token, KEY=VALUE lines or JSON')
    .option('--shop <domain>', 'Shopify shop domain (your-shop.myshopify.com)')
    .option('--seller-id <id>', 'Amazon merchant token (seller id)')
    .option('--region <list>', 'Amazon SP-API regions to connect: na, eu, fe (comma-separated) or all (default: all; regions the seller has not authorized are left out)')
    .option('--client-id <id>', 'Amazon LWA / eBay / Shopify Dev Dashboard app client id (not a secret)')
    .option('--location <name|id>', 'Shopify: the location stock is written to and read from (default: the primary location)')
    .option('--channels <list>', 'channels to sell on, e.g. amazon-de,amazon-uk or ebay-uk')
    .option('--base-url <url>', 'API base URL (default: the production host); Amazon: one URL per region as eu=URL,na=URL or a URL with {region}')
    .option('--auth-url <url>', 'token endpoint (Amazon LWA: full URL; eBay: host)')
    .option('--no-verify', 'store without the live verification call')
    .addHelpText('after', EXAMPLES)
    .action(async (name: string, opts: Opts) => {
      const marketplace = parseMarketplace(name);
      await ctx.writeLock('marketplace connect');
      const secrets = opts.sandbox ? {} : await readSecrets(ctx, marketplace, opts.tokenFile, opts.clientId);
      const spinner = ctx.io.spinner(`verifying ${marketplace} credentials…`);
      let result;
      try {
        result = await connectMarketplace(
          ctx.store(),
          ctx.credentials(),
          httpFactoryFromCtx(ctx, { onWait: rateLimitWaits(ctx.io, () => spinner, `verifying ${marketplace} credentials…`) }),
          {
            marketplace,
            sandboxUrl: opts.sandbox,
            baseUrl: opts.baseUrl,
            authUrl: opts.authUrl,
            shop: opts.shop,
            sellerId: opts.sellerId,
            region: opts.region,
            clientId: opts.clientId,
            location: opts.location,
            channels: opts.channels?.split(',').map((s) => s.trim()).filter(Boolean),
            secrets,
            verify: opts.verify,
            clock: () => ctx.clock.now().getTime(),
          },
          ctx.clock.now().toISOString(),
        );
      } finally {
        spinner.stop();
      }
      if (ctx.globals.json) return printJson(ctx.io, result);
      await printFields(ctx.io, [
        ['marketplace', result.marketplace],
        ['account', result.account],
        ['mode', result.sandbox ? `sandbox (${result.baseUrl})` : result.baseUrl],
        ['channels', result.channels.join(', ')],
        ['home storefront', result.homeChannel ? `${result.homeChannel} (its listings use your SKUs on eBay; the other sites SKU-<SITE>)` : undefined],
        ['verified', result.verified ? result.check ?? 'yes' : 'no (--no-verify)'],
        ['credentials', result.tokenKind],
        ['stock location', result.stockLocation ? `${result.stockLocation.name}${result.stockLocation.primary ? ' (primary)' : ''} ${result.stockLocation.id}` : undefined],
        ['token expires', result.tokenExpiresAt ? formatTimestamp(ctx.io, result.tokenExpiresAt) : (result.marketplace === 'shopify' && result.secretsStored.includes('token') ? 'does not expire' : undefined)],
        ['refresh token expires', formatTimestamp(ctx.io, result.refreshExpiresAt)],
        ['secrets stored', result.secretsStored.join(', ')],
        ['regions', result.regions?.map((r) => `${r.region} ${r.ok ? 'ok' : 'not authorized (403)'}`).join(', ')],
        ['sells on', result.marketplaces?.map((m) => `${m.channel ?? m.id}${m.connected ? '' : ' (not synced)'}${m.suspendedListings ? ' (suspended listings)' : ''}`).join(', ')],
      ], { report: true });
      for (const r of result.regions ?? []) if (!r.ok) ctx.io.debug(`amazon ${r.region.toUpperCase()} (${r.endpoint}): ${r.error ?? 'refused'}`);
      ctx.io.success(`${result.marketplace} connected${result.sandbox ? ' (sandbox)' : ''}`);
      if (result.marketplace === 'ebay') {
        ctx.io.info('eBay listings made in Seller Hub or with the Trading API cannot be synced until they are migrated to the Inventory API: `merchant marketplace migrate ebay --dry-run` lists them');
      }
    });
}
