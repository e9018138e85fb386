// MERCHANT_HOME: the folder with merchant.db, config.json, credentials, labels/, logs/.
// Default: the OS data dir (env-paths), e.g. ~/.local/share/merchant on Linux.

import envPaths from 'env-paths';
import { join } from 'node:path';

export function resolveHome(env: Record<string, string | undefined>, flag?: string): string {
  if (flag) return flag;
  if (env.MERCHANT_HOME) return env.MERCHANT_HOME;
  return envPaths('merchant', { suffix: '' }).data;
}

export function homePaths(home: string) {
  return {
    home,
    db: join(home, 'merchant.db'),
    config: join(home, 'config.json'),
    credentials: join(home, 'credentials'),
    labels: join(home, 'labels'),
    documents: join(home, 'documents'),
    logs: join(home, 'logs'),
  };
}
