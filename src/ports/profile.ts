// The business profile (one row) as the services read it: plain fields, registration numbers as text.

export interface BusinessProfileRecord {
  legalName: string;
  country: string;
  baseCurrency: string;
  vatNumber: string | null;
  eori: string | null;
  iossNumber: string | null;
  ukVatNumber: string | null;
  voecNumber: string | null;
  abnArn: string | null;
  /** The ship-from address as saved (JSON text), or null. */
  shipFromJson: string | null;
}

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
