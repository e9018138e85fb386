import { describe, it, expect } from 'vitest';
import { run, tempDir } from '../helpers/run.js';

describe('merchant config', () => {
  it('follows flag > environment > file > default and says where each value comes from', async () => {
    const home = tempDir();
    expect((await run(['config', 'get', 'fx.maxAgeDays'], { home })).stdout.trim()).toBe('4');
    expect((await run(['config', 'set', 'fx.maxAgeDays', '7'], { home })).code).toBe(0);
    expect((await run(['config', 'get', 'fx.maxAgeDays', '--json'], { home })).stdout).toMatch(/"source": "file"/);
    const env = await run(['config', 'get', 'fx.maxAgeDays', '--json'], { home, env: { MERCHANT_FX_MAXAGEDAYS: '2' } });
    expect(JSON.parse(env.stdout)).toEqual({ key: 'fx.maxAgeDays', value: '2', source: 'env' });
    const list = await run(['config', 'list'], { home });
    expect(list.stdout).toMatch(/^fx\.maxAgeDays\t7\tfile\tMERCHANT_FX_MAXAGEDAYS$/m);
    expect((await run(['config', 'unset', 'fx.maxAgeDays'], { home })).code).toBe(0);
    expect((await run(['config', 'get', 'fx.maxAgeDays'], { home })).stdout.trim()).toBe('4');
    expect((await run(['config', 'set', 'bad key', 'x'], { home })).code).toBe(2);
  });
});
