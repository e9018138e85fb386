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
    expect(r.stderr).toMatch(/^error: missing --base-currency/m);
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
    expect(r.stderr).toMatch(/--country: "XX": not an ISO 3166/);
    expect(r.stderr).toMatch(/--base-currency: "BGN": not a current ISO 4217/);
    expect(dbRows(home, 'SELECT count(*) AS n FROM business_profile')).toEqual([{ n: 0 }]);
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
    await t.answer('Marketplaces you sell on', ' \x1b[B\x1b[B \r'); // amazon + shopify
    await t.answer('Carrier accounts', '\r');
    const code = await done;
    expect(code).toBe(0);
    expect(t.output).toMatch(/Created the business profile of Fjord Ceramics AS/);
    const rows = dbRows(home, 'SELECT legal_name, base_currency, timezone, ioss_number, marketplaces_json FROM business_profile');
    expect(rows).toEqual([{ legal_name: 'Fjord Ceramics AS', base_currency: 'NOK', timezone: 'Europe/Oslo', ioss_number: 'IM5780000123', marketplaces_json: '["amazon","shopify"]' }]);
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
