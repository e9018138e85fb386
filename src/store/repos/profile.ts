// The business profile (business_profile, one row with id 1) and the customs declarations written
// for it (customs_declarations).

import type { Store } from '../db.js';
import { SqliteOnboarding } from './onboarding.js';
import type { BusinessProfileRecord, BusinessProfileRepo, CustomsDeclarationRecord, CustomsDeclarationsRepo } from '../../ports/profile.js';

export class SqliteBusinessProfile implements BusinessProfileRepo {
  constructor(private readonly store: Store) {}
  get(): BusinessProfileRecord | undefined {
    // The same row onboarding reads and writes; customs and pricing see its business fields only.
    const p = new SqliteOnboarding(this.store).profile();
    if (!p) return undefined;
    const { legalName, country, baseCurrency, vatNumber, eori, iossNumber, ukVatNumber, voecNumber, abnArn, shipFromJson } = p;
    return { legalName, country, baseCurrency, vatNumber, eori, iossNumber, ukVatNumber, voecNumber, abnArn, shipFromJson };
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
