// Commands that print one JSON document with --json, each described by docs/schemas/<noun>-<verb>.schema.json
// (checked by test/cli/json-schemas.test.ts). Any other command refuses --json with exit 2 instead of
// printing text (or CSV) a script would try to parse.

export const JSON_COMMANDS: ReadonlySet<string> = new Set([
  'onboard', 'onboard status', 'onboard check',
  'marketplace connect', 'marketplace list', 'marketplace remove', 'marketplace migrate',
  'carrier connect', 'carrier list',
  'listings import', 'listings template', 'listings list', 'listings show', 'listings publish',
  'fx update', 'fx convert', 'fx rates',
  'prices rules list', 'prices rules set', 'prices rules remove', 'prices explain', 'prices update',
  'sync', 'sync rules list', 'sync rules set', 'sync rules remove',
  'orders list', 'orders show', 'orders import', 'orders assign', 'orders ship',
  'stock locations list', 'stock locations add', 'stock locations edit', 'stock locations remove', 'stock locations map', 'stock locations link', 'stock locations unlink', 'stock locations refresh',
  'stock list', 'stock set', 'stock adjust', 'stock move', 'stock receive', 'stock transfers', 'stock import',
  'customs check', 'customs declare',
  'ship rates', 'ship book', 'ship label', 'ship track', 'ship list', 'ship void',
  'report sales', 'report stock',
  'sandbox start',
  'doctor',
  'unlock',
  'config list', 'config get',
]);

/** Why a command refuses --json, and what to use instead. */
export const JSON_REFUSED: Readonly<Record<string, string>> = {
  'listings export': 'it writes CSV (use `merchant listings list --json` for the same rows as JSON)',
  'config set': 'it prints nothing on success (use `merchant config get KEY --json` afterwards)',
  'config unset': 'it prints nothing on success (use `merchant config get KEY --json` afterwards)',
  demo: 'it tells a story on the terminal',
};

/** The schema file of a command's --json output: "prices rules list" → "prices-rules-list.schema.json". */
export function schemaFile(path: string): string {
  return `${path.replace(/ /g, '-')}.schema.json`;
}
