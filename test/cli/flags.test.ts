// One name per meaning across commands: --base-url (not fx update --url), --home (not demo --home-dir).
// The old spellings still work, hidden from --help, with a one-line deprecation note on stderr.
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';
import { sandbox, testEnv } from '../sync/helpers.js';

describe('consistent flag names', () => {
  it('fx update takes --base-url; --url still works with a deprecation note; both disagreeing is exit 2', async () => {
    const sb = await sandbox();
    const env = testEnv();
    const a = await run(['fx', 'update', '--base-url', sb.urls.ecb, '--json'], { home: tempDir(), env });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).not.toMatch(/deprecated/);
    const b = await run(['fx', 'update', '--url', sb.urls.ecb, '--json'], { home: tempDir(), env });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/^warning: --url is deprecated: use --base-url/m);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    const c = await run(['fx', 'update', '--url', sb.urls.ecb, '--base-url', 'http://127.0.0.1:9/x'], { home: tempDir(), env });
    expect(c.code).toBe(2);
    const help = await run(['fx', 'update', '--help']);
    expect(help.stdout).toMatch(/--base-url <url>/);
    expect(help.stdout).not.toMatch(/--url\b/);
  });

  it('demo names its home --home like every command; --home-dir is hidden', async () => {
    const help = await run(['demo', '--help']);
    expect(help.stdout).toMatch(/--home <dir>/);
    expect(help.stdout).not.toMatch(/--home-dir/);
  });
});
