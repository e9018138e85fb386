// `merchant sync` at a terminal: the plan shown before the question is the dry run's plan, the
// question comes before anything remote (orders are not pulled first), "no" is an answer (exit 0,
// "nothing sent"), the spinner says which stage, marketplace and retry it is at, and REQUESTS counts
// every call of the run, the order pull included.
import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { IO, type Spinner } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { collect } from '../helpers/run.js';
import { Typist } from '../helpers/interactive.js';
import { sandbox, world, setPrice } from './helpers.js';

/** Run sync on a fake terminal, answering the question with `answer`, recording the spinner texts. */
async function atTerminal(w: Awaited<ReturnType<typeof world>>, args: string[], answer: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const env = { ...w.env, MERCHANT_HOME: w.home, TZ: 'UTC', PATH: process.env.PATH, NO_COLOR: '1' };
  const io = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env, columns: 200 });
  const spins: string[] = [];
  io.spinner = (text: string): Spinner => {
    spins.push(text);
    return { update: (t) => spins.push(t), succeed() {}, fail() {}, stop() {} };
  };
  const t = new Typist(stdin, stderr);
  void t.answer('(y/N)', `${answer}\r`);
  const code = await main(['sync', ...args], { io, env });
  return { code, stdout: out(), stderr: err(), spins };
}

const tableLines = (text: string) => text.split('\n').filter((l) => /^(amazon|ebay|shopify)\s/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));

describe('sync at a terminal', () => {
  it('shows the dry run’s plan, asks before pulling orders, and a "no" exits 0 with nothing pulled or sent', async () => {
    const w = await world(['shopify', 'ebay']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '18.00');
    setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '19.50');
    const dry = await w.cli(['sync', '--dry-run'], { tty: true });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/orders are pulled first when the run goes ahead \(a dry run does not pull them\)/);

    const before = w.sb.requests().length;
    const no = await atTerminal(w, [], 'n');
    expect(no.code, no.stderr).toBe(0);
    expect(no.stderr.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')).toMatch(/Pull new orders from ebay, shopify, then send 2 changes \(and the stock changes new orders cause\)\? \(y\/N\)/);
    expect(no.stderr).toMatch(/nothing sent: no order was pulled and no change was sent/);
    expect(w.sb.requests().length).toBe(before); // not one request: not even the order pull
    // The same plan, line for line: the calls (order pulls first) and every change.
    expect(tableLines(no.stderr)).toEqual(tableLines(dry.stdout));
    expect(tableLines(dry.stdout)[0]).toMatch(/^ebay pull orders updated since /);
    expect(no.stdout).toBe('');
  });

  it('a "yes" pulls orders, then sends; the spinner names each stage and marketplace; REQUESTS counts the pulls', async () => {
    const w = await world(['shopify', 'ebay']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '18.00');
    const byApi = (api: string) => w.sb.requests().filter((q) => q.api === api).length;
    const shopifyBefore = byApi('shopify');
    const yes = await atTerminal(w, [], 'y');
    expect(yes.code, yes.stderr).toBe(0);
    const stages = yes.spins.filter((s) => /^sync: (pulling|sending)/.test(s));
    // Orders first, marketplace by marketplace; then the sends, in parallel (named while in flight).
    expect(stages.slice(0, 2)).toEqual(['sync: pulling orders · ebay…', 'sync: pulling orders · shopify…']);
    expect(stages.slice(2).every((s) => /^sync: sending · [a-z, ]+…$/.test(s))).toBe(true);
    expect(stages.slice(2).some((s) => s.includes('shopify'))).toBe(true);
    // REQUESTS = the order pull's requests + the sends, as the sandbox counted them.
    const row = (mp: string) => yes.stdout.split('\n').find((l) => l.startsWith(mp))!.trim().split(/\s+/);
    expect(Number(row('shopify').at(-1))).toBe(byApi('shopify') - shopifyBefore);
    expect(Number(row('ebay').at(-1))).toBeGreaterThan(0); // nothing to send to eBay, but its orders were pulled
  });

  it('the spinner shows a retry as it happens, with its marketplace', async () => {
    const sb = await sandbox({ faults: '500:0.5', seed: 3 });
    const w = await world(['shopify'], { sb });
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '18.00');
    const yes = await atTerminal(w, [], 'y');
    expect(yes.spins.some((s) => /^sync: (pulling orders|sending) · shopify · shopify retry \d+…$/.test(s)), yes.spins.join('\n')).toBe(true);
  });

  it('without a terminal --yes is required, before anything is pulled or shown', async () => {
    const w = await world(['shopify']);
    const before = w.sb.requests().length;
    const r = await w.cli(['sync']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pass --yes to go ahead without a terminal/);
    expect(r.stderr).not.toMatch(/MARKETPLACE/);
    expect(w.sb.requests().length).toBe(before);
  });
});
