// What `report sales` (services/reports/sales.ts) asks of the stored orders: the report's query for a
// period, grouping and currency (built and run by the store, one statement, index-driven), the rate and
// VAT tables it joins for one report, and the business facts its layouts need. Implemented over SQLite
// by store/repos/sales-report.ts. Rows come back as plain objects (column → bigint/number/string).

import type { OtherDim, TimeDim } from '../core/report.js';
import type { offsetSpans } from '../core/report-time.js';

export type SalesQueryMode = 'summary' | 'detail' | 'journal';

/** What the query depends on (the report options, resolved: UTC bounds and the seller zone's offset spans). */
export interface SalesQuerySpec {
  time?: TimeDim;
  dims: OtherDim[];
  channels?: string[];
  marketplaces?: string[];
  /** Convert into this currency (rates from the report's rate table); undefined = native. */
  currency?: string;
  dateBasis: 'order' | 'refund';
  mode: SalesQueryMode;
  /** The offset spans of the seller's zone over the range (local dates in SQL). */
  spans: ReturnType<typeof offsetSpans>;
  /** Join the VAT decided for this report (loadVat) where the order has none stored. */
  vatTemp: boolean;
  /** The note a refund dated at its order carries. */
  estimatedRefundNote: string;
}

/** A built report query: run it with its params (from/to: UTC bounds, exclusive upper). */
export interface SalesQuery {
  sql: string;
  /** The events (orders, fees, refunds in the range) as a CTE body, for the exact stale-rate query. */
  eventsSql: string;
  params: Record<string, string>;
}

/** One (currency, local date) rate a converted report joins. */
export interface ReportRateRow {
  currency: string;
  date: string;
  num: bigint;
  den: bigint;
  /** The rate as text (12 decimals). */
  rate: string;
  rateDate: string;
  ageDays: number;
}

export interface ReportVatRow {
  orderId: bigint;
  scheme: string;
  country: string;
  collector: string;
}

export interface SalesReportRepo {
  /** The business profile's country and base currency (file layouts), if a profile exists. */
  business(): { country?: string; baseCurrency?: string };
  /** The seller's time zone (business_profile.timezone), else undefined. */
  timezone(): string | undefined;
  query(spec: SalesQuerySpec, params: Record<string, string>): SalesQuery;
  /** Every currency orders, fees and refunds are stored in. */
  currencies(): string[];
  /** The first and last dated event (order, refund, fee) in the UTC range. */
  eventSpan(params: Record<string, string>): { lo: string | null; hi: string | null };
  /** Replace the report's rate table (one transaction). */
  loadRates(rows: readonly ReportRateRow[]): void;
  /** Orders with no stored VAT decision with an order, refund or fee in the UTC range. */
  undecidedVatOrderIds(params: Record<string, string>): bigint[];
  /** Replace the report's VAT table (one transaction); `append` adds to it (a batch after the first). */
  loadVat(rows: readonly ReportVatRow[], opts?: { append?: boolean }): void;
  rows(q: SalesQuery): Array<Record<string, unknown>>;
  iterate(q: SalesQuery): IterableIterator<Record<string, unknown>>;
  /** Of a detail query: missing rates, the oldest rate's age and the first and last rate dates used. */
  detailRates(q: SalesQuery, target: string): Record<string, unknown>;
  /** Per currency, the stalest rate (older than maxAgeDays for its day) the report's events use. */
  staleRates(q: SalesQuery, maxAgeDays: number): Array<{ currency: string; forDate: string; rateDate: string; ageDays: number }>;
  /** The first event of a detail query with no rate. */
  firstMissingRate(q: SalesQuery): { date: string; cur: string; ext: string } | undefined;
  /** Refunds in the range (by refund or order date) dated at their order because the file had none. */
  estimatedRefunds(filter: { dateBasis: 'order' | 'refund'; channels?: string[]; marketplaces?: string[] }, params: Record<string, string>): number;
  /** The SQL script a summary query runs with its rate table, for the benchmark's sqlite3 baseline. */
  script(q: SalesQuery, rates: readonly ReportRateRow[] | undefined): string;
}
