import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runBin, BIN } from '../helpers/run.js';

describe('merchant demo', () => {
  it('runs the whole story on a pipe with NO_COLOR: exit 0, no escape codes, every step shown', () => {
    const r = runBin(['demo'], { env: { NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout).toMatch(/^1\/\d+  Onboard a demo business$/m);
    expect(r.stdout).toMatch(/Done in [\d.]+ s\. Try next:/);
    for (const title of ['Import the catalogue', 'Sync', 'Book the cheapest label', 'Sales report for November, in EUR']) {
      expect(r.stdout).toMatch(new RegExp(`^\\d+/\\d+  ${title}$`, 'm'));
    }
    expect(r.stdout).toMatch(/sync done: \d+ acknowledged/);
    expect(r.stdout).toMatch(/^\s+total\s+EUR\s+\d+/m);
    // The locations story: a Swedish home warehouse, a 3PL in Leipzig selling on amazon-de, stock per location
    // with totals, and a parcel from the 3PL that crosses no customs border and leaves the 3PL's stock.
    expect(r.stdout).toMatch(/^\s+home \*\s+own\s+SE\s/m);
    expect(r.stdout).toMatch(/^\s+de-3pl\s+3pl\s+DE\s+Fulfillment Leipzig\s+Am Exer 12, 04158 Leipzig, DE\s+amazon-de$/m);
    const parcel = r.stdout.slice(r.stdout.indexOf('A parcel from the German 3PL'));
    expect(parcel).toMatch(/form\s+none/);
    expect(parcel).toMatch(/DE → DE/);
    expect(parcel).toMatch(/booked: /);
    expect(parcel).toMatch(/^\s+CANDLE-LAV\s+de-3pl\s+5\s+0\s+5\s/m);
    expect(parcel).toMatch(/^\s+total\s+20\s/m);
    expect(r.stdout).toMatch(/^\s+total\s+\d+\s+0\s+\d+\s+SEK\s+\d+\.\d\d$/m);
    const throwaway = /Throw-away home: (\S+)/.exec(r.stdout)![1]!;
    expect(existsSync(throwaway)).toBe(false);
    // The whole story is long by nature (about 10 s on two idle cores, a sandbox and ~20 commands): on a
    // busy machine it may take several times that, which says nothing about the demo being wrong.
  }, 120_000);
});

describe('merchant demo on a terminal', () => {
  it('runs under a real pseudo-terminal with colour and exits 0', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color' };
    const r = spawnSync('script', ['-qfec', `${process.execPath} ${BIN} demo`, '/dev/null'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/\x1b\[/); // a terminal gets colour
    expect(r.stdout).toMatch(/Done in [\d.]+ s\. Try next:/);
  }, 120_000);
});
