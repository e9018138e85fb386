// Amazon's own request/response examples (`x-amzn-api-sandbox.static` in the Apache-2.0 models copied
// to fixtures/sandbox/specs/amazon) replayed against the Amazon adapter: a stub endpoint answers each
// operation with Amazon's example response, and every request the adapter sends must match its
// operation in the model — method, path template, query parameters (declared, required present, enum
// values, array sizes, integer types) and body (validated against the model's schema). The responses
// must parse: prices, quantities, product types, FBA, orders in JPY/GBP/BRL.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { AMAZON_MODELS } from '../../src/sandbox/paths.js';
import { httpFactory } from '../../src/adapters/http/factory.js';
import { AmazonAdapter, normaliseAmazonOrder } from '../../src/adapters/marketplaces/amazon/index.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (f: string): J => JSON.parse(readFileSync(join(AMAZON_MODELS, f), 'utf8'));
const MODELS: Record<string, J> = { listings: load('listingsItems_2021-08-01.json'), feeds: load('feeds_2021-06-30.json'), orders: load('orders_2026-01-01.json'), sellers: load('sellers.json') };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
for (const [id, m] of Object.entries(MODELS)) ajv.addSchema(m, id);
const feedDocument = ajv.compile(load('listings-feed-schema-v2.json'));

interface Op {
  model: string;
  method: string;
  template: string;
  re: RegExp;
  op: J;
}
const OPS: Op[] = Object.entries(MODELS).flatMap(([model, m]) =>
  Object.entries(m.paths as J).flatMap(([template, ops]) =>
    Object.entries(ops as J)
      .filter(([, op]) => op && typeof op === 'object' && 'operationId' in op)
      .map(([method, op]) => ({ model, method: method.toUpperCase(), template, re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`), op: op as J })),
  ),
);
const opFor = (method: string, path: string) => OPS.find((o) => o.method === method && o.re.test(path));

/** Amazon's example for an operation: the static example whose request parameters match best. */
function example(o: Op, query: URLSearchParams): { status: number; body: unknown } {
  for (const [status, r] of Object.entries(o.op.responses as J)) {
    if (!/^2/.test(status)) continue;
    const statics = ((r as J)['x-amzn-api-sandbox']?.static ?? []) as J[];
    if (!statics.length) continue;
    const want = query.has('paginationToken') ? statics.find((e) => e.request?.parameters?.paginationToken) : statics[0];
    return { status: Number(status), body: structuredClone((want ?? statics[0]!).response) };
  }
  throw new Error(`no example for ${o.op.operationId}`);
}

/** What is wrong with a request against its operation in the model (empty = conforms). */
function problems(o: Op, query: URLSearchParams, body: string): string[] {
  const out: string[] = [];
  const params = ((o.op.parameters ?? []) as J[]).map((p) => (p.$ref ? MODELS[o.model]!.parameters[p.$ref.split('/').pop()] : p));
  const declared = new Map(params.filter((p) => p.in === 'query').map((p) => [p.name as string, p]));
  for (const name of new Set(query.keys())) if (!declared.has(name)) out.push(`undeclared query parameter ${name}`);
  for (const [name, p] of declared) {
    const v = query.get(name);
    if (v === null) {
      if (p.required) out.push(`missing required ${name}`);
      continue;
    }
    const values = p.type === 'array' ? v.split(',') : [v];
    if (p.type === 'array' && p.maxItems !== undefined && values.length > p.maxItems) out.push(`${name}: ${values.length} values > maxItems ${p.maxItems}`);
    const item = p.type === 'array' ? p.items ?? {} : p;
    for (const x of values) {
      if (item.enum && !item.enum.includes(x)) out.push(`${name}: ${x} not in ${item.enum.join('|')}`);
      if (item.type === 'integer' && !/^-?\d+$/.test(x)) out.push(`${name}: ${x} is not an integer`);
      if (item.type === 'integer' && (p.maximum !== undefined ? Number(x) > p.maximum : false)) out.push(`${name}: ${x} > ${p.maximum}`);
    }
  }
  const bodyParam = params.find((p) => p.in === 'body');
  if (bodyParam) {
    if (!body) {
      if (bodyParam.required) out.push('missing body');
    } else {
      const ref = String(bodyParam.schema.$ref ?? '');
      const validate = ajv.getSchema(`${o.model}${ref}`) ?? ajv.compile({ $ref: `${o.model}${ref}` });
      if (!validate(JSON.parse(body))) out.push(`body: ${ajv.errorsText(validate.errors)}`);
    }
  } else if (body) out.push('a body where the operation takes none');
  return out;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

interface Seen {
  op: string;
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  problems: string[];
}

async function stub(): Promise<{ url: string; seen: Seen[]; uploads: string[] }> {
  const seen: Seen[] = [];
  const uploads: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://stub');
      const send = (status: number, doc?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'replay' });
        res.end(doc === undefined ? '' : JSON.stringify(doc));
      };
      if (u.pathname === '/auth/o2/token') return send(200, { access_token: 'Atza|replay', token_type: 'bearer', expires_in: 3600 });
      if (u.pathname.startsWith('/doc/')) {
        if (req.method === 'PUT') uploads.push(body);
        return send(200);
      }
      const path = u.pathname.replace(/^\/(na|eu|fe)/, '');
      const o = opFor(req.method ?? 'GET', path);
      if (!o) return send(404, { errors: [{ code: 'NotFound', message: `no operation ${req.method} ${path}`, details: '' }] });
      seen.push({ op: o.op.operationId, method: o.method, path, query: u.searchParams, body, problems: problems(o, u.searchParams, body) });
      const ex = example(o, u.searchParams);
      const doc = ex.body as J | null;
      // Document URLs point at Amazon's CDN in the examples: served by the stub instead.
      if (doc && typeof doc.url === 'string') doc.url = `http://${req.headers.host}/doc/${encodeURIComponent(String(doc.feedDocumentId))}`;
      // End pagination on the example's second page.
      if (doc && u.searchParams.has('paginationToken')) delete doc.pagination;
      send(ex.status, doc ?? undefined);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, uploads };
}

function adapter(url: string, feedThreshold?: number): AmazonAdapter {
  return new AmazonAdapter(
    { endpoints: { na: `${url}/na`, eu: `${url}/eu`, fe: `${url}/fe` }, authURL: `${url}/auth/o2/token`, clientId: 'c', clientSecret: 's', refreshToken: 'Atzr|r', sellerId: 'SellerId', feedThreshold, pollInitialMs: 1 },
    httpFactory({ timeoutMs: 5000, retries: 0, backoffScale: 0 }),
  );
}

describe("Amazon's own examples replayed against the adapter", () => {
  it('every request matches its operation in the model; every example response parses', async () => {
    const s = await stub();
    const a = adapter(s.url);
    // Sellers: the account's marketplaces.
    const v = await a.verify();
    expect(v.marketplaces).toEqual([expect.objectContaining({ id: 'ATVPDKIKX0DER', country: 'US', currency: 'USD', channel: 'amazon-us', participating: true, region: 'na' })]);

    // Listings: facts looked up (searchListingsItems), then a merge PATCH with the listing's product type.
    const out = await a.push([{ key: 'amazon-us/GM-ZDPI-9B4E', channel: 'amazon-us', sku: 'GM-ZDPI-9B4E', price: { minor: 10999n, currency: 'USD' }, quantity: 7 }]);
    expect(out).toEqual([expect.objectContaining({ ok: true, learned: { productType: 'LUGGAGE', fulfilledBy: 'merchant' } })]);
    const patch = s.seen.find((x) => x.op === 'patchListingsItem')!;
    expect(JSON.parse(patch.body)).toEqual({
      productType: 'LUGGAGE',
      patches: [
        { op: 'merge', path: '/attributes/purchasable_offer', value: [{ marketplace_id: 'ATVPDKIKX0DER', currency: 'USD', audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: 109.99 }] }] }] },
        { op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] },
      ],
    });

    // Read back: getListingsItem's example.
    const back = await a.readBack([{ channel: 'amazon-us', sku: 'GM-ZDPI-9B4E' }]);
    expect(back[0]).toMatchObject({ found: true, price: { minor: 10000n, currency: 'USD' }, quantity: 100, learned: { productType: 'LUGGAGE', fulfilledBy: 'merchant' } });

    // Feeds: document, upload, createFeed, getFeed (the example feed ended CANCELLED).
    const f = adapter(s.url, 0);
    const feedOut = await f.push([{ key: 'amazon-us/GM-ZDPI-9B4E', channel: 'amazon-us', sku: 'GM-ZDPI-9B4E', price: { minor: 9900n, currency: 'USD' }, remoteProductType: 'LUGGAGE', fulfilledBy: 'merchant' }]);
    expect(feedOut).toEqual([expect.objectContaining({ ok: false, code: 'FEED_CANCELLED' })]);
    expect(s.uploads).toHaveLength(1);
    expect(feedDocument(JSON.parse(s.uploads[0]!)), JSON.stringify(feedDocument.errors)).toBe(true);

    // Orders: two example pages (JP, then UK).
    const orders = [];
    for await (const page of a.pullOrders(undefined, { since: '2024-12-01T00:00:00Z', channels: ['amazon-us'] })) orders.push(...page.orders);
    expect(orders.map((o) => `${o.externalId} ${o.channel} ${o.currency} ${o.totalMinor} ${o.fulfilledBy}`)).toEqual([
      '250-1234567-8901234 amazon-jp JPY 19940 marketplace',
      '202-7654321-1098765 amazon-uk GBP 3499 merchant',
    ]);

    const ops = s.seen.map((x) => x.op);
    expect([...new Set(ops)].sort()).toEqual(['createFeed', 'createFeedDocument', 'getFeed', 'getListingsItem', 'getMarketplaceParticipations', 'patchListingsItem', 'searchListingsItems', 'searchOrders']);
    for (const x of s.seen) expect(x.problems, `${x.method} ${x.path}?${x.query}`).toEqual([]);
  });

  it('every order of the Orders 2026-01-01 examples (searchOrders and getOrder) normalises with exact money', () => {
    const o = MODELS.orders!;
    const orders: J[] = [];
    for (const [, ops] of Object.entries(o.paths as J))
      for (const op of Object.values(ops as J))
        for (const [status, r] of Object.entries(((op as J).responses ?? {}) as J)) {
          if (status !== '200') continue;
          for (const ex of ((r as J)['x-amzn-api-sandbox']?.static ?? []) as J[]) orders.push(...(ex.response.orders ?? (ex.response.order ? [ex.response.order] : [])));
        }
    expect(orders.length).toBeGreaterThanOrEqual(6);
    for (const raw of orders) {
      const n = normaliseAmazonOrder(raw);
      expect(n.externalId).toBe(raw.orderId);
      expect(n.channel).toMatch(/^amazon-[a-z]{2}$/);
      expect(n.currency).toMatch(/^[A-Z]{3}$/);
      expect(n.lines.length).toBe(raw.orderItems.length);
      for (const l of n.lines) expect(typeof l.unitPriceMinor).toBe('bigint');
      if (raw.proceeds?.grandTotal) expect(n.totalMinor).not.toBeNull();
      if (raw.fulfillment?.fulfilledBy) expect(n.fulfilledBy).toBe(raw.fulfillment.fulfilledBy === 'AMAZON' ? 'marketplace' : 'merchant');
    }
    const br = normaliseAmazonOrder(orders.find((x) => x.orderId === '171-2345678-9012345')!);
    expect([br.channel, br.currency, br.totalMinor]).toEqual(['amazon-br', 'BRL', 159990n]);
  });
});
