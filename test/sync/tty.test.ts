// On a terminal, sync shows the plan and asks before changing anything remote.
import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { world, setPrice, shopifyRemote } from './helpers.js';

function typed(text: string): PassThrough {
  const s = new PassThrough();
  setTimeout(() => s.write(text), 50);
  return s;
}

describe('sync on a terminal', () => {
  it('asks before sending; "n" sends nothing, "y" applies', async () => {
    const w = await world(['shopify']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '18.00');
    const no = await w.cli(['sync', '--only', 'prices'], { tty: true, stdin: typed('n\n') });
    expect(no.stderr).toContain('price 15.90 → 18.00 EUR');
    expect(no.stderr).toContain('Send 1 change to shopify?');
    expect(no.code).toBe(0); // declining is an answer, not a failure
    expect(no.stderr).toContain('nothing sent');
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.price).toBe('15.90');
    const yes = await w.cli(['sync', '--only', 'prices'], { tty: true, stdin: typed('y\n') });
    expect(yes.code, yes.stderr).toBe(0);
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.price).toBe('18.00');
  });
});
