// Onboarding: the business profile (business_profile, one row with id 1), the checklist
// (onboarding_items), and the account and listing facts that tick checklist items.

import type { Store } from '../db.js';
import type { ChecklistRecord, OnboardingRepo, StoredProfile } from '../../ports/onboarding.js';

interface Row {
  legal_name: string;
  country: string;
  base_currency: string;
  timezone: string;
  vat_number: string | null;
  eori: string | null;
  ioss_number: string | null;
  uk_vat_number: string | null;
  voec_number: string | null;
  abn_arn: string | null;
  ship_from_json: string | null;
  return_json: string | null;
  marketplaces_json: string;
  carriers_json: string;
  fx_source: string;
  default_rule_json: string | null;
}

export class SqliteOnboarding implements OnboardingRepo {
  constructor(private readonly store: Store) {}

  profile(): StoredProfile | undefined {
    const r = this.store.db.prepare('SELECT * FROM business_profile WHERE id = 1').get() as Row | undefined;
    if (!r) return undefined;
    return {
      legalName: r.legal_name,
      country: r.country,
      baseCurrency: r.base_currency,
      timezone: r.timezone,
      vatNumber: r.vat_number,
      eori: r.eori,
      iossNumber: r.ioss_number,
      ukVatNumber: r.uk_vat_number,
      voecNumber: r.voec_number,
      abnArn: r.abn_arn,
      shipFromJson: r.ship_from_json,
      returnJson: r.return_json,
      marketplacesJson: r.marketplaces_json,
      carriersJson: r.carriers_json,
      fxSource: r.fx_source,
      defaultRuleJson: r.default_rule_json,
    };
  }

  saveProfile(p: StoredProfile, now: string): void {
    this.store.db
      .prepare(
        `INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, vat_number, eori, ioss_number,
           uk_vat_number, voec_number, abn_arn, ship_from_json, return_json, marketplaces_json, carriers_json, fx_source,
           default_rule_json, created_at, updated_at)
         VALUES (1, @legalName, @country, @baseCurrency, @timezone, @vatNumber, @eori, @iossNumber, @ukVatNumber,
           @voecNumber, @abnArn, @shipFromJson, @returnJson, @marketplacesJson, @carriersJson, @fxSource,
           @defaultRuleJson, @now, @now)
         ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, country = excluded.country,
           base_currency = excluded.base_currency, timezone = excluded.timezone, vat_number = excluded.vat_number,
           eori = excluded.eori, ioss_number = excluded.ioss_number, uk_vat_number = excluded.uk_vat_number,
           voec_number = excluded.voec_number, abn_arn = excluded.abn_arn, ship_from_json = excluded.ship_from_json,
           return_json = excluded.return_json, marketplaces_json = excluded.marketplaces_json,
           carriers_json = excluded.carriers_json, fx_source = excluded.fx_source,
           default_rule_json = excluded.default_rule_json, updated_at = excluded.updated_at`,
      )
      .run({ ...p, now });
  }

  addChecklistItems(marketplace: string, items: readonly string[], now: string): void {
    const insert = this.store.db.prepare(
      `INSERT INTO onboarding_items (marketplace, item, status, note, updated_at) VALUES (?, ?, 'todo', NULL, ?)
       ON CONFLICT (marketplace, item) DO NOTHING`,
    );
    for (const item of items) insert.run(marketplace, item, now);
  }

  checklist(marketplace: string): ChecklistRecord[] {
    return this.store.db.prepare('SELECT item, status, note FROM onboarding_items WHERE marketplace = ?').all(marketplace) as ChecklistRecord[];
  }

  checklistItem(marketplace: string, item: string): ChecklistRecord | undefined {
    return this.store.db.prepare('SELECT item, status, note FROM onboarding_items WHERE marketplace = ? AND item = ?').get(marketplace, item) as ChecklistRecord | undefined;
  }

  setChecklistItem(marketplace: string, r: ChecklistRecord, now: string): void {
    this.store.db
      .prepare(
        `INSERT INTO onboarding_items (marketplace, item, status, note, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (marketplace, item) DO UPDATE SET status = excluded.status, note = excluded.note, updated_at = excluded.updated_at`,
      )
      .run(marketplace, r.item, r.status, r.note, now);
  }

  accountVerifiedAt(marketplace: string): string | null | undefined {
    const row = this.store.db.prepare('SELECT verified_at FROM marketplace_accounts WHERE marketplace = ?').get(marketplace) as { verified_at: string | null } | undefined;
    return row ? row.verified_at : undefined;
  }

  hasLiveListing(marketplace: string): boolean {
    return Boolean(
      this.store.db
        .prepare(
          `SELECT 1 FROM channel_listings cl JOIN channels c ON c.code = cl.channel
           WHERE c.marketplace = ? AND cl.acked_at IS NOT NULL LIMIT 1`,
        )
        .get(marketplace),
    );
  }

  carrierMode(carrier: string): string | undefined {
    const row = this.store.db.prepare('SELECT mode FROM carrier_accounts WHERE carrier = ?').get(carrier) as { mode: string } | undefined;
    return row?.mode;
  }
}
