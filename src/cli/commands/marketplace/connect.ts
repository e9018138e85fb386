import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { formatTimestamp, printJson, printFields } from '../../render.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { connectMarketplace } from '../../../services/marketplace/connect.js';
import { parseMarketplace } from '../../../services/marketplace/accounts.js';
import { readSecrets } from './secrets-input.js';

const EXAMPLES = `
Examples:
  $ merchant marketplace connect shopify --sandbox http://127.0.0.1:4010
  $ merchant marketplace connect shopify --shop lindqvist.myshopify.com --token-file token.txt
  $ merchant marketplace connect amazon --seller-id A2EXAMPLE --region eu --client-id amzn1.application-oa2-client.123 \\
      --channels amazon-de,amazon-uk --token-file lwa.env      # lwa.env: client_secret=…  refresh_token=…
  $ op read op://shop/ebay/refresh | merchant marketplace connect ebay --client-id MyApp-PRD-123 --token-file -

Secrets are read from --token-file (a file, or - for stdin) or a hidden prompt, never from a flag's
value. MERCHANT_<MARKETPLACE>_<NAME> (e.g. MERCHANT_SHOPIFY_TOKEN) overrides the stored value.
The credentials are verified with one cheap live call before they are stored.`;

interface Opts {
  sandbox?: string;
  tokenFile?: string;
  shop?: string;
  sellerId?: string;
  region?: string;
  clientId?: string;
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
    .option('--region <na|eu|fe>', 'Amazon SP-API region (default eu)')
    .option('--client-id <id>', 'Amazon LWA / eBay app client id (not a secret)')
    .option('--channels <list>', 'channels to sell on, e.g. amazon-de,amazon-uk or ebay-uk')
    .option('--base-url <url>', 'API base URL (default: the production host)')
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
          httpFactoryFromCtx(ctx),
          {
            marketplace,
            sandboxUrl: opts.sandbox,
            baseUrl: opts.baseUrl,
            authUrl: opts.authUrl,
            shop: opts.shop,
            sellerId: opts.sellerId,
            region: opts.region,
            clientId: opts.clientId,
            channels: opts.channels?.split(',').map((s) => s.trim()).filter(Boolean),
            secrets,
            verify: opts.verify,
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
        ['verified', result.verified ? result.check ?? 'yes' : 'no (--no-verify)'],
        ['token expires', result.tokenExpiresAt ? formatTimestamp(ctx.io, result.tokenExpiresAt) : result.marketplace === 'shopify' ? 'does not expire' : undefined],
        ['refresh token expires', formatTimestamp(ctx.io, result.refreshExpiresAt)],
        ['secrets stored', result.secretsStored.join(', ')],
      ], { report: true });
      ctx.io.success(`${result.marketplace} connected${result.sandbox ? ' (sandbox)' : ''}`);
    });
}
