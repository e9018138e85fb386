// kill -9 of the built binary in the middle of a purchase: the label was bought, the process died
// before recording it. The next run must find it at the carrier and buy nothing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { run, spawnBin } from '../helpers/run.js';
import { ENV, home, labelsByReference, labelsSold, purchasesInLog, requestsMatching, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();

function state(h: string, reference: string): string | undefined {
  const store = openStore(join(h, 'merchant.db'));
  try {
    return (store.db.prepare('SELECT state FROM shipments WHERE reference = ?').get(reference) as { state: string } | undefined)?.state;
  } finally {
    store.close();
  }
}

describe('kill -9 mid-booking (built binary)', () => {
  it('the label bought before the crash is found on the next run; no second label', async () => {
    const sb = sandbox();
    const reference = 'CRASH-1';
    const { home: h, file } = await home(sb, shipment({ reference }));
    // The kill is an event, not a race: the sandbox tells us when it has sold the label and before its
    // answer leaves; SIGKILL is sent right there (no 3 s answer delay and no polling window), so the
    // label is bought and the process never hears of it, however busy the machine is.
    const child = spawnBin(['ship', 'book', '--yes', '--file', file, '--cheapest'], { env: { ...ENV, MERCHANT_HOME: h, MERCHANT_HTTP_TIMEOUTMS: '30000' } });
    let stateAtKill: string | undefined = 'not killed';
    const stop = sb.onRequest((q) => {
      if (q.method !== 'POST' || !q.path.includes('/buy') || q.status === undefined || q.status >= 300) return;
      stateAtKill = state(h, reference);
      child.kill('SIGKILL');
    });
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('close', (code, sig) => r(sig ?? code)));
    expect(await exited).toBe('SIGKILL');
    stop();
    expect(labelsByReference(sb).get(reference)).toBe(1);
    expect(stateAtKill).toBe('purchasing'); // committed before the call
    const buys = requestsMatching(sb, 'POST', '/buy');
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference, state: 'purchased', reconciled: true });
    expect(requestsMatching(sb, 'POST', '/buy')).toBe(buys);
    expect(labelsByReference(sb).get(reference)).toBe(1);
    // Under ANY reference: the carrier was asked to sell one label in all (its request log) and sold one (its state).
    expect(purchasesInLog(sb)).toBe(1);
    expect(labelsSold(sb)).toBe(1);
    expect(state(h, reference)).toBe('purchased');
  });

  it.each([
    ['ship.after-buy', 1],
    ['ship.before-buy', 1],
  ])('MERCHANT_CRASH_AT=%s: the next run ends with exactly %i label', async (point, labels) => {
    const sb = sandbox();
    const reference = `CRASH-${point}`;
    const { home: h, file } = await home(sb, shipment({ reference }));
    const child = spawnBin(['ship', 'book', '--yes', '--file', file, '--cheapest'], { env: { ...ENV, MERCHANT_HOME: h, MERCHANT_CRASH_AT: point } });
    const code = await new Promise<number | null>((r) => child.on('exit', (c, sig) => r(sig === 'SIGKILL' ? -9 : c)));
    expect(code).toBe(-9);
    expect(state(h, reference)).toBe('purchasing');
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased' });
    expect(labelsByReference(sb).get(reference)).toBe(labels);
    // Counted by the carrier, not under our reference only: a second label under another reference (a
    // new ledger row, a new carrier shipment) would pass the line above.
    expect(purchasesInLog(sb)).toBe(labels);
    expect(labelsSold(sb)).toBe(labels);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference });
  }, 60_000);
});
