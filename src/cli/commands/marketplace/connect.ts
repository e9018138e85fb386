import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson, printFields } from '../../render.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import {
  SELLER_ID_FORMAT, checkClientId, checkSellerId, connectMarketplace, normaliseShop, resolveAccount, type ConnectOptions,
} from '../../../services/marketplace/connect.js';
import { parseMarketplace } from '../../../services/marketplace/accounts.js';
import { marketplaceConnector } from '../../wiring/marketplaces.js';
import { renewalWhen } from '../../../core/credential-renewals.js';
import { UsageError, isMerchantError } from '../../../core/errors.js';
import type { MarketplaceName } from '../../../core/channels.js';
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

  $ merchant marketplace connect amazon --sandbox http://127.0.0.1:4010   # after \`merchant sandbox start\`

The account's other fields (--seller-id, --client-id, --shop, --region, --channels) are checked first;
on a terminal the missing ones are asked for before any secret. Secrets are read from --token-file (a
file, or - for stdin) or a hidden prompt, never from a flag's value. MERCHANT_<MARKETPLACE>_<NAME>
(e.g. MERCHANT_SHOPIFY_TOKEN, MERCHANT_SHOPIFY_CLIENT_SECRET) overrides the stored value. The
credentials are verified with one cheap live call before they are stored. Shopify apps made in the Dev
Dashboard (all new apps since 1 January 2026) get 24-hour tokens through the client-credentials grant:
merchant asks for them, caches them (MERCHANT_HOME/token-cache, never the database) and renews them
before they expire.

What you must renew by hand is shown (and judged by \`merchant doctor\`): Amazon's LWA client secret
(rotated every 180 days), eBay's refresh token (18 months); a Shopify Admin API token does not expire.
Access tokens renew themselves. --renew-by records the exact deadline your marketplace shows.`;

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
  renewBy?: string;
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
    .option('--renew-by <YYYY-MM-DD>', 'the deadline to renew the credential, as the marketplace shows it (Amazon: client-secret rotation; eBay: refresh-token expiry)')
    .option('--no-verify', 'store without the live verification call')
    .addHelpText('after', EXAMPLES)
    .action(async (name: string, opts: Opts) => {
      const marketplace = parseMarketplace(name);
      // Every non-secret field first: asked for on a terminal, or refused with its flag and format,
      // before a single secret is typed.
      const base = await askAccountFields(ctx, marketplace, opts);
      await ctx.writeLock('marketplace connect');
      const secrets = opts.sandbox ? {} : await readSecrets(ctx, marketplace, opts.tokenFile, base.clientId);
      const spinner = ctx.io.spinner(`verifying ${marketplace} credentials…`);
      let result;
      try {
        result = await connectMarketplace(
          ctx.store(),
          ctx.credentials(),
          marketplaceConnector(httpFactoryFromCtx(ctx, { onWait: rateLimitWaits(ctx.io, () => spinner, `verifying ${marketplace} credentials…`) })),
          { ...base, secrets, verify: opts.verify, clock: () => ctx.clock.now().getTime() },
          ctx.clock.now().toISOString(),
        );
      } finally {
        spinner.stop();
      }
      if (ctx.globals.json) return printJson(ctx.io, result);
      const now = ctx.clock.now();
      await printFields(ctx.io, [
        ['marketplace', result.marketplace],
        ['account', result.account],
        ['mode', result.sandbox ? `sandbox (${result.baseUrl})` : result.baseUrl],
        ['channels', result.channels.join(', ')],
        ['home storefront', result.homeChannel ? `${result.homeChannel} (its listings use your SKUs on eBay; the other sites SKU-<SITE>)` : undefined],
        ['verified', result.verified ? result.check ?? 'yes' : 'no (--no-verify)'],
        ['credentials', result.tokenKind],
        ['stock location', result.stockLocation ? `${result.stockLocation.name}${result.stockLocation.primary ? ' (primary)' : ''} ${result.stockLocation.id}` : undefined],
        ...result.renewals.map((r): [string, string] => [`renew ${r.what}`, renewalWhen(r, now)]),
        ['secrets stored', result.secretsStored.join(', ')],
        ['regions', result.regions?.map((r) => `${r.region} ${r.ok ? 'ok' : 'not authorized (403)'}`).join(', ')],
        ['sells on', result.marketplaces?.map((m) => `${m.channel ?? m.id}${m.connected ? '' : ' (not synced)'}${m.suspendedListings ? ' (suspended listings)' : ''}`).join(', ')],
      ], { report: true });
      for (const r of result.regions ?? []) if (!r.ok) ctx.io.debug(`amazon ${r.region.toUpperCase()} (${r.endpoint}): ${r.error ?? 'refused'}`);
      for (const r of result.renewals) if (r.basis === 'estimated') ctx.io.info(`${r.what}: ${r.note}`);
      ctx.io.success(`${result.marketplace} connected${result.sandbox ? ' (sandbox)' : ''}`);
      if (result.marketplace === 'ebay') {
        ctx.io.info('eBay listings made in Seller Hub or with the Trading API cannot be synced until they are migrated to the Inventory API: `merchant marketplace migrate ebay --dry-run` lists them');
      }
    });
}

type AccountFields = Omit<ConnectOptions, 'secrets' | 'verify'>;

/**
 * The non-secret half of the connection, complete and valid: a missing field is asked for on a terminal
 * (with its format checked as it is typed) and otherwise refused naming its flag, all before any secret.
 */
async function askAccountFields(ctx: Ctx, marketplace: MarketplaceName, opts: Opts): Promise<AccountFields> {
  const f: AccountFields = {
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
    renewBy: opts.renewBy,
  };
  const valid = (check: (v: string) => unknown) => (v: string): true | string => {
    try {
      check(v);
      return true;
    } catch (e) {
      if (isMerchantError(e)) return e.message.replace(/^--[a-z-]+: /, '');
      throw e;
    }
  };
  if (!opts.sandbox && ctx.io.canPrompt()) {
    if (marketplace === 'amazon' && !f.sellerId) {
      f.sellerId = (await ctx.prompt.text('--seller-id', 'Amazon merchant token (Seller Central → Settings → Account Info)', { validate: valid(checkSellerId) })).trim();
    }
    if (marketplace === 'shopify' && !f.shop) {
      f.shop = normaliseShop(await ctx.prompt.text('--shop', 'Shop domain (your-shop.myshopify.com)', { validate: valid(normaliseShop) }));
    }
    // A token file may carry client_id=… itself; without one, ask for the id before the secrets.
    if (marketplace !== 'shopify' && !f.clientId && opts.tokenFile === undefined && !ctx.credentials().get(marketplace, 'client_id')) {
      const label = marketplace === 'amazon' ? 'LWA client id (amzn1.application-oa2-client.…)' : 'eBay App ID (Client ID)';
      f.clientId = (await ctx.prompt.text('--client-id', label, { validate: valid((v) => checkClientId(marketplace, v)) })).trim();
    }
  } else if (!opts.sandbox && marketplace === 'amazon' && !f.sellerId) {
    throw new UsageError(`amazon: --seller-id is required: ${SELLER_ID_FORMAT}`, { hints: ['or try the sandbox first: merchant marketplace connect amazon --sandbox http://127.0.0.1:4010'] });
  }
  resolveAccount(f); // throws a UsageError naming the flag and its format
  return f;
}
