import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { spawn } from 'node:child_process';
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { run, tempDir, BIN } from '../helpers/run.js';
import { Typist } from '../helpers/interactive.js';

const PROFILE = resolve(import.meta.dirname, '../../fixtures/onboard/profile.json');

function dbRows(home: string, sql: string): unknown[] {
  const db = new Database(join(home, 'merchant.db'), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('merchant onboard (scripted)', () => {
  it('writes the profile from --from, and a second run changes nothing', async () => {
    const home = tempDir();
    const first = await run(['onboard', '--no-input', '--from', PROFILE, '--json'], { home });
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc.status).toBe('created');
    expect(doc.profile.business).toMatchObject({ legalName: 'Lindqvist Keramik AB', country: 'SE', baseCurrency: 'SEK', iossNumber: 'IM7520000123' });
    const before = dbRows(home, 'SELECT * FROM business_profile');
    const audit1 = dbRows(home, 'SELECT count(*) AS n FROM audit_log');

    const second = await run(['onboard', '--no-input', '--from', PROFILE, '--json'], { home });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'unchanged', changed: [] });
    expect(dbRows(home, 'SELECT * FROM business_profile')).toEqual(before);
    expect(dbRows(home, 'SELECT count(*) AS n FROM audit_log')).toEqual(audit1);
    expect(dbRows(home, 'SELECT count(*) AS n FROM business_profile')).toEqual([{ n: 1 }]);
    expect(dbRows(home, 'SELECT count(*) AS n FROM onboarding_items')).toEqual([{ n: 15 }]);
  });

  it('edits one field with a flag and reports exactly what changed', async () => {
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const r = await run(['onboard', '--no-input', '--voec-number', 'VOEC 2026001', '--json'], { home });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('updated');
    expect(doc.changed).toEqual(['business.voecNumber']);
    expect(doc.profile.business.voecNumber).toBe('2026001');
    expect(doc.profile.business.legalName).toBe('Lindqvist Keramik AB');
  });

  it('with --no-input and a missing answer exits 2 naming the first missing flag, and writes nothing', async () => {
    const home = tempDir();
    const r = await run(['onboard', '--no-input', '--legal-name', 'X AB', '--country', 'SE'], { home });
    expect(r.code).toBe(2);
    // Base currency and time zone follow from the country; the address does not.
    expect(r.stderr).toMatch(/^error: missing --ship-from-name \(and 5 more: --ship-from-street1, --ship-from-city, --ship-from-postal-code, --ship-from-country, --marketplaces\)$/m);
    expect(r.stdout).toBe('');
    expect(existsSync(join(home, 'merchant.db'))).toBe(false);
  });

  it('without a TTY it never prompts, even without --no-input', async () => {
    const home = tempDir();
    const r = await run(['onboard'], { home, tty: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --legal-name/);
    expect(r.stderr).not.toMatch(/\?/);
  });

  it('rejects invalid identifiers with the field, value and rule (exit 3), nothing written', async () => {
    const home = tempDir();
    const r = await run(['onboard', '--no-input', '--from', PROFILE, '--ioss-number', 'IM12', '--country', 'XX', '--base-currency', 'BGN'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--ioss-number: "IM12": an IOSS number is IM followed by 10 digits/);
    expect(r.stderr).toMatch(/--country: "XX": not a country: give its ISO code \(SE\), alpha-3 code \(SWE\) or English name \(Sweden\)/);
    expect(r.stderr).toMatch(/--base-currency: "BGN": not a current ISO 4217/);
    expect(existsSync(join(home, 'merchant.db'))).toBe(false); // not even an empty database
  });

  it('refuses unknown keys and malformed JSON in profile.json (exit 3)', async () => {
    const home = tempDir();
    const bad = join(home, 'bad.json');
    writeFileSync(bad, '{"business": {}, "shipfrom": {}}');
    const r = await run(['onboard', '--no-input', '--from', bad], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown key "shipfrom"/);
    writeFileSync(bad, '{"business": ');
    expect((await run(['onboard', '--no-input', '--from', bad], { home })).code).toBe(3);
  });

  it('tracks the checklist: manual steps and automatic ones', async () => {
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const c = await run(['onboard', 'check', 'amazon', 'documents', '--done', '--note', 'ID verified'], { home });
    expect(c.code).toBe(0);
    const again = await run(['onboard', 'check', 'amazon', 'documents', '--done', '--json'], { home });
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false });
    const s = await run(['onboard', 'status', '--json'], { home });
    const doc = JSON.parse(s.stdout);
    const amazon = doc.marketplaces.find((m: { marketplace: string }) => m.marketplace === 'amazon');
    expect(amazon.items.find((i: { item: string }) => i.item === 'documents')).toMatchObject({ status: 'done', note: 'ID verified', source: 'manual' });
    expect(amazon.items.find((i: { item: string }) => i.item === 'account')).toMatchObject({ status: 'todo' });
    expect(doc.complete).toBe(false);
    expect((await run(['onboard', 'check', 'etsy', 'documents', '--done'], { home })).code).toBe(2);
    expect((await run(['onboard', 'check', 'amazon', 'documents'], { home })).code).toBe(2);

    // The automatic steps: a verified account, and a listing the marketplace acknowledged (on amazon only).
    const T = '2026-11-20T10:00:00Z';
    const db = new Database(join(home, 'merchant.db'));
    db.prepare("INSERT INTO marketplace_accounts (marketplace, verified_at, created_at, updated_at) VALUES ('amazon', ?, ?, ?), ('ebay', NULL, ?, ?)").run(T, T, T, T, T);
    db.prepare("INSERT INTO channels (code, marketplace, currency, created_at, updated_at) VALUES ('amazon-de', 'amazon', 'EUR', ?, ?), ('ebay-uk', 'ebay', 'GBP', ?, ?)").run(T, T, T, T);
    db.prepare("INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'vase', 'Vase', ?, ?)").run(T, T);
    db.prepare("INSERT INTO variants (id, product_id, sku, created_at, updated_at) VALUES (1, 1, 'VASE-1', ?, ?)").run(T, T);
    db.prepare("INSERT INTO channel_listings (variant_id, channel, acked_at, created_at, updated_at) VALUES (1, 'amazon-de', ?, ?, ?), (1, 'ebay-uk', NULL, ?, ?)").run(T, T, T, T, T);
    db.close();
    const auto = JSON.parse((await run(['onboard', 'status', '--json'], { home })).stdout);
    const of = (m: string) => auto.marketplaces.find((x: { marketplace: string }) => x.marketplace === m);
    const item = (m: string, i: string) => of(m).items.find((x: { item: string }) => x.item === i);
    expect(of('amazon')).toMatchObject({ connected: true, verifiedAt: T });
    expect(item('amazon', 'account')).toMatchObject({ status: 'done', source: 'auto' });
    expect(item('amazon', 'first-listing')).toMatchObject({ status: 'done', source: 'auto' });
    // Connected but never verified, and a listing never acknowledged: both still to do.
    expect(of('ebay')).toMatchObject({ connected: true, verifiedAt: null });
    expect(item('ebay', 'account')).toMatchObject({ status: 'todo' });
    expect(item('ebay', 'first-listing')).toMatchObject({ status: 'todo' });
    expect(of('shopify')).toMatchObject({ connected: false });
  });

  it('status on a pipe is TSV without colour; on a TTY a table', async () => {
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const piped = await run(['onboard', 'status'], { home });
    expect(piped.stdout).toMatch(/^business\tLindqvist Keramik AB$/m);
    expect(piped.stdout).toMatch(/^amazon\tdocuments\ttodo\t/m);
    expect(piped.stdout + piped.stderr).not.toMatch(/\x1b\[/);
    const tty = await run(['onboard', 'status'], { home, tty: true, env: { FORCE_COLOR: '1' } });
    expect(tty.stdout).toMatch(/MARKETPLACE/);
    expect(tty.stdout).toMatch(/\x1b\[/);
    const noColor = await run(['onboard', 'status'], { home, tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout + noColor.stderr).not.toMatch(/\x1b\[/);
  });
});

describe('merchant onboard (interactive)', () => {
  it('asks for every answer on a terminal, typed into a fake stdin', async () => {
    const home = tempDir();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (c: Buffer) => out.push(c));
    const env = { MERCHANT_HOME: home, TZ: 'UTC', PATH: process.env.PATH };
    const io = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env });
    const t = new Typist(stdin, stderr);
    const done = main(['onboard'], { io, env });
    await t.answer('Legal name', 'Fjord Ceramics AS\r');
    await t.answer('Country of registration', 'NO\r');
    await t.answer('Base (accounting) currency', '\r'); // default from the country: NOK
    await t.answer('Time zone', '\x15Europe/Oslo\r'); // ^U clears the suggested default
    await t.answer('VAT number', 'NO123456789MVA\r'); // wrong check digit: asked again
    await t.waitFor('check digits of this Norwegian VAT number do not add up');
    stdin.write('\x15NO123456785MVA\r');
    await t.answer('EORI number', '\r');
    await t.answer('IOSS number', 'IM12\r'); // invalid: the prompt refuses it and asks again
    await t.waitFor('IOSS number is IM followed by 10 digits');
    stdin.write('\x15IM5780000123\r');
    await t.answer('UK VAT number', '\r');
    await t.answer('Norway VOEC number', '\r');
    await t.answer('Australian ABN/ARN', '\r');
    await t.answer('Ship-from contact name', 'Kari Nordmann\r');
    await t.answer('Ship-from company', '\r');
    await t.answer('Ship-from street', 'Bryggen 3\r');
    await t.answer('second line', '\r');
    await t.answer('Ship-from city', 'Bergen\r');
    await t.answer('Ship-from state', '\r');
    await t.answer('Ship-from postal code', '5003\r');
    await t.answer('Ship-from country', '\r'); // default NO
    await t.answer('Ship-from phone', '\r');
    await t.answer('Ship-from email', '\r');
    await t.answer('Do returns go to the ship-from address?', 'n\r');
    await t.answer('Return contact name', 'Returns Desk\r');
    await t.answer('Return company', '\r');
    await t.answer('Return street', 'Lagerveien 9\r');
    await t.answer('Return street, second line', '\r');
    await t.answer('Return city', 'Bergen\r');
    await t.answer('Return state', '\r');
    await t.answer('Return postal code', '5004\r');
    await t.answer('Return country', 'Norway\r'); // a name is fine
    await t.answer('Return phone', '\r');
    await t.answer('Return email', '\r');
    await t.answer('Marketplaces you sell on', ' \x1b[B\x1b[B \r'); // amazon + shopify
    await t.answer('Carrier accounts', '\r');
    await t.answer('Exchange rates from', '\r');
    await t.answer('Target margin', '25%\r');
    await t.answer('FX buffer', '\r'); // 2%
    await t.answer('Price ending', '1\r'); // whole kroner
    const code = await done;
    expect(code).toBe(0);
    expect(t.output).toMatch(/Created the business profile of Fjord Ceramics AS/);
    const rows = dbRows(home, 'SELECT legal_name, base_currency, timezone, ioss_number, marketplaces_json FROM business_profile');
    expect(rows).toEqual([{ legal_name: 'Fjord Ceramics AS', base_currency: 'NOK', timezone: 'Europe/Oslo', ioss_number: 'IM5780000123', marketplaces_json: '["amazon","shopify"]' }]);
    expect(JSON.parse((dbRows(home, 'SELECT return_json FROM business_profile')[0] as { return_json: string }).return_json)).toMatchObject({ name: 'Returns Desk', city: 'Bergen', country: 'NO' });
    expect(dbRows(home, "SELECT name, channel, rule_json FROM price_rules")).toEqual([{ name: 'default', channel: null, rule_json: '{"margin":"25%","fxBuffer":"2%","ending":"1"}' }]);
    expect(existsSync(join(home, 'onboard-draft.json'))).toBe(false); // saved: the draft is gone
    expect(Buffer.concat(out).toString()).toMatch(/Fjord Ceramics AS/);
  });

  it('runs under a real pseudo-terminal (script(1)) and saves the answers', async () => {
    const home = tempDir();
    // Only the fields still missing are asked when some are given as flags.
    const cmd = `${process.execPath} ${BIN} onboard --country SE --base-currency SEK --timezone Europe/Stockholm --ship-from-name Anna --ship-from-street1 "Storgatan 1" --ship-from-city Uppsala --ship-from-country SE --marketplaces ebay`;
    // A person at a terminal: not CI (CI=true disables prompts, as it should for a real CI job).
    const env: NodeJS.ProcessEnv = { ...process.env, MERCHANT_HOME: home, NO_COLOR: '1', TERM: 'xterm' };
    delete env.CI;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdin = child.stdin as unknown as PassThrough;
    const t = new Typist(stdin, child.stdout);
    await t.answer('Legal name', 'Pty Test AB\r');
    await t.answer('Ship-from postal code', '753 20\r');
    const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    expect(code).toBe(0);
    expect(t.output).toMatch(/Created the business profile of Pty Test AB/);
    expect(dbRows(home, 'SELECT legal_name FROM business_profile')).toEqual([{ legal_name: 'Pty Test AB' }]);
    expect(statSync(join(home, 'merchant.db')).isFile()).toBe(true);
  });
});

/** Run `merchant onboard` on a fake terminal; `script` types the answers as the prompts appear. */
async function onTerminal(home: string, args: string[], script: (t: Typist, stdin: PassThrough) => Promise<void>): Promise<{ code: number; output: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.resume();
  const env = { MERCHANT_HOME: home, TZ: 'UTC', PATH: process.env.PATH, NO_COLOR: '1' };
  const io = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env });
  const t = new Typist(stdin, stderr);
  const done = main(['onboard', ...args], { io, env });
  await script(t, stdin);
  return { code: await done, output: t.output };
}

describe('merchant onboard: less to type, nothing lost', () => {
  it('keeps the answers after Ctrl-C and offers to resume where it stopped', async () => {
    const home = tempDir();
    const first = await onTerminal(home, [], async (t) => {
      await t.answer('Legal name', 'Fjord Ceramics AS\r');
      await t.answer('Country of registration', 'Norway\r');
      await t.answer('Base (accounting) currency', '\r');
      await t.answer('Time zone', '\x03'); // Ctrl-C
    });
    expect(first.code).toBe(130);
    expect(first.output).toMatch(/onboarding stopped; your 3 answers are kept/);
    expect(first.output).toMatch(/run `merchant onboard` again to continue where you stopped/);
    expect(existsSync(join(home, 'merchant.db'))).toBe(false);
    expect(statSync(join(home, 'onboard-draft.json')).mode & 0o777).toBe(0o600);

    const second = await onTerminal(home, [], async (t) => {
      await t.answer('Resume the set-up you started', '\r'); // yes
      await t.answer('Time zone', '\r'); // default from the country: Europe/Oslo
      for (const q of ['VAT number', 'EORI number', 'IOSS number', 'UK VAT number', 'Norway VOEC number', 'Australian ABN/ARN']) await t.answer(q, '\r');
      await t.answer('Ship-from contact name', 'Kari Nordmann\r');
      await t.answer('Ship-from company', '\r');
      await t.answer('Ship-from street', 'Bryggen 3\r');
      await t.answer('second line', '\r');
      await t.answer('Ship-from city', 'Bergen\r');
      await t.answer('Ship-from state', '\r');
      await t.answer('Ship-from postal code', '5003\r');
      await t.answer('Ship-from country', 'NOR\r'); // alpha-3
      await t.answer('Ship-from phone', '\r');
      await t.answer('Ship-from email', '\r');
      await t.answer('Do returns go to the ship-from address?', '\r');
      await t.answer('Marketplaces you sell on', ' \r');
      await t.answer('Carrier accounts', '\r');
      await t.answer('Exchange rates from', '\r');
      await t.answer('Target margin', '\r'); // no default rule
    });
    expect(second.code, second.output.slice(-500)).toBe(0);
    expect(second.output).not.toMatch(/Legal name/); // not asked again
    expect(dbRows(home, 'SELECT legal_name, country, base_currency, timezone, ship_from_json FROM business_profile')).toEqual([
      { legal_name: 'Fjord Ceramics AS', country: 'NO', base_currency: 'NOK', timezone: 'Europe/Oslo', ship_from_json: expect.stringContaining('"country":"NO"') },
    ]);
    expect(existsSync(join(home, 'onboard-draft.json'))).toBe(false);
  });

  it('declining to resume starts over and forgets the old answers', async () => {
    const home = tempDir();
    await onTerminal(home, [], async (t) => {
      await t.answer('Legal name', 'Old Name AB\r');
      await t.answer('Country of registration', '\x03');
    });
    const r = await onTerminal(home, ['--country', 'SE', '--ship-from-name', 'A', '--ship-from-street1', 'S 1', '--ship-from-city', 'Uppsala', '--ship-from-postal-code', '753 20', '--ship-from-country', 'SE', '--marketplaces', 'none'], async (t) => {
      await t.answer('Resume the set-up', 'n\r');
      await t.answer('Legal name', 'New Name AB\r');
      await t.answer('Base (accounting) currency', '\r');
      await t.answer('Time zone', '\r');
    });
    expect(r.code, r.output.slice(-400)).toBe(0);
    expect(dbRows(home, 'SELECT legal_name, base_currency, timezone FROM business_profile')).toEqual([{ legal_name: 'New Name AB', base_currency: 'SEK', timezone: 'Europe/Stockholm' }]);
  });

  it('a country with several time zones offers them, most populous first', async () => {
    const home = tempDir();
    const r = await onTerminal(home, ['--legal-name', 'Maple Goods Inc', '--country', 'Canada', '--base-currency', 'CAD', '--ship-from-name', 'A', '--ship-from-street1', '1 King St', '--ship-from-city', 'Toronto', '--ship-from-postal-code', 'M5H 1A1', '--ship-from-country', 'CAN', '--marketplaces', 'shopify'], async (t) => {
      await t.answer('(CA has several)', '\x1b[B\r'); // one down from America/Toronto
    });
    expect(r.code, r.output.slice(-400)).toBe(0);
    expect(r.output).toMatch(/America\/Toronto[\s\S]*America\/St_Johns/);
    expect(dbRows(home, 'SELECT country, timezone FROM business_profile')).toEqual([{ country: 'CA', timezone: 'America/St_Johns' }]);
  });

  it('scripted: currency and time zone follow from the country, which may be a name or an alpha-3 code', async () => {
    const home = tempDir();
    const args = ['onboard', '--no-input', '--legal-name', 'Lindqvist Keramik AB', '--country', 'sweden', '--ship-from-name', 'Anna', '--ship-from-street1', 'Storgatan 12', '--ship-from-city', 'Uppsala', '--ship-from-postal-code', '753 20', '--ship-from-country', 'SWE', '--marketplaces', 'ebay'];
    const r = await run(args, { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/base currency SEK and time zone Europe\/Stockholm taken from the country \(SE\); pass --base-currency \/ --timezone to change/);
    expect(dbRows(home, 'SELECT country, base_currency, timezone, ship_from_json FROM business_profile')).toEqual([
      { country: 'SE', base_currency: 'SEK', timezone: 'Europe/Stockholm', ship_from_json: expect.stringContaining('"country":"SE"') },
    ]);
    // A country with several times needs --timezone, and the hint lists them.
    const us = await run(['onboard', '--no-input', '--legal-name', 'X Inc', '--country', 'USA', '--ship-from-name', 'A', '--ship-from-street1', '1 Main St', '--ship-from-city', 'Boston', '--ship-from-postal-code', '02110', '--ship-from-country', 'US', '--marketplaces', 'none'], { home: tempDir() });
    expect(us.code).toBe(2);
    expect(us.stderr).toMatch(/^error: missing --timezone$/m);
    expect(us.stderr).toMatch(/USA has several time zones: pass --timezone America\/New_York \| America\/Detroit \| America\/Kentucky\/Louisville \| America\/Kentucky\/Monticello \| …/);
  });

  it('a misspelt time zone gets a suggestion, and each identifier error shows the expected format', async () => {
    const home = tempDir();
    const r = await run(['onboard', '--no-input', '--from', PROFILE, '--timezone', 'Europe/Stokholm', '--vat-number', 'DE123456789', '--eori', 'S', '--abn-arn', '123'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--timezone: "Europe\/Stokholm": not an IANA time zone; did you mean Europe\/Stockholm\?/);
    expect(r.stderr).toMatch(/--vat-number: "DE123456789": the check digits of this German VAT number do not add up; check it for a typo \(DE \+ 9 digits, e\.g\. DE123456788\)/);
    expect(r.stderr).toMatch(/--eori: "S": an EORI is the country code followed by up to 15 letters or digits \(e\.g\. SE5566778899/);
    expect(r.stderr).toMatch(/--abn-arn: "123": an ABN is 11 digits \(e\.g\. 51 824 753 556\)/);
    expect(existsSync(join(home, 'merchant.db'))).toBe(false);
    const ok = await run(['onboard', '--no-input', '--from', PROFILE, '--timezone', 'europe/stockholm', '--json'], { home });
    expect(JSON.parse(ok.stdout).profile.business.timezone).toBe('Europe/Stockholm');
  });

  it('the default pricing rule becomes the pricing rule "default", rewritten only when the answer changes', async () => {
    const home = tempDir();
    const r = await run(['onboard', '--no-input', '--from', PROFILE, '--default-margin', '25%', '--default-fx-buffer', '2%', '--default-ending', '.99', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).pricingRule).toEqual({ name: 'default', outcome: 'created' });
    const rules = await run(['prices', 'rules', 'list', '--json'], { home });
    expect(rules.stdout).toMatch(/"margin": "25%"/);
    // Edited by hand afterwards: an unchanged onboarding leaves it alone.
    expect((await run(['prices', 'rules', 'set', 'default', '--margin', '30%'], { home })).code).toBe(0);
    const again = await run(['onboard', '--no-input', '--from', PROFILE, '--default-margin', '25%', '--default-fx-buffer', '2%', '--default-ending', '.99', '--json'], { home });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', pricingRule: null });
    expect((await run(['prices', 'rules', 'list', '--json'], { home })).stdout).toMatch(/"margin": "30%"/);
    const bad = await run(['onboard', '--no-input', '--from', PROFILE, '--default-margin', '25'], { home });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--default-margin "25" must be a percentage such as 25%/);
  });
});
