// Commands that only read. They never create a database (a typo in --db, or a first `orders list`,
// must not leave an empty merchant.db behind), never migrate one they cannot write, and a failure is
// never reported as "rolled back": there was nothing to roll back. A --dry-run is a read too.

const READ_COMMANDS: ReadonlySet<string> = new Set([
  'orders list', 'orders show',
  'listings list', 'listings show', 'listings export',
  'fx rates', 'fx convert',
  'prices rules list', 'prices explain',
  'sync rules list',
  'report sales', 'report stock',
  'marketplace list', 'carrier list',
  'ship list',
  'customs check',
  'onboard status',
]);

/**
 * Commands that need no data of the seller's: without a database they read an empty one in memory
 * (bundled FX rates, a parcel file, a dry run of an import) instead of exiting 7. Nothing is created.
 */
export const WORKS_WITHOUT_DATABASE: ReadonlySet<string> = new Set(['customs check', 'fx convert', 'orders import', 'listings import', 'fx update']);

/** The command's path without the program name: "prices rules list". */
export function commandPath(cmd: { name(): string; parent: unknown }): string {
  const names: string[] = [];
  for (let c: { name(): string; parent: unknown } | null = cmd; c && (c as { parent: unknown }).parent; c = (c as { parent: { name(): string; parent: unknown } | null }).parent) names.unshift(c.name());
  return names.join(' ');
}

export function isReadCommand(path: string, opts: { dryRun?: unknown }): boolean {
  return READ_COMMANDS.has(path) || opts.dryRun === true;
}
