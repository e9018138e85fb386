// Setup file (vitest.config.ts): no in-process request to a sandbox of this process can time out by the
// wall clock. An attempt to a live sandbox times out exactly when that sandbox leaves the request
// unanswered (its `timeout` fault), whatever MERCHANT_HTTP_TIMEOUTMS says and however busy the machine
// is — and never because the machine was slow to answer. Requests to anything else (a test's own
// stalled server in test/adapters/http-client.test.ts, spawned binaries) keep the real timer.

import { setAttemptDeadline } from '../../src/adapters/http/client.js';
import { liveSandboxOrigins, observeAllSandboxes } from '../../src/sandbox/index.js';

const pending = new Map<string, Set<() => void>>();

function key(origin: string, path: string): string {
  let p = path.split('?')[0]!;
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep as sent */
  }
  return `${origin}${p}`;
}

setAttemptDeadline(({ url, expire }) => {
  const u = new URL(url);
  if (!liveSandboxOrigins().has(u.origin)) return undefined;
  const k = key(u.origin, u.pathname);
  let set = pending.get(k);
  if (!set) pending.set(k, (set = new Set()));
  set.add(expire);
  return () => {
    set.delete(expire);
    if (!set.size && pending.get(k) === set) pending.delete(k);
  };
});

observeAllSandboxes((record, origin) => {
  if (record.fault !== 'timeout') return;
  // Each marketplace's calls go one at a time, so one attempt waits on this path; end it now.
  for (const expire of [...(pending.get(key(origin, record.path)) ?? [])]) expire();
});
