// Builds HttpClients with the settings every service shares, read once from configuration:
//   http.timeoutMs     (MERCHANT_HTTP_TIMEOUTMS, default 30000)  per-attempt timeout
//   http.retries       (MERCHANT_HTTP_RETRIES, default 5)        retries after the first attempt
//   http.backoffScale  (MERCHANT_HTTP_BACKOFFSCALE, default 1)   multiplies every wait; 0 in tests
//   http.maxWaitMs     (MERCHANT_HTTP_MAXWAITMS, default 7200000) most a run waits for rate limits in all
// and the --verbose log sink (ctx.io.debug). Adapters call `factory.create({service, baseURL, …})`
// and `factory.pacer({service, state})` for request pacing (pacer.ts).

import { HttpClient, type HttpClientOptions, type Sleep } from './client.js';
import { DEFAULT_MAX_WAIT_MS, Pacer, type PacerStateStore, type WaitNotice } from './pacer.js';

export interface HttpDefaults {
  timeoutMs: number;
  retries: number;
  backoffScale: number;
  log?: (line: string) => void;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
  /** Most a run may wait for rate limits in all (ms). */
  maxWaitMs?: number;
  /** Told about every rate-limit wait of a second or more (a terminal shows it; a pipe warns). */
  onWait?: (n: WaitNotice) => void;
}

export interface HttpFactory {
  readonly defaults: HttpDefaults;
  create(o: HttpClientOptions): HttpClient;
  /** A request pacer with the shared clock, sleep, cap and wait notices. */
  pacer(o: { service: string; state?: PacerStateStore }): Pacer;
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
    pacer(o) {
      return new Pacer({
        service: o.service,
        now: defaults.now,
        sleep: defaults.sleep,
        scale: defaults.backoffScale,
        maxWaitMs: defaults.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
        onWait: defaults.onWait,
        state: o.state,
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
    maxWaitMs: cfg.getNumber('http.maxWaitMs', DEFAULT_MAX_WAIT_MS),
    log: (line) => ctx.io.debug(line),
    ...extra,
  });
}
