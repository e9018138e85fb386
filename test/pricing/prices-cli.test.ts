import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { run, tempDir } from '../helpers/run.js';
import { loadRates, seedCatalog, withStore } from './helpers.js';
import { wantedForSku } from '../../src/store/repos/sync-state.js';

const NOW = { MERCHANT_NOW: '2026-04-14T09:00:00Z' };
const D = Decimal.clone({ precision: 60 });

// An independent computation of PRODUCT.md §6 with decimal.js, for the expected prices.
function expectedPrice(o: { cost: string; landed?: string; rate: string; buffer: string; fee: string; fixed?: string; minFee: string; margin: string; vat: string; included: boolean; ending: '.99' | 'none' | '1'; exp: number }): string {
  const C = new D(o.cost).plus(o.landed ?? '0').times(o.rate).times(new D(1).plus(o.buffer));
  const F = new D(o.fixed ?? '0');
  const net = o.included ? new D(1).minus(o.margin).dividedBy(new D(1).plus(o.vat)) : new D(1).minus(o.margin);
  let P = C.plus(F).dividedBy(net.minus(o.fee));
  if (new D(o.fee).times(P).lessThan(o.minFee)) P = C.plus(F).plus(o.minFee).dividedBy(net);
  const scale = new D(10).pow(o.exp);
  const minor = P.times(scale).ceil();
  let out: Decimal;
  if (o.ending === '.99') out = minor.minus(99).dividedBy(100).ceil().times(100).plus(99);
  else if (o.ending === '1') out = minor.dividedBy(scale).ceil().times(scale);
  else out = minor;
  return out.dividedBy(scale).toFixed(o.exp);
}

const UK_RULE = ['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15.3%+0.00', '--min-fee', '0.25', '--vat', '20%', '--vat-included', '--fx-buffer', '2%', '--ending', '.99', '--min', '5.00', '--max', '500.00'];

describe('prices rules', () => {
  it('set (the §10 form), list, replace, remove — with validation that names the flag', async () => {
    const home = tempDir();
    const set = await run(UK_RULE, { home, env: NOW });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toMatch(/rule uk created/);
    const again = await run(UK_RULE, { home, env: NOW });
    expect(again.stderr).toMatch(/rule uk unchanged/);
    const list = await run(['prices', 'rules', 'list', '--json'], { home, env: NOW });
    expect(JSON.parse(list.stdout).items).toEqual([
      expect.objectContaining({ name: 'uk', channel: 'amazon-uk', sku: null, margin: '25%', fee: '15.3%+0.00', minFee: '0.25', vat: '20%', vatIncluded: true, fxBuffer: '2%', ending: '.99', min: '5.00', max: '500.00' }),
    ]);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk'], { home })).code).toBe(2); // no margin/markup
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '25%', '--markup', '10%'], { home })).code).toBe(2);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '25'], { home })).code).toBe(2);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '100%'], { home })).code).toBe(2);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '25%', '--min', '9', '--max', '5'], { home })).code).toBe(2);
    const jpy = await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-jp', '--margin', '25%', '--ending', '.99'], { home });
    expect(jpy.code).toBe(2);
    expect(jpy.stderr).toMatch(/JPY has 0/);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-xx', '--margin', '25%'], { home })).code).toBe(2);
    expect((await run(['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15%+abc'], { home })).code).toBe(2);
    const rm = await run(['prices', 'rules', 'remove', 'uk'], { home });
    expect(rm.code).toBe(0);
    expect((await run(['prices', 'rules', 'remove', 'uk'], { home })).code).toBe(2); // not found
    const audit = withStore(home, (s) => s.db.prepare("SELECT action FROM audit_log WHERE entity = 'price_rule' ORDER BY id").all() as Array<{ action: string }>);
    expect(audit.map((a) => a.action)).toEqual(['created', 'removed']);
  });
});

describe('prices explain', () => {
  it('prints the §10 JSON with every step, matching an independent computation', async () => {
    const home = tempDir();
    await loadRates(home, NOW);
    seedCatalog(home, [{ sku: 'MUG-BLU-S', cost: 1000n, currency: 'EUR', landed: 150n }]);
    await run(UK_RULE, { home, env: NOW });
    const r = await run(['prices', 'explain', 'MUG-BLU-S', '--channel', 'amazon-uk', '--json'], { home, env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const want = expectedPrice({ cost: '10.00', landed: '1.50', rate: '0.87058', buffer: '0.02', fee: '0.153', minFee: '0.25', margin: '0.25', vat: '0.20', included: true, ending: '.99', exp: 2 });
    expect(doc).toMatchObject({ sku: 'MUG-BLU-S', channel: 'amazon-uk', price: { amount: want, currency: 'GBP' }, bound: null });
    expect(want).toBe('21.99');
    expect(doc.rule).toMatchObject({ name: 'uk', channel: 'amazon-uk', basis: 'margin' });
    expect(doc.rate).toMatchObject({ from: 'EUR', to: 'GBP', rate: '0.87058', rateDate: '2026-04-13', requestedDate: '2026-04-14', fallback: true, source: 'ecb' });
    const P = doc.steps.find((s: { step: string; name: string }) => s.step === '3');
    const [n, d] = P.exact.split('/');
    const oracleP = new D('11.50').times('0.87058').times('1.02').dividedBy(new D('0.75').dividedBy('1.2').minus('0.153'));
    expect(new D(n).dividedBy(d).toSignificantDigits(30).equals(oracleP.toSignificantDigits(30))).toBe(true);
    expect(doc.steps.map((s: { step: string }) => s.step)).toEqual(['1', '1', '1', '1', '2', '2', '2', '2', '3', '4', '5', '6', 'check']);
    // the margin kept at 21.99: (21.99/1.2 − 0.153 × 21.99 − C) / (21.99/1.2) ≥ 25%
    const check = doc.steps.at(-1);
    const net = new D('21.99').dividedBy('1.2');
    const kept = net.minus(new D('0.153').times('21.99')).minus(new D('11.50').times('0.87058').times('1.02')).dividedBy(net);
    const [cn, cd] = check.exact.split('/');
    expect(new D(cn).dividedBy(cd).toSignificantDigits(30).equals(kept.toSignificantDigits(30))).toBe(true);
    expect(kept.greaterThanOrEqualTo('0.25')).toBe(true);
  });

  it('most specific rule wins: exact SKU > pattern > channel > default, and says which also matched', async () => {
    const home = tempDir();
    await loadRates(home, NOW);
    seedCatalog(home, [{ sku: 'MUG-BLU-S', cost: 1000n, currency: 'GBP' }]);
    const env = NOW;
    await run(['prices', 'rules', 'set', 'default', '--margin', '10%'], { home, env });
    const ex = async () => JSON.parse((await run(['prices', 'explain', 'MUG-BLU-S', '--channel', 'amazon-uk', '--json'], { home, env })).stdout).rule;
    expect((await ex()).name).toBe('default');
    await run(['prices', 'rules', 'set', 'chan', '--channel', 'amazon-uk', '--margin', '20%'], { home, env });
    expect((await ex()).name).toBe('chan');
    await run(['prices', 'rules', 'set', 'mugs', '--channel', 'amazon-uk', '--sku', 'MUG-*', '--margin', '30%'], { home, env });
    await run(['prices', 'rules', 'set', 'mugs-blu', '--channel', 'amazon-uk', '--sku', 'MUG-BLU-*', '--margin', '32%'], { home, env });
    expect((await ex()).name).toBe('mugs-blu');
    await run(['prices', 'rules', 'set', 'one', '--sku', 'MUG-BLU-S', '--margin', '40%'], { home, env });
    const r = await ex();
    expect(r.name).toBe('one');
    expect(r.alsoMatched).toEqual(['mugs-blu', 'mugs', 'chan', 'default']);
    // defaults resolved for the channel: Amazon UK fee model, VAT from the channel
    expect(r.fields.fee).toEqual({ value: '15.3%', from: 'default' });
    expect(r.fields.minFee).toEqual({ value: '0.25', from: 'default' });
    expect(r.fields.vat).toEqual({ value: '20%', from: 'channel' });
    expect(r.fields.vatIncluded).toEqual({ value: 'true', from: 'channel' });
  });

  it('prices a cost given on the command line, and explains a refusal (exit 3)', async () => {
    const home = tempDir();
    await loadRates(home, NOW);
    await run(['prices', 'rules', 'set', 'us', '--channel', 'amazon-us', '--margin', '30%', '--fee', '15%', '--min-fee', '0.30', '--ending', 'none', '--max', '20.00'], { home, env: NOW });
    const ok = await run(['prices', 'explain', 'NEW-1', '--channel', 'amazon-us', '--cost', '5.00', '--cost-currency', 'EUR', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(ok.code, ok.stderr).toBe(0);
    const want = expectedPrice({ cost: '5.00', rate: '1.1684', buffer: '0', fee: '0.15', minFee: '0.30', margin: '0.30', vat: '0', included: false, ending: 'none', exp: 2 });
    expect(JSON.parse(ok.stdout).price).toEqual({ amount: want, currency: 'USD' });
    const human = await run(['prices', 'explain', 'NEW-1', '--channel', 'amazon-us', '--cost', '50.00', '--cost-currency', 'EUR'], { home, env: NOW });
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/refused/);
    expect(human.stderr).toMatch(/above the max 20\.00/);
    const missing = await run(['prices', 'explain', 'NOPE', '--channel', 'amazon-us'], { home, env: NOW });
    expect(missing.code).toBe(2); // an unknown SKU is "not found", like everywhere
  });
});

async function setup() {
  const home = tempDir();
  await loadRates(home, NOW);
  seedCatalog(home, [
    { sku: 'MUG-BLU-S', cost: 1000n, currency: 'EUR', landed: 150n },
    { sku: 'MUG-RED-L', cost: 1250n, currency: 'EUR' },
    { sku: 'TEE-1', cost: 800n, currency: 'GBP' },
    { sku: 'NOCOST-1', cost: null, currency: 'EUR' },
  ]);
  await run(UK_RULE, { home, env: NOW });
  await run(['prices', 'rules', 'set', 'jp', '--channel', 'amazon-jp', '--sku', 'MUG-*', '--markup', '80%', '--ending', '10'], { home, env: NOW });
  return home;
}

const counts = (home: string) =>
  withStore(home, (s) => ({
    history: Number((s.db.prepare('SELECT count(*) AS n FROM price_history').get() as { n: bigint }).n),
    // Prices queued for sync: listings whose price the marketplace has not acknowledged (sync state, migration 250).
    outbox: Number((s.db.prepare('SELECT count(*) AS n FROM channel_listings WHERE (sync_pending & 1) != 0').get() as { n: bigint }).n),
    listings: s.db.prepare('SELECT v.sku, l.channel, l.price_minor, l.currency FROM channel_listings l JOIN variants v ON v.id = l.variant_id ORDER BY v.sku, l.channel').all() as Array<{ sku: string; channel: string; price_minor: bigint; currency: string }>,
  }));

describe('prices update', () => {
  it('prices every variant × rule channel, writes listings, history and outbox together; a re-run changes nothing', async () => {
    const home = await setup();
    const dry = await run(['prices', 'update', '--dry-run'], { home, env: NOW });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/would change 5 prices \(5 new\).*1 skipped — dry run, nothing written/);
    expect(counts(home)).toEqual({ history: 0, outbox: 0, listings: [] });

    const r = await run(['prices', 'update', '--json'], { home, env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.counts).toEqual({ changed: 0, new: 5, unchanged: 0, held: 0, refused: 0, skipped: 1 });
    const c = counts(home);
    expect(c.history).toBe(5);
    expect(c.outbox).toBe(5);
    const uk = (sku: string) => c.listings.find((l) => l.sku === sku && l.channel === 'amazon-uk')!;
    expect(uk('MUG-BLU-S').price_minor).toBe(2199n);
    const tee = expectedPrice({ cost: '8.00', rate: '1', buffer: '0.02', fee: '0.153', minFee: '0.25', margin: '0.25', vat: '0.2', included: true, ending: '.99', exp: 2 });
    expect(String(uk('TEE-1').price_minor)).toBe(tee.replace('.', ''));
    // markup on amazon-jp: 12.50 EUR × 186.75 × 1.8 = 4201.875 → 4210 yen
    expect(c.listings.find((l) => l.sku === 'MUG-RED-L' && l.channel === 'amazon-jp')).toMatchObject({ price_minor: 4210n, currency: 'JPY' });
    expect(c.listings.some((l) => l.sku === 'TEE-1' && l.channel === 'amazon-jp')).toBe(false); // jp rule is MUG-* only
    // What sync will push for it: the listing's own price (21.99 GBP, above), marked as wanted.
    const wanted = withStore(home, (s) => wantedForSku(s, 'MUG-BLU-S'));
    expect(wanted).toContainEqual(expect.objectContaining({ channel: 'amazon-uk', kind: 'price' }));
    expect(withStore(home, (s) => s.db.prepare('SELECT count(*) AS n FROM outbox').get())).toEqual({ n: 0n }); // no row per price

    // a same-currency price (GBP cost on a GBP channel) has no rate date; a converted one has the ECB day
    const dates = withStore(home, (s) => s.db.prepare("SELECT v.sku, h.rate_date FROM price_history h JOIN variants v ON v.id = h.variant_id WHERE h.channel = 'amazon-uk' ORDER BY v.sku").all());
    expect(dates).toEqual([{ sku: 'MUG-BLU-S', rate_date: '2026-04-13' }, { sku: 'MUG-RED-L', rate_date: '2026-04-13' }, { sku: 'TEE-1', rate_date: null }]);
    const again = await run(['prices', 'update', '--json'], { home, env: NOW });
    expect(JSON.parse(again.stdout).counts).toMatchObject({ changed: 0, new: 0, unchanged: 5 });
    expect(counts(home).history).toBe(5);
    expect(counts(home).outbox).toBe(5);
  });

  it('shows old → new with % change, rate date and rule; holds moves beyond --max-change (exit 4) unless --yes', async () => {
    const home = await setup();
    await run(['prices', 'update'], { home, env: NOW });
    // the seller's cost of MUG-RED-L rises 50%, MUG-BLU-S by 5%
    withStore(home, (s) => {
      s.db.prepare("UPDATE variants SET cost_minor = 1875 WHERE sku = 'MUG-RED-L'").run();
      s.db.prepare("UPDATE variants SET cost_minor = 1050 WHERE sku = 'MUG-BLU-S'").run();
    });
    const r = await run(['prices', 'update', '--channel', 'amazon-uk'], { home, env: NOW });
    expect(r.code).toBe(4);
    const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    const blu = lines.find((l) => l[0] === 'MUG-BLU-S')!;
    expect(blu.slice(0, 9)).toEqual(['MUG-BLU-S', 'amazon-uk', '21.99', '22.99', 'GBP', '+4.5%', '0.87058', '2026-04-13', 'uk']);
    expect(blu[9]).toBe('changed');
    const red = lines.find((l) => l[0] === 'MUG-RED-L')!;
    expect(red.slice(2, 6)).toEqual(['23.99', '35.99', 'GBP', '+50.0%']);
    expect(red[9]).toMatch(/^held: moves \+50\.0% \(more than 20%\); pass --yes/);
    expect(r.stderr).toMatch(/re-run with --yes/);
    const held = counts(home).listings.find((l) => l.sku === 'MUG-RED-L' && l.channel === 'amazon-uk')!;
    expect(held.price_minor).toBe(2399n); // not written
    const yes = await run(['prices', 'update', '--channel', 'amazon-uk', '--yes', '--json'], { home, env: NOW });
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout).counts).toMatchObject({ changed: 1, held: 0 });
    // a wider guard lets a big move through without --yes
    withStore(home, (s) => s.db.prepare("UPDATE variants SET cost_minor = 1250 WHERE sku = 'MUG-RED-L'").run());
    expect((await run(['prices', 'update', '--channel', 'amazon-uk'], { home, env: NOW })).code).toBe(4);
    const bigger = await run(['prices', 'update', '--channel', 'amazon-uk', '--max-change', '40%'], { home, env: NOW });
    expect(bigger.code).toBe(0);
    const hist = withStore(home, (s) => s.db.prepare("SELECT old_minor, new_minor, rule_name, rate_date FROM price_history WHERE channel = 'amazon-uk' AND old_minor IS NOT NULL ORDER BY id").all());
    expect(hist).toEqual([
      { old_minor: 2199n, new_minor: 2299n, rule_name: 'uk', rate_date: '2026-04-13' },
      { old_minor: 2399n, new_minor: 3599n, rule_name: 'uk', rate_date: '2026-04-13' },
      { old_minor: 3599n, new_minor: 2399n, rule_name: 'uk', rate_date: '2026-04-13' },
    ]);
  });

  it('--json on a partial failure is still one document: the result with the held items', async () => {
    const home = await setup();
    await run(['prices', 'update'], { home, env: NOW });
    withStore(home, (s) => s.db.prepare("UPDATE variants SET cost_minor = 3000 WHERE sku = 'TEE-1'").run());
    const r = await run(['prices', 'update', '--json'], { home, env: NOW });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.counts.held).toBe(1);
    expect(doc.items).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'TEE-1', channel: 'amazon-uk', status: 'held', old: { amount: '17.99', currency: 'GBP' }, new: { amount: '64.99', currency: 'GBP' }, change: '+261.3%' })]));
    expect(r.stderr).toMatch(/1 price held/);
  });

  it('stale rates: warn on a terminal; refuse (exit 3, nothing written) without one unless --allow-stale', async () => {
    const home = await setup();
    const later = { MERCHANT_NOW: '2026-04-30T09:00:00Z' };
    const cron = await run(['prices', 'update', '--no-input'], { home, env: later });
    expect(cron.code).toBe(3);
    expect(cron.stderr).toMatch(/stale.*2026-04-13, 17 days old/);
    expect(counts(home).history).toBe(0);
    const piped = await run(['prices', 'update'], { home, env: later });
    expect(piped.code).toBe(3);
    const allowed = await run(['prices', 'update', '--allow-stale'], { home, env: later });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/warning: EUR→GBP uses ecb rates of 2026-04-13 \(17 days old/);
    const cfg = await run(['prices', 'update', '--dry-run'], { home, env: { ...later, MERCHANT_FX_MAXAGEDAYS: '30' } });
    expect(cfg.stderr).not.toMatch(/warning/);
  });

  it('only enabled channels of the channels table are priced once it has rows', async () => {
    const home = await setup();
    withStore(home, (s) => {
      const at = '2026-04-01T00:00:00Z';
      s.db.prepare("INSERT INTO channels (code, marketplace, currency, country, prices_include_tax, vat_rate, enabled, created_at, updated_at) VALUES ('amazon-uk','amazon','GBP','GB',1,'0.20',0,?,?)").run(at, at);
      s.db.prepare("INSERT INTO channels (code, marketplace, currency, country, prices_include_tax, vat_rate, enabled, created_at, updated_at) VALUES ('amazon-jp','amazon','JPY','JP',1,'0.10',1,?,?)").run(at, at);
    });
    const r = await run(['prices', 'update', '--json'], { home, env: NOW });
    const doc = JSON.parse(r.stdout);
    expect(doc.channels).toEqual(['amazon-jp']);
    expect(doc.counts.new).toBe(2);
    const off = await run(['prices', 'update', '--channel', 'amazon-uk'], { home, env: NOW });
    expect(off.code).toBe(2);
  });

  it('refuses items it cannot price (no rate for the currency) and applies the rest (exit 4)', async () => {
    const home = await setup();
    seedCatalog(home, [{ sku: 'MUG-AED', cost: 1000n, currency: 'AED' }]);
    const r = await run(['prices', 'update'], { home, env: NOW });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/MUG-AED\tamazon-uk\t-\t-\tGBP\t-\t-\t-\tuk\trefused: ecb has no AED rate/);
    expect(counts(home).history).toBe(5);
  });

  it('takes the writer lock (exit 5 when held)', async () => {
    const home = await setup();
    withStore(home, (s) => s.db.prepare("INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', 4242, 'another-host', 'sync', '2026-04-14T08:59:00Z')").run()); // taken a minute ago, within its lease
    const r = await run(['prices', 'update'], { home, env: NOW });
    expect(r.code).toBe(5);
  });
});

describe('prices update on a terminal', () => {
  it('draws a table with headers and only warns about stale rates', async () => {
    const home = await setup();
    const r = await run(['prices', 'update', '--no-color'], { home, env: { MERCHANT_NOW: '2026-04-30T09:00:00Z' }, tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SKU\s+CHANNEL\s+OLD\s+NEW\s+CCY\s+CHANGE\s+RATE\s+RATE DATE\s+RULE\s+STATUS/);
    expect(r.stdout).not.toMatch(/\t/);
    expect(r.stderr).toMatch(/warning: .*17 days old/);
    expect(counts(home).history).toBe(5);
  });
});

describe('rule fields end to end', () => {
  it('--landed-cost, --round and per-currency default endings reach the solve', async () => {
    const home = tempDir();
    await loadRates(home, NOW);
    seedCatalog(home, [{ sku: 'BAG-1', cost: 2000n, currency: 'EUR', landed: 300n }]);
    const set = await run(['prices', 'rules', 'set', 'de', '--channel', 'amazon-de', '--margin', '20%', '--fee', '15%', '--vat', '19%', '--vat-included', '--landed-cost', '10%+0.50', '--round', 'nearest', '--ending', '.99'], { home, env: NOW });
    expect(set.code, set.stderr).toBe(0);
    expect((await run(['prices', 'rules', 'list'], { home, env: NOW })).stdout).toMatch(/landed 10%\+0\.50, ending \.99, round nearest/);
    const de = JSON.parse((await run(['prices', 'explain', 'BAG-1', '--channel', 'amazon-de', '--json'], { home, env: NOW })).stdout);
    // landed = 3.00 stored + 10% × 20.00 + 0.50 = 5.50; C = 25.50 (EUR → EUR, rate 1, no buffer)
    expect(de.steps.find((s: { name: string }) => s.name === 'landed cost').value).toBe('5.5');
    expect(de.steps.find((s: { name: string }) => s.name === 'C').value).toBe('25.5');
    const P = new D('25.5').dividedBy(new D('0.8').dividedBy('1.19').minus('0.15')); // 48.87…
    const up = P.times(100).minus(99).dividedBy(100).ceil().times(100).plus(99);
    const down = up.minus(100);
    const nearest = P.times(100).minus(down).lessThan(up.minus(P.times(100))) ? down : up;
    expect(de.price.amount).toBe(nearest.dividedBy(100).toFixed(2));
    expect(de.steps.find((s: { step: string }) => s.step === '5').formula).toBe('to the nearest ending .99');
    // a channel-less rule on a JPY channel: whole yen by default
    await run(['prices', 'rules', 'set', 'all', '--markup', '50%'], { home, env: NOW });
    const jp = JSON.parse((await run(['prices', 'explain', 'BAG-1', '--channel', 'amazon-jp', '--json', '--date', '2026-04-13'], { home, env: NOW })).stdout);
    expect(jp.rule.fields.ending).toEqual({ value: '1', from: 'default' });
    // (20.00 + 3.00) × 186.75 × 1.5 = 6442.875 → 6443
    expect(jp.price).toEqual({ amount: '6443', currency: 'JPY' });
  });
});
