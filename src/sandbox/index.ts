// The local emulator of the Amazon SP-API, eBay, Shopify Admin GraphQL, EasyPost and Shippo APIs
// (PRODUCT.md §8). Start it in-process for tests and the demo, or with `merchant sandbox start`.

import type { ApiModule } from './api.js';
import { ecbApi } from './ecb.js';
import { easypostApi } from './easypost.js';
import { shopifyApi } from './shopify.js';
import { ebayApi } from './ebay.js';
import { amazonApi } from './amazon.js';
import { shippoApi } from './shippo.js';
import { carrierFileHost, UrlSigner } from './carrier-files.js';
import type { FaultKind, FaultRule } from './faults.js';
import { isObject, json, parseJson, type SbRequest, type SbResponse } from './http.js';
import { loadSeed } from './seed.js';
import { SandboxServer, type RecordedRequest, type RequestObserver } from './server.js';
import { World } from './world.js';
import { SANDBOX_PREFIX } from './credentials.js';

export type { RecordedRequest, RequestObserver } from './server.js';
export { observeAllSandboxes, liveSandboxOrigins } from './server.js';
export type { FaultRule, FaultKind } from './faults.js';
export { SANDBOX_CREDENTIALS, SANDBOX_PREFIX } from './credentials.js';

export interface SandboxOptions {
  /** 0 = ephemeral (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** '429:0.1,500:0.05,timeout:0.02,drop:0.01,lost:0.01,slow:200ms' */
  faults?: string;
  /** Seed of the fault RNG (deterministic faults); default 1. */
  seed?: number;
  /** Persist state as JSON here (loaded at start when it exists, written after every write). */
  statePath?: string;
  seedData?: 'demo' | 'empty';
  /** Injected clock (ms since epoch) for token buckets, token expiry and tracking progress. */
  now?: () => number;
}

export interface Sandbox {
  url: string;
  urls: { amazon: string; amazonAuth: string; ebay: string; shopify: string; easypost: string; shippo: string; ecb: string };
  requests(): RecordedRequest[];
  /** Told of each request once its fate is decided, before any answer leaves (tests act at exact points). */
  onRequest(cb: RequestObserver): () => void;
  state(): unknown;
  setFaults(spec: string): void;
  scriptFaults(rules: Array<{ match?: string; nth?: number; fault: FaultKind }>): void;
  reset(): void;
  stop(): Promise<void>;
}

type ApiFactory = (world: World, signer: UrlSigner) => ApiModule;

/** The API modules, in the order they are matched. Extended as each API lands. */
const FACTORIES: ApiFactory[] = [(w, s) => easypostApi(w, s), (w) => shopifyApi(w), (w) => ebayApi(w), (w) => amazonApi(w), (w, s) => shippoApi(w, s), () => ecbApi()];

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const baseNow = opts.now ?? (() => Date.now());
  let offset = 0;
  const now = () => baseNow() + offset;
  const world = new World(now, loadSeed(opts.seedData ?? 'demo'), opts.statePath);
  const signer = new UrlSigner(world);
  const apis = FACTORIES.map((f) => f(world, signer));
  // The carriers' label files live on a host of their own, as on S3 (no API credentials accepted there).
  apis.push(carrierFileHost(world, signer, () => apis.flatMap((a) => a.fileBuckets ?? [])));
  let server: SandboxServer;

  const inspect = (req: SbRequest): SbResponse => {
    const p = req.path.replace(/\/+$/, '') || '/';
    if (p === '/requests' && req.method === 'GET') {
      let list = server.requests();
      const api = req.query.get('api');
      if (api) list = list.filter((r) => r.api === api);
      const since = Number(req.query.get('since') ?? '0');
      if (since > 0) list = list.filter((r) => r.seq > since);
      return json(200, { requests: list });
    }
    if (p === '/requests' && req.method === 'DELETE') {
      server.clearLog();
      return { status: 204 };
    }
    if (p === '/state' && req.method === 'GET') return json(200, world.data);
    if (p === '/faults' && req.method === 'GET') return json(200, server.faults.describe());
    if (p === '/faults' && (req.method === 'POST' || req.method === 'PUT')) {
      const parsed = parseJson(req);
      if (!parsed.ok || !isObject(parsed.value)) return json(400, { error: 'body must be JSON: {"spec":"429:0.1","scripted":[{"match":"POST /easypost","nth":1,"fault":"lost"}]}' });
      try {
        if (typeof parsed.value.spec === 'string') server.faults.setSpec(parsed.value.spec);
        if (Array.isArray(parsed.value.scripted)) server.faults.script(parsed.value.scripted as FaultRule[]);
        if (parsed.value.clearScripted === true) server.faults.clearScripted();
      } catch (e) {
        return json(400, { error: (e as Error).message });
      }
      return json(200, server.faults.describe());
    }
    if (p === '/reset' && req.method === 'POST') {
      world.reset();
      server.clearLog();
      return json(200, { reset: true });
    }
    if (p === '/limits' && req.method === 'POST') {
      const parsed = parseJson(req);
      if (!parsed.ok || !isObject(parsed.value)) return json(400, { error: 'body must be JSON like {"ebay.inventory": 5}' });
      for (const [k, v] of Object.entries(parsed.value)) {
        const [apiName, limit] = k.split('.');
        const mod = apis.find((a) => a.name === apiName);
        if (typeof v !== 'number' || !mod?.setLimit || !limit || !mod.setLimit(limit, v)) return json(400, { error: `unknown limit ${k}; known: ebay.inventory, ebay.fulfillment, ebay.account, ebay.oauth_refresh, amazon.<operationId>` });
      }
      return json(200, { ok: true });
    }
    if (p === '/clock' && req.method === 'GET') return json(200, { now: world.iso(), offsetMs: offset });
    if (p === '/clock' && req.method === 'POST') {
      const parsed = parseJson(req);
      const adv = parsed.ok && isObject(parsed.value) ? parsed.value.advanceMs : undefined;
      if (typeof adv !== 'number' || !Number.isFinite(adv) || adv < 0) return json(400, { error: 'body must be {"advanceMs": N} with N ≥ 0' });
      offset += adv;
      return json(200, { now: world.iso(), offsetMs: offset });
    }
    return json(404, { error: `unknown inspection endpoint ${req.method} /_sandbox${req.path}; use GET /_sandbox/requests, GET /_sandbox/state, GET|POST /_sandbox/faults, POST /_sandbox/reset, GET|POST /_sandbox/clock` });
  };

  server = new SandboxServer(world, apis, { inspect }, opts.faults, opts.seed ?? 1);
  const host = opts.host ?? '127.0.0.1';
  const { port } = await server.listen(opts.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  world.baseUrl = url;
  // Create every API's state slot now, so state() and --state files are complete from the start.
  for (const a of apis) a.secrets?.();
  world.save();

  let stopped = false;
  return {
    url,
    urls: {
      amazon: url + SANDBOX_PREFIX.amazon,
      amazonAuth: `${url}${SANDBOX_PREFIX.amazon}/auth/o2/token`,
      ebay: url + SANDBOX_PREFIX.ebay,
      shopify: url + SANDBOX_PREFIX.shopify,
      easypost: url + SANDBOX_PREFIX.easypost,
      shippo: url + SANDBOX_PREFIX.shippo,
      ecb: url + SANDBOX_PREFIX.ecb,
    },
    requests: () => server.requests(),
    onRequest: (cb) => server.observe(cb),
    state: () => JSON.parse(JSON.stringify(world.data)) as unknown,
    setFaults: (spec) => server.faults.setSpec(spec),
    scriptFaults: (rules) => server.faults.script(rules),
    reset: () => {
      world.reset();
      server.clearLog();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      world.save();
      await server.close();
    },
  };
}
