// The business profile (one row) as the services read it: plain fields, registration numbers as text.

import type { StoredProfile } from './onboarding.js';

/** The profile's business fields (onboarding's StoredProfile holds the rest of the row). */
export type BusinessProfileRecord = Pick<
  StoredProfile,
  'legalName' | 'country' | 'baseCurrency' | 'vatNumber' | 'eori' | 'iossNumber' | 'ukVatNumber' | 'voecNumber' | 'abnArn' | 'shipFromJson'
>;

export interface BusinessProfileRepo {
  /** The profile, or undefined before onboarding. */
  get(): BusinessProfileRecord | undefined;
}

export interface CustomsDeclarationRecord {
  shipmentId: number | null;
  orderId: number | null;
  form: string;
  destination: string;
  currency: string;
  /** The check's result as JSON text. */
  declarationJson: string;
  documentPath: string;
  createdAt: string;
}

export interface CustomsDeclarationsRepo {
  record(d: CustomsDeclarationRecord): void;
}
