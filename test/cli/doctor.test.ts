import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { chmodSync, writeFileSync } from 'node:fs';
import { run, tempDir } from '../helpers/run.js';

const PROFILE = join(import.meta.dirname, '../../fixtures/onboard/profile.json');

describe('merchant doctor', () => {
  it('on a fresh machine says there is no database and what to run (exit 4)', async () => {
    const home = tempDir();
    const r = await run(['doctor', '--offline', '--json'], { home });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.checks.find((c: { id: string }) => c.id === 'database')).toMatchObject({ status: 'fail', fix: 'run `merchant onboard`' });
  });

  it('after onboarding everything passes, and a world-readable credentials file is a failure with the fix', async () => {
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const ok = await run(['doctor', '--offline'], { home });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^database\tok\t.*schema \d+\/\d+.*integrity ok/m);
    expect(ok.stdout).toMatch(/^lock\tok\tfree/m);
    writeFileSync(join(home, 'credentials'), '{"shopify":{"token":"shpat_doctor123456"}}');
    chmodSync(join(home, 'credentials'), 0o644);
    const bad = await run(['doctor', '--offline'], { home });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toMatch(/credentials file\tfail\t.*mode 644.*chmod 600/);
    expect(bad.stdout + bad.stderr).not.toMatch(/shpat_doctor123456/);
  });
});
