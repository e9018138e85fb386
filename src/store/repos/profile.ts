// The business profile (business_profile, one row with id 1) and the customs declarations written
// for it (customs_declarations).

import type { Store } from '../db.js';
import type { BusinessProfileRecord, BusinessProfileRepo, CustomsDeclarationRecord, CustomsDeclarationsRepo } from '../../ports/profile.js';

interface ProfileRow {
  legal_name: string;
  country: string;
  base_currency: string;
  vat_number: string | null;
  eori: string | null;
  ioss_number: string | null;
  uk_vat_number: string | null;
  voec_number: string | null;
  abn_arn: string | null;
  ship_from_json: string | null;
}

export class SqliteBusinessProfile implements BusinessProfileRepo {
  constructor(private readonly store: Store) {}
  get(): BusinessProfileRecord | undefined {
    const r = this.store.db
      .prepare('SELECT legal_name, country, base_currency, vat_number, eori, ioss_number, uk_vat_number, voec_number, abn_arn, ship_from_json FROM business_profile WHERE id = 1')
      .get() as ProfileRow | undefined;
    if (!r) return undefined;
    return {
      legalName: r.legal_name,
      country: r.country,
      baseCurrency: r.base_currency,
      vatNumber: r.vat_number,
      eori: r.eori,
      iossNumber: r.ioss_number,
      ukVatNumber: r.uk_vat_number,
      voecNumber: r.voec_number,
      abnArn: r.abn_arn,
      shipFromJson: r.ship_from_json,
    };
  }
}

export class SqliteCustomsDeclarations implements CustomsDeclarationsRepo {
  constructor(private readonly store: Store) {}
  record(d: CustomsDeclarationRecord): void {
    this.store.db
      .prepare(
        `INSERT INTO customs_declarations (shipment_id, order_id, form, destination, currency, declaration_json, document_path, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.shipmentId, d.orderId, d.form, d.destination, d.currency, d.declarationJson, d.documentPath, d.createdAt);
  }
}
