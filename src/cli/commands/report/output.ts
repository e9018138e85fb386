// The output rules every report shares: a file is CSV (or JSON), a table is for the terminal, an
// accounting --profile writes CSV, --json wins, and --locale belongs to the Excel profile.

import { UsageError } from '../../../core/errors.js';

/** --output names a file (not stdout's `-`). */
export function writesToFile(opts: { output?: string }): boolean {
  return opts.output !== undefined && opts.output !== '-';
}

export function reportFormat(opts: { format?: string; output?: string; locale?: string }, profile: string | undefined, json: boolean): string {
  const toFileFlag = writesToFile(opts);
  const format = opts.format ?? (json ? 'json' : profile || toFileFlag ? 'csv' : 'table');
  if (format === 'table' && toFileFlag) throw new UsageError('--output writes a file: use --format csv or json (a table is for the terminal)');
  if (profile && format !== 'csv') throw new UsageError(`--profile ${profile} writes a file: use it with --format csv (or without --format)`);
  if (opts.locale && profile !== 'excel') throw new UsageError('--locale applies to --profile excel');
  return json ? 'json' : format;
}
