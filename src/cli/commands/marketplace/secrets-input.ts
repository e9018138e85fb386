// Secrets come from a file or stdin (`--token-file -`) or a hidden prompt, never from a flag's value
// (PRODUCT.md §10): flags end up in shell history and `ps`.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../../context.js';
import type { MarketplaceName } from '../../../core/channels.js';
import { UsageError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { SECRET_NAMES, SHOPIFY_SECRET_NAMES } from '../../../services/marketplace/accounts.js';
import { shopifyAuthOf } from '../../../services/marketplace/connect.js';

const ALIASES: Record<string, string> = {
  token: 'token',
  access_token: 'token',
  admin_token: 'token',
  shopify_token: 'token',
  client_id: 'client_id',
  clientid: 'client_id',
  api_key: 'client_id',
  client_secret: 'client_secret',
  clientsecret: 'client_secret',
  secret: 'client_secret',
  api_secret: 'client_secret',
  api_secret_key: 'client_secret',
  refresh_token: 'refresh_token',
  refreshtoken: 'refresh_token',
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parse a token file: a JSON object, KEY=VALUE lines (MERCHANT_EBAY_REFRESH_TOKEN=… works too),
 * or a single bare value (Shopify's Admin token; the refresh token for Amazon/eBay).
 */
export function parseTokenFile(text: string, mp: MarketplaceName): Record<string, string> {
  const t = text.replace(/^\uFEFF/, '').trim();
  const out: Record<string, string> = {};
  const put = (k: string, v: unknown) => {
    const norm = k
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[-\s]/g, '_')
      .replace(/^merchant_(amazon|ebay|shopify)_/, '');
    const key = ALIASES[norm];
    if (key && typeof v === 'string' && v.trim()) out[key] = v.trim();
  };
  if (!t) return out;
  if (t.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch {
      throw new UsageError('the token file looks like JSON but does not parse');
    }
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) put(k, v);
    return out;
  }
  const lines = t.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (lines.length === 1 && !/^[A-Za-z_]+\s*[=:]/.test(lines[0]!)) {
    // A bare value: Shopify's Admin token, or a Dev Dashboard app's client secret (shpss_…); the refresh token for Amazon/eBay.
    out[mp === 'shopify' ? (/^shpss_/.test(lines[0]!) ? 'client_secret' : 'token') : 'refresh_token'] = lines[0]!;
    return out;
  }
  for (const l of lines) {
    const m = /^([A-Za-z_]+)\s*[=:]\s*(.*)$/.exec(l);
    if (!m) throw new UsageError('the token file must hold KEY=VALUE lines, a JSON object, or a single token');
    put(m[1]!, m[2]!.replace(/^["']|["']$/g, ''));
  }
  return out;
}

export async function readSecrets(ctx: Ctx, mp: MarketplaceName, tokenFile: string | undefined, clientId: string | undefined): Promise<Record<string, string>> {
  let secrets: Record<string, string> = {};
  if (tokenFile !== undefined) {
    let text: string;
    if (tokenFile === '-') text = await readAll(ctx.io.stdin as NodeJS.ReadableStream);
    else {
      try {
        text = readFileSync(resolve(ctx.cwd, tokenFile), 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --token-file ${tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    secrets = parseTokenFile(text, mp);
    for (const v of Object.values(secrets)) registerSecret(v);
  }
  if (clientId) secrets.client_id = clientId;
  const app = mp === 'amazon' ? 'LWA' : mp === 'ebay' ? 'eBay' : 'Shopify app';
  const labels: Record<string, string> = {
    token: 'Shopify Admin API access token (shpat_…)',
    client_id: `${app} client id`,
    client_secret: `${app} client secret`,
    refresh_token: `${mp === 'amazon' ? 'LWA' : 'eBay OAuth'} refresh token`,
  };
  // Shopify: an Admin API token, or (given a client id or secret) a Dev Dashboard app's client credentials.
  const names = mp === 'shopify' ? SHOPIFY_SECRET_NAMES[shopifyAuthOf(secrets) ?? 'admin_token'] : SECRET_NAMES[mp];
  for (const name of names) {
    if (secrets[name]) continue;
    if (name === 'client_id') secrets[name] = await ctx.prompt.text('--client-id', labels[name]!);
    else secrets[name] = await ctx.prompt.secret('--token-file', labels[name]!);
    registerSecret(secrets[name]);
  }
  return secrets;
}
