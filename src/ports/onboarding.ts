// Onboarding's stored state as the onboard service reads and writes it: the whole business profile (one
// record, addresses and lists as JSON text), the per-marketplace checklist, and the few facts about
// connected accounts and live listings that tick checklist items by themselves.

export interface StoredProfile {
  legalName: string;
  country: string;
  baseCurrency: string;
  timezone: string;
  vatNumber: string | null;
  eori: string | null;
  iossNumber: string | null;
  ukVatNumber: string | null;
  voecNumber: string | null;
  abnArn: string | null;
  shipFromJson: string | null;
  returnJson: string | null;
  marketplacesJson: string;
  carriersJson: string;
  fxSource: string;
  defaultRuleJson: string | null;
}

export type ChecklistStatus = 'todo' | 'done' | 'n/a';

export interface ChecklistRecord {
  item: string;
  status: ChecklistStatus;
  note: string | null;
}

export interface OnboardingRepo {
  /** The profile, or undefined before onboarding. */
  profile(): StoredProfile | undefined;
  /** Create or replace the profile (created_at kept on replace). */
  saveProfile(p: StoredProfile, now: string): void;
  /** Add the checklist items a marketplace does not have yet (existing answers are kept). */
  addChecklistItems(marketplace: string, items: readonly string[], now: string): void;
  checklist(marketplace: string): ChecklistRecord[];
  checklistItem(marketplace: string, item: string): ChecklistRecord | undefined;
  setChecklistItem(marketplace: string, record: ChecklistRecord, now: string): void;
  /** undefined: not connected; null: connected, never verified; else the verification time. */
  accountVerifiedAt(marketplace: string): string | null | undefined;
  /** Whether any listing of the marketplace's channels was ever acknowledged by it. */
  hasLiveListing(marketplace: string): boolean;
  /** The connected carrier account's mode (test/live), or undefined when not connected. */
  carrierMode(carrier: string): string | undefined;
}
