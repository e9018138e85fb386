// Shared help text for the fx and prices nouns.
export function examples(lines: readonly string[], extra = ''): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n${extra}`;
}

export const FX_EXIT_CODES = `
Exit codes: 0 ok · 2 bad flag or argument · 3 unknown currency, no rate for that date, or a bad rates file
(nothing stored) · 5 another merchant holds the lock · 6 the rates server failed or timed out.`;
