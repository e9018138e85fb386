// ship book on a terminal asks with what will be bought: "Buy USPS First 5.12 USD for … ?". "No" buys
// nothing and exits 0; without a terminal --yes is required before any request.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { collect, run } from '../helpers/run.js';
import { Typist } from '../helpers/interactive.js';
import { ENV, home, labelsByReference, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();

async function atTerminal(h: string, args: string[], answer: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const env = { ...ENV, MERCHANT_HOME: h, TZ: 'UTC', PATH: process.env.PATH, NO_COLOR: '1' };
  const io = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env, columns: 200 });
  const t = new Typist(stdin, stderr);
  void t.answer('(y/N)', `${answer}\r`);
  const code = await main(['ship', 'book', ...args], { io, env });
  return { code, stdout: out(), stderr: t.output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') };
}

describe('ship book asks with the carrier, service and price', () => {
  it('"no" buys nothing (exit 0); "yes" buys exactly the rate it named', async () => {
    const sb = sandbox();
    const { home: h, file } = await home(sb, shipment({ reference: 'C1-ask' }));
    const rates = JSON.parse((await run(['ship', 'rates', '--file', file, '--json'], { home: h, env: ENV })).stdout).rates as Array<{ carrier: string; service: string; amount: string; currency: string }>;
    const cheapest = [...rates].sort((a, b) => Number(a.amount) - Number(b.amount))[0]!;
    const question = `Buy ${cheapest.carrier} ${cheapest.service} ${cheapest.amount} ${cheapest.currency} for ${file} (C1-ask)?`;

    const no = await atTerminal(h, ['--file', file, '--cheapest'], 'n');
    expect(no.code, no.stderr).toBe(0);
    expect(no.stderr).toContain(question);
    expect(no.stderr).toMatch(/nothing bought/);
    expect(labelsByReference(sb).get('C1-ask')).toBeUndefined();

    const yes = await atTerminal(h, ['--file', file, '--cheapest'], 'y');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toContain(question);
    expect(yes.stderr).toContain(`booked: ${cheapest.carrier} ${cheapest.service}, ${cheapest.amount} ${cheapest.currency}`);
    expect(labelsByReference(sb).get('C1-ask')).toBe(1);
  });

  it('without a terminal, --yes is required before any request', async () => {
    const sb = sandbox();
    const { home: h, file } = await home(sb, shipment({ reference: 'C2-cron' }));
    const before = sb.requests().length;
    const r = await run(['ship', 'book', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/buying a label needs --yes without a terminal/);
    expect(sb.requests().length).toBe(before);
  });
});
