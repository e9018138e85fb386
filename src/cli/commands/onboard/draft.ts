// The answers of an onboarding in progress, kept after every answer in $MERCHANT_HOME/onboard-draft.json
// (0600: it may hold an address), so Ctrl-C or a closed terminal loses nothing and the next
// `merchant onboard` offers to resume. Removed once the profile is saved.

import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../../context.js';
import { writeFileAtomic } from '../../../config/atomic.js';
import type { ProfileDraft } from '../../../core/profile.js';

export interface SavedDraft {
  startedAt: string;
  /** A full guided run (every question) or only the missing answers. */
  full: boolean;
  /** Keys of the questions already answered ("business.legalName", "shipFrom.city", "marketplaces", …). */
  answered: string[];
  draft: ProfileDraft;
}

function path(ctx: Ctx): string {
  return join(ctx.paths.home, 'onboard-draft.json');
}

export function loadDraft(ctx: Ctx): SavedDraft | undefined {
  const p = path(ctx);
  if (!existsSync(p)) return undefined;
  try {
    const d = JSON.parse(readFileSync(p, 'utf8')) as SavedDraft;
    if (!d || typeof d !== 'object' || !Array.isArray(d.answered) || !d.draft?.business) return undefined;
    return d;
  } catch {
    return undefined; // a damaged draft is not worth an error: the questions are asked again
  }
}

export function saveDraft(ctx: Ctx, d: SavedDraft): void {
  ctx.ensureHome();
  writeFileAtomic(path(ctx), `${JSON.stringify(d, null, 2)}\n`, 0o600, { mkdir: true });
}

export function deleteDraft(ctx: Ctx): void {
  try {
    unlinkSync(path(ctx));
  } catch {
    /* none */
  }
}
