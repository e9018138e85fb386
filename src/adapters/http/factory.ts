// Builds HttpClients with the settings every service shares, read once from configuration:
//   http.timeoutMs     (MERCHANT_HTTP_TIMEOUTMS, default 30000)  per-attempt timeout
//   http.retries       (MERCHANT_HTTP_RETRIES, default 5)        retries after the first attempt
//   http.backoffScale  (MERCHANT_HTTP_BACKOFFSCALE, default 1)   multiplies every wait; 0 in tests
// and the --verbose log sink (ctx.io.debug). Adapters call `factory.create({service, baseURL, …})`.

import { HttpClient, type HttpClientOptions, type Sleep } from './client.js';

export interface HttpDefaults {
  timeoutMs: number;
  retries: number;
  backoffScale: number;
  log?: (line: string) => void;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
}

export interface HttpFactory {
  readonly defaults: HttpDefaults;
  create(o: HttpClientOptions): HttpClient;
}

export function httpFactory(defaults: HttpDefaults): HttpFactory {
  return {
    defaults,
    create(o) {
      return new HttpClient({
        timeoutMs: defaults.timeoutMs,
        retries: defaults.retries,
        backoffScale: defaults.backoffScale,
        log: defaults.log,
        sleep: defaults.sleep,
        now: defaults.now,
        random: defaults.random,
        ...o,
      });
    },
  };
}

/** What a command context provides (kept structural so adapters do not depend on the CLI). */
export interface HttpContextLike {
  io: { debug(text: string): void };
  config(): { getNumber(key: string, fallback: number): number };
}

export function httpFactoryFromCtx(ctx: HttpContextLike, extra: Partial<HttpDefaults> = {}): HttpFactory {
  const cfg = ctx.config();
  return httpFactory({
    timeoutMs: cfg.getNumber('http.timeoutMs', 30_000),
    retries: cfg.getNumber('http.retries', 5),
    backoffScale: cfg.getNumber('http.backoffScale', 1),
    log: (line) => ctx.io.debug(line),
    ...extra,
  });
}
