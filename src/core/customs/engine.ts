// The customs rules engine: one parcel in, the declaration's decisions out — which form, whether VAT
// was charged at sale, which registration numbers must appear, whether duty applies, and every rule
// that decided it (with its effective date and source). Pure: exchange rates come in as a function,
// the rules' thresholds and dates come from rules.ts. Values are compared exactly (Ratio), never
// rounded before a threshold test.

import { formatAmount, formatRatio, fromRatio, parseDecimal, rAdd, rCmp, rMul, rSub, ratio, toRatio, type Money, type Ratio } from '../money.js';
import { EU_COUNTRIES } from '../currencies.js';
import { RULES, inForce, type RuleDef, type RuleId } from './rules.js';
import { customsRateDay } from './customs-rate.js';
import { euGoodsVat, territory, ukVat, vatCountry, type Territory } from './territories.js';
import { decideVat, type TaxIdKind, type VatDecision } from './vat-collector.js';
import {
  checkHsCode,
  isAgricultural,
  isExciseGoods,
  isFood,
  isSwissReducedRate,
  isVagueDescription,
  lithiumFromHs,
  mentionsBattery,
  restrictedClass,
} from './hs.js';
import type {
  AppliedRule,
  Charge,
  CheckedItem,
  CustomsInput,
  CustomsItem,
  CustomsResult,
  DeclarationId,
  Finding,
  Form,
  FxLookup,
  ThresholdTest,
} from './types.js';

/** What a destination's rules decided: the regime's name, whether VAT can be charged at sale (the low-value test), and duty. */
interface Regime {
  regime: string;
  vat: boolean;
  duty: boolean;
}

/** The registration number a destination's at-sale VAT regime puts on the declaration. */
const AT_SALE_ID: Record<string, TaxIdKind> = { IOSS: 'IOSS', UKVAT: 'UKVAT', VOEC: 'VOEC', ARN: 'ARN', NZGST: 'NZGST', CHVAT: 'CHVAT' };

/** A threshold within this share of the value decides by a small move of the rate: warn (2%). */
const NEAR_SHARE = ratio(2n, 100n);

const ID_FORMATS: Record<string, { re: RegExp; example: string; label: string }> = {
  IOSS: { re: /^IM\d{10}$/, example: 'IM2760000123', label: 'IOSS number' },
  EORI: { re: /^[A-Z]{2}[A-Z0-9]{1,15}$/, example: 'SE5566778899', label: 'EORI number' },
  UKVAT: { re: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: 'GB123456789', label: 'UK VAT number' },
  VOEC: { re: /^(VOEC)?\d{7}$/, example: 'VOEC1234567', label: 'VOEC number' },
  ARN: { re: /^\d{11,12}$/, example: '123456789012', label: 'Australian ARN (12 digits) or ABN (11 digits)' },
  NZGST: { re: /^\d{8,9}$/, example: '123456789', label: 'New Zealand GST number' },
  CHVAT: { re: /^CHE-?\d{3}\.?\d{3}\.?\d{3}( ?(MWST|TVA|IVA))?$/, example: 'CHE-123.456.789 MWST', label: 'Swiss VAT number' },
};

interface ItemInfo {
  item: CustomsItem;
  index: number;
  label: string;
  subheading?: string;
  lineValue: Money;
  lineGrams: number;
}

export class CustomsEngine {
  private applied = new Map<string, AppliedRule>();
  private errors: Finding[] = [];
  private warnings: Finding[] = [];
  private thresholds: ThresholdTest[] = [];
  private charges: Charge[] = [];
  private requiredIds: string[] = [];
  private missingFx = new Set<string>();
  private items: ItemInfo[] = [];
  private checked: CheckedItem[] = [];
  private total!: Money;
  private fromT!: Territory;
  private toT!: Territory;
  private decision?: VatDecision;
  private declarationIds: DeclarationId[] = [];
  private nearWarned = new Set<string>();
  /** The EU customs side of the EUR 150 test, once made. */
  private euCustoms?: ThresholdTest['comparison'];

  constructor(
    private readonly input: CustomsInput,
    private readonly fx: FxLookup,
  ) {}

  // ── bookkeeping ──────────────────────────────────────────────────────────────────────────────

  private apply(id: RuleId, outcome: string): RuleDef {
    const r: RuleDef = RULES[id];
    const prev = this.applied.get(id);
    if (prev) {
      if (!prev.outcome.includes(outcome)) prev.outcome = `${prev.outcome}; ${outcome}`;
    } else {
      this.applied.set(id, {
        id: r.id,
        effectiveFrom: r.effectiveFrom,
        ...(r.effectiveTo ? { effectiveTo: r.effectiveTo } : {}),
        source: r.source,
        outcome,
      });
    }
    return r;
  }

  private error(code: string, message: string, opts: { item?: ItemInfo; rule?: RuleId } = {}): void {
    this.errors.push(this.finding(code, message, opts));
  }

  private warn(code: string, message: string, opts: { item?: ItemInfo; rule?: RuleId } = {}): void {
    this.warnings.push(this.finding(code, message, opts));
  }

  private finding(code: string, message: string, opts: { item?: ItemInfo; rule?: RuleId }): Finding {
    return {
      code,
      message: opts.item ? `item ${opts.item.index} (${opts.item.label}): ${message}` : message,
      ...(opts.item ? { item: opts.item.label, itemIndex: opts.item.index } : {}),
      ...(opts.rule ? { rule: opts.rule } : {}),
    };
  }

  private requireId(id: string): void {
    if (!this.requiredIds.includes(id)) this.requiredIds.push(id);
  }

  // ── money ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Exact value of `m` in `to` at the rate of `date` (default: the shipment date), with the quote used.
   * Undefined (and an error) when no rate is known.
   */
  private convert(m: Money, to: string, opts: { date?: string; basis?: string } = {}): { value: Ratio; quote?: ThresholdTest['fx'] } | undefined {
    if (m.currency === to) return { value: toRatio(m) };
    const date = opts.date ?? this.input.date;
    const q = this.fx(m.currency, to, date);
    if (!q) {
      const key = `${m.currency}/${to}/${date}`;
      if (!this.missingFx.has(key)) {
        this.missingFx.add(key);
        this.error(
          'FX_RATE_MISSING',
          `no ${m.currency}→${to} exchange rate on or before ${date}: run \`merchant fx update\` (or \`merchant fx update --rate ${m.currency}/${to}=… --date ${date}\`)`,
        );
      }
      return undefined;
    }
    return {
      value: rMul(toRatio(m), q.rate),
      quote: { from: m.currency, to, rate: formatRatio(q.rate), rateDate: q.rateDate, source: q.source, ...(opts.basis ? { basis: opts.basis } : {}) },
    };
  }

  /**
   * Compare `m` with a threshold in the threshold's currency; records the test, and warns when the
   * value is within 2% of the threshold (a small move of the rate, or the other rate, decides).
   */
  private test(
    ruleId: RuleId,
    basis: string,
    m: Money,
    threshold: string,
    currency: string,
    opts: { date?: string; rateBasis?: string } = {},
  ): ThresholdTest['comparison'] | undefined {
    const conv = this.convert(m, currency, { ...(opts.date ? { date: opts.date } : {}), ...(opts.rateBasis ? { basis: opts.rateBasis } : {}) });
    if (!conv) return undefined;
    const t = parseDecimal(threshold);
    const c = rCmp(conv.value, t);
    const comparison = c < 0 ? 'below' : c === 0 ? 'at' : 'above';
    const value = formatAmount(fromRatio(conv.value, currency, 'halfUp'));
    this.thresholds.push({
      rule: ruleId,
      basis,
      value: { amount: value, currency },
      threshold: { amount: formatAmount(fromRatio(t, currency, 'halfUp')), currency },
      comparison,
      ...(conv.quote ? { fx: conv.quote } : {}),
    });
    const gap = rSub(conv.value, t);
    const absGap = gap.num < 0n ? { num: -gap.num, den: gap.den } : gap;
    if (rCmp(absGap, rMul(t, NEAR_SHARE)) <= 0 && !this.nearWarned.has(ruleId)) {
      this.nearWarned.add(ruleId);
      const rate = conv.quote ? ` at ${conv.quote.from}/${conv.quote.to} ${conv.quote.rate} (${conv.quote.source} ${conv.quote.rateDate}${conv.quote.basis ? `, ${conv.quote.basis}` : ''})` : '';
      this.warn('THRESHOLD_NEAR', `${basis}: ${value} ${currency}${rate} is within 2% of the ${currency} ${threshold} threshold (${ruleId}): a small change of rate or value changes the outcome`, { rule: ruleId });
    }
    return comparison;
  }

  // ── the check ────────────────────────────────────────────────────────────────────────────────

  run(): CustomsResult {
    const inp = this.input;
    const from = (this.fromT = territory(inp.from.country, inp.from.postalCode));
    const to = (this.toT = territory(inp.to.country, inp.to.postalCode));
    this.prepareItems();
    for (const t of [from, to]) if (t.rule) this.apply(t.rule, `${t.country}${inp[t === from ? 'from' : 'to'].postalCode ? ` ${inp[t === from ? 'from' : 'to'].postalCode}` : ''} is ${t.name}`);

    let form: Form = 'none';
    let r: Regime;
    if (vatCountry(from) === vatCountry(to) && from.customs === to.customs) {
      r = { regime: 'domestic', vat: true, duty: false };
      this.apply('DOMESTIC', `${from.name} → ${to.name}: no customs declaration`);
    } else if (ukVat(from) && ukVat(to)) {
      r = { regime: 'UK-domestic', vat: true, duty: false };
      this.apply('DOMESTIC', `${from.name} → ${to.name}: within the UK, no customs declaration`);
    } else if (euGoodsVat(from) && euGoodsVat(to)) {
      const windsor = from.code === 'XI' || to.code === 'XI';
      r = { regime: windsor ? 'EU-NI' : 'EU-intra', vat: true, duty: false };
      if (windsor) this.apply('TERR-NI-WINDSOR', `${from.name} → ${to.name}: goods move between the EU and Northern Ireland without customs formalities; VAT through OSS, not IOSS`);
      else this.apply('EU-INTRA', `${inp.from.country} → ${inp.to.country} inside the EU: no customs declaration`);
    } else {
      form = this.chooseForm();
      r = from.customs === to.customs ? this.vatBorder(from, to) : this.destination(to);
      this.checkGoods(form);
      this.checkExport(from.code, to.code);
      this.checkValue();
    }
    const decision = this.decision ?? this.collect(r.vat ? true : undefined, false);
    const vatCollectedAtSale = r.vat && decision.collector !== 'import';
    if (form !== 'none') {
      this.checkIncoterm(r.duty);
      this.checkIds();
    }

    return {
      ok: this.errors.length === 0,
      form,
      vatCollectedAtSale,
      vatCollector: decision.collector,
      vatScheme: decision.scheme,
      vatCountry: decision.country,
      requiredIds: this.requiredIds,
      declarationIds: this.declarationIds,
      dutyApplies: r.duty,
      errors: this.errors,
      warnings: this.warnings,
      rules: [...this.applied.values()],
      date: inp.date,
      from: inp.from.country,
      to: inp.to.country,
      fromTerritory: from.code,
      toTerritory: to.code,
      regime: r.regime,
      service: inp.service,
      incoterm: inp.incoterm,
      contentsType: inp.contentsType,
      currency: inp.currency,
      value: formatAmount(this.total),
      shipping: formatAmount(inp.shipping),
      netWeightGrams: this.netGrams(),
      grossWeightGrams: this.grossGrams(),
      thresholds: this.thresholds,
      charges: this.charges,
      items: this.checked,
    };
  }

  /**
   * Who collects the VAT (once per check). `lowValue`: the destination's at-sale test passed (true),
   * failed (false) or could not run (undefined). `record`: apply the deciding rule and put the
   * registration number on the declaration (imports with an at-sale regime do; local sales only name it).
   */
  private collect(lowValue: boolean | undefined, record = true): VatDecision {
    if (this.decision) return this.decision;
    const sale = this.input.sale;
    const d = decideVat({
      from: this.fromT,
      to: this.toT,
      marketplace: sale?.marketplace ?? null,
      ...(sale?.sellerCountry ? { sellerCountry: sale.sellerCountry } : {}),
      date: this.input.paymentDate ?? this.input.date,
      ...(lowValue === undefined ? {} : { lowValue }),
      seller: this.input.seller,
    });
    this.decision = d;
    if (!record) {
      if (d.collector === 'marketplace') this.apply(d.rule, d.reason);
      return d;
    }
    if (d.collector === 'marketplace') {
      this.apply(d.rule, d.reason);
      if (d.taxId) {
        // Not in requiredIds (the seller's numbers, which carriers put on the label): the marketplace's goes on it.
        const number = sale?.marketplaceIds?.[d.taxId.kind]?.replace(/\s+/g, '').toUpperCase() ?? null;
        this.declarationIds.push({ id: d.taxId.kind, holder: 'marketplace', number });
        if (!number) {
          this.warn('MARKETPLACE_ID', `${sale?.marketplace ?? 'the marketplace'} collected the VAT as deemed supplier: its ${d.taxId.kind} number goes on the declaration, never yours — take it from the order (eBay: the order's "ebayCollectAndRemitTaxes" reference; Amazon: the marketplace's ${d.taxId.kind} number in Seller Central) or give it as "marketplaceIds" in the parcel file`, { rule: d.rule });
        }
      }
    } else if (d.collector === 'seller' && d.taxId) {
      this.requireId(d.taxId.kind);
      const key = ({ IOSS: 'ioss', UKVAT: 'ukVat', VOEC: 'voec', ARN: 'abnArn', NZGST: 'nzGst', CHVAT: 'chVat' } as const)[d.taxId.kind];
      this.declarationIds.push({ id: d.taxId.kind, holder: 'seller', number: this.input.seller[key]?.replace(/\s+/g, '').toUpperCase() ?? null });
    } else if (d.unregistered) {
      const label = ID_FORMATS[AT_SALE_ID[d.unregistered] ?? d.unregistered]?.label ?? d.unregistered;
      this.warn('VAT_AT_IMPORT', `no ${label} is configured and no marketplace collected the VAT: it is not charged at sale — the buyer pays import VAT (and the carrier's handling fee) on delivery, and the declaration says so (set it with \`merchant onboard\`, or "seller" in the parcel file, if you are registered)`, { rule: d.rule });
    }
    return d;
  }

  private prepareItems(): void {
    let total = 0n;
    this.items = this.input.items.map((item, i) => {
      const hs = checkHsCode(item.hsCode);
      const lineValue: Money = { minor: item.unitValue.minor * BigInt(item.quantity), currency: item.unitValue.currency };
      total += lineValue.minor;
      const info: ItemInfo = {
        item,
        index: i + 1,
        label: item.sku ? `${item.sku} ${item.description}`.trim() : item.description || `item ${i + 1}`,
        ...(hs.problem ? {} : { subheading: hs.subheading }),
        lineValue,
        lineGrams: item.unitWeightGrams * item.quantity,
      };
      this.checked.push({
        index: i + 1,
        description: item.description,
        ...(item.sku ? { sku: item.sku } : {}),
        ...(hs.normalized ? { hsCode: hs.normalized } : {}),
        ...(hs.description ? { hsDescription: hs.description } : {}),
        ...(item.originCountry ? { originCountry: item.originCountry } : {}),
        quantity: item.quantity,
        unitValue: formatAmount(item.unitValue),
        lineValue: formatAmount(lineValue),
        currency: item.unitValue.currency,
        unitWeightGrams: item.unitWeightGrams,
        lineWeightGrams: info.lineGrams,
        flags: [],
      });
      return info;
    });
    this.total = { minor: total, currency: this.input.currency };
  }

  private netGrams(): number {
    return this.items.reduce((s, i) => s + i.lineGrams, 0);
  }

  private grossGrams(): number {
    return Math.max(this.input.grossWeightGrams ?? 0, this.netGrams());
  }

  private flag(info: ItemInfo, flag: string): void {
    const c = this.checked[info.index - 1];
    if (c && !c.flags.includes(flag)) c.flags.push(flag);
  }

  private excise(): ItemInfo[] {
    return this.items.filter((i) => i.subheading && isExciseGoods(i.subheading));
  }

  // ── forms ────────────────────────────────────────────────────────────────────────────────────

  private chooseForm(): Form {
    if (this.input.service === 'courier') {
      this.apply('COURIER-COMMERCIAL-INVOICE', 'courier shipment across a customs border: commercial invoice');
      return 'commercial-invoice';
    }
    const sdr = this.sdrValue(this.input.currency);
    const grams = this.grossGrams();
    const maxGrams = Number(RULES['UPU-CN22'].params.maxGrams);
    if (!sdr) {
      // Without the SDR value the form can only be decided by weight above 2 kg.
      if (grams > maxGrams) {
        this.apply('UPU-CN23', `gross weight ${grams} g is above ${maxGrams} g: CN 23`);
        return 'CN23';
      }
      return 'CN23';
    }
    const limit = rMul(parseDecimal(RULES['UPU-CN22'].params.sdrLimit), sdr.perSdr);
    const c = rCmp(toRatio(this.total), limit);
    this.thresholds.push({
      rule: c < 0 && grams <= maxGrams ? 'UPU-CN22' : 'UPU-CN23',
      basis: 'value of the contents (300 SDR)',
      value: { amount: formatAmount(this.total), currency: this.input.currency },
      threshold: { amount: formatAmount(fromRatio(limit, this.input.currency, 'ceil')), currency: this.input.currency }, // the smallest amount that is not below 300 SDR
      comparison: c < 0 ? 'below' : c === 0 ? 'at' : 'above',
      fx: { from: 'XDR', to: this.input.currency, rate: formatRatio(sdr.perSdr), rateDate: sdr.rateDate, source: 'IMF SDR basket × ' + sdr.source },
    });
    if (c < 0 && grams <= maxGrams) {
      this.apply('UPU-CN22', `contents ${formatAmount(this.total)} ${this.input.currency} < 300 SDR and ${grams} g ≤ ${maxGrams} g: CN 22`);
      return 'CN22';
    }
    const why = c >= 0 ? `contents ${formatAmount(this.total)} ${this.input.currency} ≥ 300 SDR` : `gross weight ${grams} g > ${maxGrams} g (a parcel, not a small packet)`;
    this.apply('UPU-CN23', `${why}: CN 23`);
    return 'CN23';
  }

  /** The value of 1 SDR in `currency` from the IMF basket at the shipment date's reference rates. */
  private sdrValue(currency: string): { perSdr: Ratio; rateDate: string; source: string } | undefined {
    const basket = RULES['IMF-SDR-BASKET-2022'];
    let perSdr: Ratio = ratio(0n);
    let rateDate = '';
    let source = '';
    for (const [ccy, amount] of Object.entries(basket.params)) {
      const a = parseDecimal(amount);
      if (ccy === currency) {
        perSdr = rAdd(perSdr, a);
        continue;
      }
      const q = this.fx(ccy, currency);
      if (!q) {
        this.error(
          'FX_RATE_MISSING',
          `no ${ccy}→${currency} exchange rate on or before ${this.input.date} to value 300 SDR: run \`merchant fx update\``,
          { rule: 'IMF-SDR-BASKET-2022' },
        );
        return undefined;
      }
      perSdr = rAdd(perSdr, rMul(a, q.rate));
      if (q.rateDate > rateDate) rateDate = q.rateDate;
      source = q.source;
    }
    const outcome = `1 SDR = ${formatRatio(perSdr, 6)} ${currency} on ${rateDate || this.input.date}`;
    this.apply('IMF-SDR-BASKET-2022', outcome);
    if (!inForce(basket, this.input.date)) {
      this.warn('SDR_BASKET_DATE', `the IMF SDR basket of 2022 applies 2022-08-01 to 2027-07-31; ${this.input.date} is outside it, the value is approximate`, { rule: 'IMF-SDR-BASKET-2022' });
    }
    return { perSdr, rateDate: rateDate || this.input.date, source: source || 'fixed' };
  }

  // ── destinations ─────────────────────────────────────────────────────────────────────────────

  private destination(t: Territory): Regime {
    if (euGoodsVat(t)) return this.eu(t, t.code === 'XI' ? 'GB-NI (EU rules, Windsor Framework)' : 'EU');
    switch (t.code) {
      case 'IC':
      case 'AX':
      case 'ATHOS':
        return this.euOutsideVat(t);
      case 'EA':
        return this.ceutaMelilla(t);
      case 'JE':
      case 'GG':
        return this.channelIslands(t, true);
      case 'GB':
      case 'IM':
        return this.uk();
      case 'US':
        return this.us();
      case 'AU':
        return this.lowValueGst('AU', 'AU-GST-LVG-1000', 'AU-IMPORT');
      case 'NZ':
        return this.lowValueGst('NZ', 'NZ-GST-LVG-1000', 'NZ-IMPORT');
      case 'NO':
        return this.norway();
      case 'CH':
      case 'LI':
        return this.switzerland();
      case 'CA':
        return this.canada();
      default:
        this.apply('NO-REGIME', `${t.code}: no destination rules encoded`);
        this.warn('NO_REGIME', `no customs rules are encoded for ${t.code}: duty and import VAT are assumed to apply; check the destination's thresholds`, { rule: 'NO-REGIME' });
        return { regime: t.code, vat: false, duty: true };
    }
  }

  /**
   * Across a VAT border inside one customs union (Germany → Canary Islands, Åland → Finland, GB →
   * Jersey): no customs duty, but a customs (fiscal) declaration, and the destination's VAT at import
   * — or, into the EU or UK VAT area, their low-value at-sale rules.
   */
  private vatBorder(from: Territory, to: Territory): Regime {
    const note = `${from.name} → ${to.name}: same customs union (${to.customs}), different VAT area: no customs duty, a declaration for VAT`;
    if (to.rule) this.apply(to.rule, note);
    else if (from.rule) this.apply(from.rule, note);
    if (euGoodsVat(to)) {
      const v = this.euVat();
      return { regime: `${to.code} (from ${from.name})`, vat: v, duty: false };
    }
    if (to.vat === 'UK') {
      const r = this.uk();
      return { ...r, duty: false };
    }
    if (to.code === 'JE' || to.code === 'GG') return this.channelIslands(to, false);
    this.collect(undefined);
    return { regime: to.code, vat: false, duty: false };
  }

  // ── European Union ───────────────────────────────────────────────────────────────────────────

  /** The IOSS test at the payment day's ECB rate; decides who collects the VAT. True = VAT at sale possible. */
  private euVat(): boolean {
    const pay = this.input.paymentDate ?? this.input.date;
    const foreign = this.input.currency !== 'EUR';
    if (foreign) this.apply('EU-IOSS-RATE-PAYMENT-DAY', `the EUR 150 test for VAT at sale uses the ECB rate of the payment day (${pay})`);
    const cmp = this.test('EU-IOSS-150', 'intrinsic value of the consignment (goods, excluding transport) for VAT at sale', this.total, '150', 'EUR', {
      date: pay,
      ...(foreign ? { rateBasis: `ECB rate of the payment day ${pay}` } : {}),
    });
    if (cmp === undefined) {
      this.collect(undefined);
      return false;
    }
    const low = cmp !== 'above';
    const excise = this.excise();
    if (low && excise.length === 0) {
      const d = this.collect(true);
      if (d.collector === 'import') this.apply('EU-IMPORT-VAT', `intrinsic value ${cmp} EUR 150, but no IOSS registration and no marketplace: import VAT at the border (special arrangements or standard import)`);
      else this.apply('EU-IOSS-150', `intrinsic value ${cmp} EUR 150: VAT charged at sale (${d.collector === 'marketplace' ? `${this.input.sale?.marketplace}'s` : 'your'} IOSS number on the declaration)`);
      return true;
    }
    if (low) this.apply('EXCISE-EXCLUDED', `excise goods (${excise.map((i) => i.label).join(', ')}): IOSS cannot be used`);
    this.apply('EU-IMPORT-VAT', low ? 'excise goods: import VAT at the border' : 'intrinsic value above EUR 150: import VAT at the border');
    this.collect(false);
    return false;
  }

  /**
   * The customs side of the EUR 150 test: the monthly customs rate (ECB, penultimate Wednesday of the
   * previous month). Returns the comparison (undefined without a rate).
   */
  private euCustomsValue(dutyRule: RuleId): ThresholdTest['comparison'] | undefined {
    if (this.input.currency === 'EUR') {
      const prior = this.thresholds.find((t) => t.rule === 'EU-IOSS-150');
      if (prior) return prior.comparison;
      return this.test(dutyRule, 'intrinsic value of the consignment (customs)', this.total, '150', 'EUR');
    }
    const day = customsRateDay(this.input.date);
    const basis = `EU monthly customs rate for ${day.month}: ECB of ${day.wednesday} (penultimate Wednesday of ${day.previousMonth}) or the latest earlier publication`;
    this.apply('EU-CUSTOMS-RATE-MONTHLY', `customs value converted at the ECB rate of ${day.wednesday} (or the latest earlier publication), valid for ${day.month}`);
    return this.test(dutyRule, 'intrinsic value of the consignment as customs values it (duty)', this.total, '150', 'EUR', { date: day.wednesday, rateBasis: basis });
  }

  private eu(to: Territory, regime: string): Regime {
    const vat = this.euVat();
    const duty = this.euDuty();
    const atSale = vat && this.decision?.collector !== 'import';
    if (this.input.incoterm === 'DDP' && (!atSale || duty.high)) this.requireId('EORI');
    if (!duty.high) this.nationalFees(to.code, this.input.date);
    if (inForce(RULES['EU-HS-REQUIRED'], this.input.date)) this.apply('EU-HS-REQUIRED', '6-digit HS code required on every item');
    return { regime, vat, duty: duty.applies };
  }

  /** Canary Islands, Åland, Mount Athos from outside the EU: EU customs duty rules, the local tax (not EU VAT) at import. */
  private euOutsideVat(to: Territory): Regime {
    if (to.rule) this.apply(to.rule, `${to.name}: EU customs duty rules; no EU VAT, IOSS does not apply — ${to.code === 'IC' ? 'IGIC' : to.code === 'AX' ? 'Finnish import VAT' : 'no VAT'} at import`);
    this.collect(undefined);
    const duty = this.euDuty();
    if (this.input.incoterm === 'DDP') this.requireId('EORI');
    return { regime: to.code, vat: false, duty: duty.applies };
  }

  private ceutaMelilla(to: Territory): Regime {
    this.apply('TERR-CEUTA-MELILLA', `${to.name}: outside the EU customs territory and VAT area — an export; IPSI at import, no EU duty`);
    this.collect(undefined);
    return { regime: 'EA', vat: false, duty: false };
  }

  private channelIslands(to: Territory, fromOutsideUkCustoms: boolean): Regime {
    const p = RULES['TERR-CHANNEL-ISLANDS'].params!;
    this.collect(undefined);
    let duty = false;
    if (fromOutsideUkCustoms) {
      const cmp = this.test('UK-DUTY-RELIEF-135', 'intrinsic value of the consignment (customs duty relief)', this.total, '135', 'GBP');
      duty = cmp === 'above';
    }
    if (to.code === 'JE' && inForce(RULES['TERR-CHANNEL-ISLANDS'], this.input.date)) {
      const base: Money = { minor: this.total.minor + this.input.shipping.minor, currency: this.input.currency };
      const cmp = this.test('TERR-CHANNEL-ISLANDS', 'goods and shipping (Jersey GST de minimis)', base, p.jerseyThreshold!, p.currency!);
      this.apply('TERR-CHANNEL-ISLANDS', cmp === 'above' ? `Jersey: above GBP ${p.jerseyThreshold}: 5% GST at import` : `Jersey: GBP ${p.jerseyThreshold} or less: no GST at import`);
    } else {
      this.apply('TERR-CHANNEL-ISLANDS', `${to.name}: no VAT or GST at import`);
    }
    return { regime: to.code, vat: false, duty };
  }

  /** The EU duty decision at the customs value: relief before 2026-07-01, the EUR 3 flat duty, or the tariff. */
  private euDuty(): { applies: boolean; high: boolean } {
    const date = this.input.date;
    const dutyRule: RuleId = inForce(RULES['EU-DUTY-RELIEF-150'], date) ? 'EU-DUTY-RELIEF-150' : inForce(RULES['EU-DUTY-FLAT-3'], date) ? 'EU-DUTY-FLAT-3' : 'EU-DUTY-TARIFF';
    const cmp = this.euCustomsValue(dutyRule);
    this.euCustoms = cmp;
    if (cmp === undefined) return { applies: true, high: true };
    const vatTest = this.thresholds.find((t) => t.rule === 'EU-IOSS-150');
    if (cmp === 'above' && vatTest && vatTest.comparison !== 'above' && this.input.currency !== 'EUR') {
      const customs = this.thresholds[this.thresholds.length - 1]!;
      this.warn('CUSTOMS_VALUE_ABOVE_150', `at the payment day's rate the goods are ${vatTest.value.amount} EUR (≤ 150, VAT at sale), but customs converts at the monthly rate of ${customs.fx?.rateDate}: ${customs.value.amount} EUR — above 150, so customs may refuse the IOSS declaration and charge duty at the tariff; state the EUR value at payment acceptance (${vatTest.value.amount} EUR) on the invoice, which customs should accept (AEAT low-value manual §3.1.5)`, { rule: 'EU-CUSTOMS-RATE-MONTHLY' });
    }
    const low = cmp !== 'above';
    const reliefExcluded = this.items.filter((i) => i.subheading && (isExciseGoods(i.subheading) || i.subheading.startsWith('3303')));
    if (!low) {
      this.apply('EU-DUTY-TARIFF', 'above EUR 150 at the customs rate: customs duty at the tariff rate of each CN code');
      return { applies: true, high: true };
    }
    if (dutyRule === 'EU-DUTY-RELIEF-150') {
      if (reliefExcluded.length) {
        this.apply('EU-DUTY-TARIFF', 'alcohol, perfume or tobacco are excluded from the EUR 150 relief: duty at the tariff rate');
        return { applies: true, high: false };
      }
      this.apply('EU-DUTY-RELIEF-150', `intrinsic value ${cmp} EUR 150 before 2026-07-01: no customs duty`);
      return { applies: false, high: false };
    }
    if (dutyRule === 'EU-DUTY-FLAT-3') return { applies: this.flatDuty(), high: false };
    this.apply('EU-DUTY-TARIFF', 'the EUR 150 relief was abolished on 2026-07-01 and the interim flat duty ended on 2028-06-30: duty at the tariff rate');
    return { applies: true, high: false };
  }

  /**
   * The EUR 3 flat duty: one charge per distinct tariff subheading — the 6-digit HS subheading in an
   * H6/H7 declaration, the 10-digit TARIC code in a full H1 declaration — except, in an H1 declaration
   * whose VAT is not collected under IOSS, goods claiming preferential origin. Returns whether duty applies.
   */
  private flatDuty(): boolean {
    const p = RULES['EU-DUTY-FLAT-3'].params!;
    const h1 = this.input.declarationType === 'H1';
    const ioss = this.decision?.collector !== 'import' && this.decision?.taxId?.kind === 'IOSS';
    const preferential = this.items.filter((i) => i.item.preferentialOrigin);
    let counted = this.items;
    if (preferential.length) {
      if (h1 && !ioss) {
        counted = this.items.filter((i) => !i.item.preferentialOrigin);
        this.apply('EU-DUTY-FLAT-3-PREFERENCE', `${preferential.map((i) => i.label).join(', ')}: preferential origin claimed in an H1 declaration without IOSS: the preferential tariff rate applies, not EUR 3`);
      } else {
        this.warn('PREFERENCE_NOT_IN_H7', `preferential origin (${preferential.map((i) => i.label).join(', ')}) takes the goods out of the EUR 3 duty only in a full H1 declaration whose VAT is not collected under IOSS; ${h1 ? 'this VAT is collected under IOSS' : `this is an ${this.input.declarationType ?? 'H7'} declaration`}, so EUR 3 applies`, { rule: 'EU-DUTY-FLAT-3-PREFERENCE' });
      }
    }
    const codes = new Set<string>();
    for (const i of counted) {
      if (h1) {
        const hs = checkHsCode(i.item.hsCode);
        if (hs.normalized && hs.normalized.length === 10 && !hs.problem) codes.add(hs.normalized);
        else {
          codes.add(i.subheading ?? `#${i.index}`);
          this.error('TARIC_REQUIRED', 'an H1 declaration needs the 10-digit TARIC code of every item (the EUR 3 duty is counted per distinct 10-digit code there)', { item: i, rule: 'EU-DUTY-FLAT-3' });
        }
      } else codes.add(i.subheading ?? `#${i.index}`);
    }
    const lines = codes.size;
    if (lines === 0) return preferential.length === 0;
    const per = parseDecimal(p.perSubheading!);
    const amount = fromRatio(rMul(per, ratio(BigInt(lines))), p.currency!, 'halfUp');
    const unit = h1 ? '10-digit TARIC code' : 'tariff subheading';
    this.apply('EU-DUTY-FLAT-3', `${lines} distinct ${unit}${lines === 1 ? '' : 's'} × EUR ${p.perSubheading} = EUR ${formatAmount(amount)}${h1 ? ' (H1: counted at 10 digits)' : ''}`);
    this.charges.push({ rule: 'EU-DUTY-FLAT-3', kind: 'duty', amount: formatAmount(amount), currency: p.currency!, basis: `${lines} × ${p.perSubheading} per distinct ${unit}` });
    return true;
  }

  private nationalFees(to: string, date: string): void {
    const fees: Array<[RuleId, string, (p: Record<string, string>) => { n: number; per: string }]> = [
      ['EU-FEE-RO', 'RO', () => ({ n: 1, per: 'parcel' })],
      ['EU-FEE-FR', 'FR', () => ({ n: this.items.length, per: 'declaration line' })],
      ['EU-FEE-IT', 'IT', () => ({ n: 1, per: 'parcel' })],
    ];
    for (const [id, country, count] of fees) {
      const r: RuleDef = RULES[id];
      const fee = r.params?.amount;
      const ccy = r.params?.currency;
      if (to !== country || !inForce(r, date) || !fee || !ccy) continue;
      const { n, per } = count(r.params ?? {});
      const amount = fromRatio(rMul(parseDecimal(fee), ratio(BigInt(n))), ccy, 'halfUp');
      this.apply(id, `${n} ${per}${n === 1 ? '' : 's'} × ${ccy} ${fee}`);
      this.charges.push({ rule: id, kind: 'fee', amount: formatAmount(amount), currency: ccy, basis: `${n} × ${fee} per ${per}` });
    }
  }

  private uk(): Regime {
    const pay = this.input.paymentDate ?? this.input.date;
    const cmp = this.test('UK-VAT-AT-SALE-135', 'intrinsic value of the consignment (goods, excluding transport and insurance)', this.total, '135', 'GBP', {
      date: pay,
      ...(this.input.currency !== 'GBP' ? { rateBasis: `rate of the sale (payment) day ${pay}` } : {}),
    });
    if (cmp === undefined) {
      this.collect(undefined);
      return { regime: 'UK', vat: false, duty: true };
    }
    const low = cmp !== 'above';
    const excise = this.excise();
    if (low && excise.length === 0) {
      const d = this.collect(true);
      this.apply('UK-VAT-AT-SALE-135', d.collector === 'import'
        ? `intrinsic value ${cmp} GBP 135, but no UK VAT registration and no marketplace: the buyer is charged VAT on import`
        : `intrinsic value ${cmp} GBP 135: UK VAT charged at sale by ${d.collector === 'marketplace' ? `${this.input.sale?.marketplace} (deemed supplier)` : 'you'}`);
      this.apply('UK-DUTY-RELIEF-135', `intrinsic value ${cmp} GBP 135: no customs duty`);
      if (d.collector === 'import' && this.input.incoterm === 'DDP') this.requireId('EORI');
      return { regime: 'UK', vat: true, duty: false };
    }
    if (low) this.apply('EXCISE-EXCLUDED', `excise goods (${excise.map((i) => i.label).join(', ')}): the £135 rules do not apply`);
    this.apply('UK-IMPORT-VAT-DUTY', low ? 'excise goods: import VAT and duty at the border' : 'intrinsic value above GBP 135: import VAT and duty at the border');
    this.collect(false);
    if (this.input.incoterm === 'DDP') this.requireId('EORI');
    return { regime: 'UK', vat: false, duty: true };
  }

  private us(): Regime {
    const date = this.input.date;
    if (inForce(RULES['US-HS-REQUIRED'], date)) this.apply('US-HS-REQUIRED', '6-digit HS code required on every article');
    const postal = this.input.service === 'postal';
    if (postal && inForce(RULES['US-POSTAL-DUTY-PREPAID'], date)) {
      this.apply('US-POSTAL-DUTY-PREPAID', 'postal item: the duty is paid before delivery through your postal operator (or a CBP-qualified party), not by the buyer on delivery');
    }
    if (inForce(RULES['US-HTS10-MAIL'], date)) {
      this.apply('US-HTS10-MAIL', postal ? 'informal mail entry: 10-digit HTSUS number required on every article' : 'the entry needs the 10-digit HTSUS number of every article');
    }
    if (inForce(RULES['US-DEMINIMIS-REPEALED'], date)) {
      this.apply('US-DEMINIMIS-REPEALED', 'no de minimis: duty on every parcel');
      return { regime: 'US', vat: false, duty: true };
    }
    if (inForce(RULES['US-DEMINIMIS-SUSPENDED'], date)) {
      this.apply('US-DEMINIMIS-SUSPENDED', 'de minimis suspended: duty on every parcel');
      return { regime: 'US', vat: false, duty: true };
    }
    const cnhk = inForce(RULES['US-DEMINIMIS-CN-HK'], date) ? this.items.filter((i) => ['CN', 'HK'].includes(i.item.originCountry ?? '')) : [];
    const cmp = this.test('US-DEMINIMIS-800', 'fair retail value of the shipment', this.total, '800', 'USD');
    if (cnhk.length) {
      this.apply('US-DEMINIMIS-CN-HK', `goods of Chinese/Hong Kong origin (${cnhk.map((i) => i.label).join(', ')}): dutiable`);
      return { regime: 'US', vat: false, duty: true };
    }
    if (cmp === undefined) return { regime: 'US', vat: false, duty: true };
    if (cmp !== 'above') {
      this.apply('US-DEMINIMIS-800', `value ${cmp} USD 800: duty-free under Section 321`);
      return { regime: 'US', vat: false, duty: false };
    }
    this.apply('US-DEMINIMIS-800', 'value above USD 800: formal or informal entry, dutiable');
    return { regime: 'US', vat: false, duty: true };
  }

  private lowValueGst(country: 'AU' | 'NZ', lowRule: 'AU-GST-LVG-1000' | 'NZ-GST-LVG-1000', importRule: 'AU-IMPORT' | 'NZ-IMPORT'): Regime {
    const p = RULES[lowRule].params!;
    if (!inForce(RULES[lowRule], this.input.date)) {
      this.apply(importRule, `before ${RULES[lowRule].effectiveFrom}: GST at the border`);
      this.collect(false);
      return { regime: country, vat: false, duty: true };
    }
    const pay = this.input.paymentDate ?? this.input.date;
    const cmp = this.test(lowRule, 'customs value of the consignment (excluding transport and insurance)', this.total, p.threshold!, p.currency!, {
      date: pay,
      ...(this.input.currency !== p.currency ? { rateBasis: `rate of the sale (payment) day ${pay}` } : {}),
    });
    const food = this.items.filter((i) => i.subheading && isFood(i.subheading));
    for (const f of food) this.warn('BIOSECURITY', `food is subject to ${country} biosecurity checks and may be refused or destroyed`, { item: f, rule: 'RESTRICTED-GOODS' });
    if (cmp === undefined) {
      this.collect(undefined);
      return { regime: country, vat: false, duty: true };
    }
    const low = cmp !== 'above';
    const excise = this.excise();
    if (low && excise.length === 0) {
      const d = this.collect(true);
      this.apply(lowRule, d.collector === 'import'
        ? `customs value ${cmp} ${p.currency} ${p.threshold}, but no GST registration and no marketplace: GST at the border`
        : `customs value ${cmp} ${p.currency} ${p.threshold}: GST charged at sale by ${d.collector === 'marketplace' ? `${this.input.sale?.marketplace} (deemed supplier)` : 'you'}, none at the border`);
      return { regime: country, vat: true, duty: false };
    }
    if (low) this.apply('EXCISE-EXCLUDED', `tobacco or alcohol (${excise.map((i) => i.label).join(', ')}): excluded from the low value goods rules`);
    this.apply(importRule, low ? 'excise goods: duty and GST at the border' : `customs value above ${p.currency} ${p.threshold}: duty and GST at the border`);
    this.collect(false);
    return { regime: country, vat: false, duty: true };
  }

  private norway(): Regime {
    const r = RULES['NO-VOEC-3000'];
    const p = r.params!;
    if (!inForce(r, this.input.date)) {
      this.apply('NO-IMPORT', 'before the VOEC scheme: VAT at the border');
      this.collect(false);
      return { regime: 'NO', vat: false, duty: true };
    }
    let low = 0;
    let high = 0;
    let worst: ItemInfo | undefined;
    const pay = this.input.paymentDate ?? this.input.date;
    for (const i of this.items) {
      const conv = this.convert(i.item.unitValue, p.currency, { date: pay });
      if (!conv) {
        this.collect(undefined);
        return { regime: 'NO', vat: false, duty: true };
      }
      if (rCmp(conv.value, parseDecimal(p.threshold!)) < 0) low++;
      else high++;
      if (!worst || rCmp(toRatio(i.item.unitValue), toRatio(worst.item.unitValue)) > 0) worst = i;
    }
    if (worst) this.test(high ? 'NO-IMPORT' : 'NO-VOEC-3000', `value per item (most valuable: ${worst.label})`, worst.item.unitValue, p.threshold, p.currency, { date: pay });
    const excluded = this.items.filter((i) => i.subheading && (isExciseGoods(i.subheading) || isFood(i.subheading)));
    if (high === 0 && excluded.length === 0) {
      const d = this.collect(true);
      this.apply('NO-VOEC-3000', d.collector === 'import'
        ? `every item below NOK ${p.threshold}, but no VOEC registration and no marketplace: VAT (and the carrier's fee) at the border`
        : `every item below NOK ${p.threshold}: VAT charged at sale under ${d.collector === 'marketplace' ? `${this.input.sale?.marketplace}'s` : 'your'} VOEC number, no duty`);
      return { regime: 'NO', vat: true, duty: false };
    }
    if (high && low) {
      this.warn('MIXED_CONSIGNMENT', `items below and at/above NOK ${p.threshold} in one parcel: ship the low-value goods (VOEC) separately, or import VAT is charged on everything`, { rule: 'NO-IMPORT' });
    }
    if (excluded.length && high === 0) {
      this.apply('EXCISE-EXCLUDED', `food or excise goods (${excluded.map((i) => i.label).join(', ')}) are excluded from VOEC`);
    }
    this.apply('NO-IMPORT', high ? `an item at or above NOK ${p.threshold}: import VAT and duty at the border` : 'goods excluded from VOEC: import VAT and duty at the border');
    this.collect(false);
    return { regime: 'NO', vat: false, duty: true };
  }

  private switzerland(): Regime {
    const date = this.input.date;
    const vatRuleId: RuleId = inForce(RULES['CH-VAT-SMALL-AMOUNT'], date) ? 'CH-VAT-SMALL-AMOUNT' : 'CH-VAT-SMALL-AMOUNT-2018';
    const p = RULES[vatRuleId].params;
    const reduced = this.items.length > 0 && this.items.every((i) => i.subheading && isSwissReducedRate(i.subheading));
    const threshold = reduced ? p.reducedThreshold : p.standardThreshold;
    const base: Money = { minor: this.total.minor + this.input.shipping.minor, currency: this.input.currency };
    const cmp = this.test(vatRuleId, `goods value including transport (import VAT base, ${reduced ? 'reduced' : 'standard'} rate)`, base, threshold, p.currency);
    let vat = false;
    const d = this.collect(true);
    if (d.collector !== 'import') {
      this.apply(d.rule, d.collector === 'marketplace' ? d.reason : 'seller registered for Swiss VAT: Swiss VAT charged at sale, seller is the importer');
      vat = true;
    } else if (cmp !== undefined) {
      this.apply(vatRuleId, cmp === 'above' ? `VAT base above CHF ${threshold}: import VAT at the border` : `VAT base ${cmp} CHF ${threshold}: import VAT of CHF 5 or less is not collected`);
    }
    let duty = true;
    if (inForce(RULES['CH-INDUSTRIAL-TARIFF-ZERO'], date)) {
      const agri = this.items.filter((i) => !i.subheading || isAgricultural(i.subheading));
      if (agri.length === 0) {
        this.apply('CH-INDUSTRIAL-TARIFF-ZERO', 'industrial goods only: no customs duty');
        duty = false;
      } else {
        this.apply('CH-INDUSTRIAL-TARIFF-ZERO', `agricultural goods or unclassified items (${agri.map((i) => i.label).join(', ')}): dutiable`);
        this.apply('CH-DUTY-TARIFF', 'customs duty by gross weight on the agricultural lines');
      }
    } else {
      this.apply('CH-DUTY-TARIFF', 'customs duty by gross weight per tariff line');
    }
    return { regime: 'CH', vat, duty };
  }

  private canada(): Regime {
    const inp = this.input;
    const basis = 'value for duty of the shipment';
    if (inp.service === 'postal') {
      const p = RULES['CA-MAIL-20'].params;
      const cmp = this.test('CA-MAIL-20', basis, this.total, p.threshold, p.currency);
      if (cmp === undefined) return { regime: 'CA', vat: false, duty: true };
      const free = cmp !== 'above';
      this.apply('CA-MAIL-20', free ? `value ${cmp} CAD 20: free of duty and tax` : 'value above CAD 20: duty and GST/HST at the border');
      return { regime: 'CA', vat: false, duty: !free };
    }
    const cusma = ['US', 'MX'].includes(inp.from.country) && inForce(RULES['CA-COURIER-CUSMA'], inp.date);
    if (cusma) {
      const p = RULES['CA-COURIER-CUSMA'].params;
      const tax = this.test('CA-COURIER-CUSMA', `${basis} (tax threshold)`, this.total, p.taxThreshold, p.currency);
      const dut = this.test('CA-COURIER-CUSMA', `${basis} (duty threshold)`, this.total, p.dutyThreshold, p.currency);
      if (tax === undefined || dut === undefined) return { regime: 'CA-CUSMA', vat: false, duty: true };
      const outcome =
        tax !== 'above'
          ? `value ${tax} CAD ${p.taxThreshold}: free of duty and tax`
          : dut !== 'above'
            ? `value between CAD ${p.taxThreshold}.01 and ${p.dutyThreshold}: duty-free, GST/HST at the border`
            : `value above CAD ${p.dutyThreshold}: duty and GST/HST at the border`;
      this.apply('CA-COURIER-CUSMA', outcome);
      return { regime: 'CA-CUSMA', vat: false, duty: dut === 'above' };
    }
    const p = RULES['CA-COURIER-20'].params;
    const cmp = this.test('CA-COURIER-20', basis, this.total, p.threshold, p.currency);
    if (cmp === undefined) return { regime: 'CA', vat: false, duty: true };
    const free = cmp !== 'above';
    this.apply('CA-COURIER-20', free ? `value ${cmp} CAD 20: free of duty and tax` : 'value above CAD 20: duty and GST/HST at the border');
    return { regime: 'CA', vat: false, duty: !free };
  }

  // ── goods, ids, incoterm ─────────────────────────────────────────────────────────────────────

  private hsRequired(form: Form): RuleId | undefined {
    const d = this.input.date;
    const to = this.toT;
    if (form === 'commercial-invoice') return 'COURIER-COMMERCIAL-INVOICE';
    if ((to.customs === 'EU' || to.code === 'XI') && inForce(RULES['EU-HS-REQUIRED'], d)) return 'EU-HS-REQUIRED';
    if (to.code === 'US' && inForce(RULES['US-HS-REQUIRED'], d)) return 'US-HS-REQUIRED';
    if (this.input.contentsType === 'merchandise') return 'HS-COMMERCIAL';
    return undefined;
  }

  private checkGoods(form: Form): void {
    const required = this.hsRequired(form);
    const postal = this.input.service === 'postal';
    const usHts10 = this.toT.code === 'US' && inForce(RULES['US-HTS10-MAIL'], this.input.date);
    const productIds = this.productIdentifiers();
    this.apply('HS2022', 'HS codes checked against the HS 2022 subheadings');
    if (this.input.contentsType === 'gift') {
      this.apply('GIFT-FROM-BUSINESS', 'declared as a gift');
      this.warn('GIFT_DECLARED', 'declared as a gift: gift reliefs apply only between private individuals; goods you sold are "merchandise" (sale of goods), and a false gift declaration can be penalised', { rule: 'GIFT-FROM-BUSINESS' });
    }
    if (this.input.date >= '2028-01-01') {
      this.warn('HS_2028', 'HS 2028 replaces HS 2022 on 2028-01-01: some codes may have changed; this table is HS 2022', { rule: 'HS2022' });
    }
    for (const info of this.items) {
      const { item } = info;
      // Description
      if (!item.description.trim()) this.error('DESCRIPTION_MISSING', 'a description of what the item is is required', { item: info, rule: 'DESCRIPTION-SPECIFIC' });
      else if (isVagueDescription(item.description)) {
        this.apply('DESCRIPTION-SPECIFIC', `"${item.description}" is too vague`);
        this.warn('VAGUE_DESCRIPTION', `"${item.description}" does not say what the item is (customs reject words like "gift", "parts", "clothing"): describe it, e.g. "cotton T-shirt"`, { item: info, rule: 'DESCRIPTION-SPECIFIC' });
      }
      // HS code
      const hs = checkHsCode(item.hsCode);
      if (hs.problem === 'missing') {
        if (required) {
          this.apply(required, 'HS code required');
          this.error('HS_MISSING', `a 6-digit HS code is required (${RULES[required].id})`, { item: info, rule: required });
        }
        else this.warn('HS_MISSING', 'no HS code: add the 6-digit HS code so customs do not hold the parcel', { item: info, rule: 'HS2022' });
      } else if (hs.problem === 'format') {
        this.error('HS_INVALID', `HS code "${item.hsCode}" must contain digits only (dots and spaces are allowed)`, { item: info, rule: 'HS2022' });
      } else if (hs.problem === 'length') {
        this.error('HS_INVALID', `HS code "${item.hsCode}" has ${hs.normalized?.length} digits; use 6, 8 or 10`, { item: info, rule: 'HS2022' });
      } else if (hs.problem === 'unknown') {
        this.error('HS_UNKNOWN', `HS code "${item.hsCode}": ${hs.subheading} is not an HS 2022 subheading`, { item: info, rule: 'HS2022' });
      }
      if (usHts10 && !hs.problem && hs.normalized?.length !== 10) {
        const msg = `HS code "${item.hsCode}" has ${hs.normalized?.length} digits; the US entry needs the 10-digit HTSUS number (e.g. 6912.00.4810)`;
        if (postal) this.error('HTS10_REQUIRED', `${msg} on every postal article since 2026-07-24`, { item: info, rule: 'US-HTS10-MAIL' });
        else this.warn('HTS10_REQUIRED', `${msg}: give it so the broker does not guess`, { item: info, rule: 'US-HTS10-MAIL' });
      }
      if (productIds) this.checkProductIds(info, productIds);
      // Origin, value
      if (!item.originCountry) this.error('ORIGIN_MISSING', 'the country of origin is required', { item: info });
      if (item.unitValue.minor <= 0n) this.error('VALUE_ZERO', 'a customs value above zero is required (samples: a fair nominal value)', { item: info });
      // Lithium
      this.checkLithium(info, postal);
      // Restricted
      if (info.subheading) {
        const rc = restrictedClass(info.subheading);
        if (rc) {
          this.flag(info, rc.code);
          this.apply('RESTRICTED-GOODS', `${rc.label}`);
          this.warn('RESTRICTED_GOODS', `${rc.label}: restricted or prohibited in many destinations and carriers; check the destination's list before shipping`, { item: info, rule: 'RESTRICTED-GOODS' });
        }
        if (isExciseGoods(info.subheading)) this.flag(info, 'EXCISE');
      }
    }
  }

  /**
   * EU product identifiers on low-value distance-sale declarations: 'voluntary' from 2026-07-01,
   * 'mandatory' from 2026-11-01; undefined when they do not apply (not the EU, above EUR 150, not a sale).
   */
  private productIdentifiers(): 'voluntary' | 'mandatory' | undefined {
    if (!(this.toT.customs === 'EU' || this.toT.code === 'XI') || this.input.contentsType !== 'merchandise') return undefined;
    const r = RULES['EU-PRODUCT-IDENTIFIERS'];
    const date = this.input.date;
    const mode = inForce(r, date) ? 'mandatory' : date >= r.params!.voluntaryFrom! ? 'voluntary' : undefined;
    if (!mode) return undefined;
    if (this.euCustoms === 'above') return undefined;
    this.apply('EU-PRODUCT-IDENTIFIERS', mode === 'mandatory'
      ? 'consignment ≤ EUR 150: every item needs the merchant\'s product identifier (SKU) and the manufacturer\'s (GTIN where it has one)'
      : 'consignment ≤ EUR 150: product identifiers are voluntary until 2026-10-31, mandatory from 2026-11-01');
    return mode;
  }

  private checkProductIds(info: ItemInfo, mode: 'voluntary' | 'mandatory'): void {
    const { item } = info;
    const missing: string[] = [];
    if (!item.sku) missing.push('the merchant product identifier (your SKU)');
    if (!item.gtin && !item.manufacturerCode) missing.push('the manufacturer product identifier (the GTIN/EAN/UPC where the product has one, else the manufacturer\'s code)');
    if (!missing.length) return;
    const text = `the EU declaration ${mode === 'mandatory' ? 'needs' : 'will need (from 2026-11-01)'} ${missing.join(' and ')}`;
    if (mode === 'mandatory' && !item.sku) this.error('PRODUCT_ID_MISSING', text, { item: info, rule: 'EU-PRODUCT-IDENTIFIERS' });
    else this.warn('PRODUCT_ID_MISSING', text, { item: info, rule: 'EU-PRODUCT-IDENTIFIERS' });
  }

  private checkLithium(info: ItemInfo, postal: boolean): void {
    const { item } = info;
    const fromHs = info.subheading ? lithiumFromHs(info.subheading) : undefined;
    const packing = item.battery ?? (fromHs === 'cells-alone' ? 'loose' : undefined);
    if (packing === undefined || packing === 'none') {
      if (packing === undefined && mentionsBattery(item.description)) {
        this.warn('BATTERY_UNDECLARED', 'the description mentions a battery: declare "battery": "installed" | "packed" | "loose" | "none"', { item: info, rule: 'LITHIUM-POSTAL' });
      }
      return;
    }
    const metal = item.batteryChemistry === 'lithium-metal';
    const un = packing === 'loose' ? (metal ? 'UN3090' : 'UN3480') : metal ? 'UN3091' : 'UN3481';
    this.flag(info, `LITHIUM:${un}`);
    if (postal) {
      if (packing === 'installed') {
        this.apply('LITHIUM-POSTAL', `lithium battery installed in equipment (${un}): accepted in limited quantities`);
        this.warn('LITHIUM_BATTERY', `lithium battery installed in equipment (${un}, PI ${metal ? '970' : '967'}): accepted in international mail in limited quantities; no lithium or Class 9 label on international mail`, { item: info, rule: 'LITHIUM-POSTAL' });
      } else {
        this.apply('LITHIUM-POSTAL', `lithium battery ${packing === 'loose' ? 'alone' : 'packed with equipment'} (${un}): refused in international mail`);
        this.error('LITHIUM_POSTAL', `lithium batteries ${packing === 'loose' ? 'on their own' : 'packed with (not installed in) equipment'} (${un}) are refused in international mail: ship by courier as dangerous goods, or install the battery`, { item: info, rule: 'LITHIUM-POSTAL' });
      }
      return;
    }
    const soc = inForce(RULES['LITHIUM-IATA-SOC-2026'], this.input.date);
    if (soc) this.apply('LITHIUM-IATA-SOC-2026', `${un}: dangerous goods declaration`);
    const note =
      packing === 'loose'
        ? 'cargo aircraft only, at most 30% state of charge'
        : packing === 'packed' && soc
          ? 'at most 30% state of charge above 2.7 Wh (mandatory since 2026-01-01)'
          : 'Section II marking rules apply';
    this.warn('LITHIUM_BATTERY', `lithium battery ${packing} (${un}): declare it to the carrier as dangerous goods; ${note}`, { item: info, rule: soc ? 'LITHIUM-IATA-SOC-2026' : 'LITHIUM-POSTAL' });
  }

  private checkIncoterm(duty: boolean): void {
    const inp = this.input;
    const usPost = this.toT.code === 'US' && inp.service === 'postal' && inForce(RULES['US-POSTAL-DUTY-PREPAID'], inp.date);
    if (usPost) {
      if (inp.incoterm === 'DAP') {
        this.warn('US_POSTAL_DUTY_PREPAID', 'DAP by post to the US: the buyer cannot pay the duty on delivery — your postal operator (or a CBP-qualified party) collects it from you before the parcel travels; include it in your price, or the post refuses the item', { rule: 'US-POSTAL-DUTY-PREPAID' });
      }
      return;
    }
    if (inp.service === 'postal' && inp.incoterm === 'DDP') {
      this.warn('DDP_POSTAL', 'postal services deliver duties unpaid (DAP/DDU); DDP needs a courier or a postal DDP service', { rule: 'COURIER-COMMERCIAL-INVOICE' });
    }
    if (inp.incoterm === 'DAP' && duty) {
      if (this.toT.code === 'US' && (inForce(RULES['US-DEMINIMIS-SUSPENDED'], inp.date) || inForce(RULES['US-DEMINIMIS-REPEALED'], inp.date))) {
        this.warn('BUYER_PAYS_DUTY', 'DAP to the US: the buyer pays duty and the carrier\'s fee on delivery for every parcel; consider DDP', { rule: 'US-DEMINIMIS-SUSPENDED' });
      } else if (this.decision?.collector !== 'import' && this.applied.has('EU-DUTY-FLAT-3')) {
        this.warn('BUYER_PAYS_DUTY', 'DAP: the buyer pays the EUR 3 per-line duty (and the carrier\'s fee) on delivery; consider DDP', { rule: 'EU-DUTY-FLAT-3' });
      }
    }
  }

  private checkExport(from: string, to: string): void {
    if (from !== 'US' || to === 'US') return;
    const r = RULES['US-EXPORT-EEI'];
    const byCode = new Map<string, Money>();
    for (const i of this.items) {
      const k = i.subheading ?? `#${i.index}`;
      const prev = byCode.get(k);
      byCode.set(k, prev ? { minor: prev.minor + i.lineValue.minor, currency: prev.currency } : i.lineValue);
    }
    let over = false;
    for (const [code, v] of byCode) {
      const conv = this.convert(v, 'USD');
      if (conv && rCmp(conv.value, parseDecimal(r.params.threshold)) > 0) {
        over = true;
        this.warn('AES_REQUIRED', `export line ${code} is above USD 2,500: file EEI in AES and give the ITN (NOEEI does not apply)`, { rule: 'US-EXPORT-EEI' });
      }
    }
    this.apply('US-EXPORT-EEI', over ? 'a Schedule B line above USD 2,500: AES ITN required' : to === 'CA' ? 'NOEEI 30.36 (Canada)' : 'NOEEI 30.37(a)');
  }

  private checkIds(): void {
    if (this.requiredIds.includes('EORI')) this.checkEori();
    for (const decl of this.declarationIds) {
      const fmt = ID_FORMATS[decl.id];
      if (!fmt || !decl.number || decl.id === 'EORI') continue;
      const raw = decl.holder === 'seller' && decl.id === 'CHVAT' ? (this.input.seller.chVat ?? '').toUpperCase() : decl.number;
      if (!fmt.re.test(raw)) {
        const whose = decl.holder === 'marketplace' ? `the marketplace's ${fmt.label}` : fmt.label;
        this.error('ID_INVALID', `${whose} "${decl.number}" is not in the expected format (e.g. ${fmt.example})`);
      }
    }
  }

  /**
   * The importer's EORI must be valid where the goods are imported: an EU member state's for the EU,
   * GB for Great Britain, XI (or an EU one) for Northern Ireland. A seller may hold several.
   */
  private checkEori(): void {
    const s = this.input.seller;
    const fmt = ID_FORMATS.EORI!;
    const candidates = [s.eori, ...(s.eoris ?? [])].filter((v): v is string => Boolean(v)).map((v) => v.replace(/[\s.-]+/g, '').toUpperCase());
    const to = this.toT;
    const area: 'EU' | 'XI' | 'GB' | undefined = to.code === 'XI' ? 'XI' : to.customs === 'EU' ? 'EU' : to.customs === 'UK' ? 'GB' : undefined;
    const ruleId: RuleId | undefined = area === 'GB' ? 'UK-EORI' : area ? 'EU-EORI' : undefined;
    const where = area === 'GB' ? 'Great Britain' : area === 'XI' ? 'Northern Ireland' : area === 'EU' ? `the EU (${to.name})` : to.name;
    if (!candidates.length) {
      this.warn('ID_MISSING', `an import into ${where} under DDP makes you the importer: your EORI number goes on the declaration and none is configured — set it with \`merchant onboard\` (or "seller": {"eori": …} in the parcel file, or --eori)`, ruleId ? { rule: ruleId } : {});
      return;
    }
    const bad = candidates.filter((c) => !fmt.re.test(c));
    for (const b of bad) this.error('ID_INVALID', `EORI number "${b}" is not in the expected format (e.g. ${fmt.example})`, ruleId ? { rule: ruleId } : {});
    const ok = candidates.filter((c) => fmt.re.test(c));
    if (!ok.length) return;
    const prefix = (c: string) => c.slice(0, 2);
    const fits = (c: string) =>
      area === 'GB' ? prefix(c) === 'GB' && /^GB\d{12}$/.test(c)
        : area === 'EU' ? EU_COUNTRIES.has(prefix(c)) || prefix(c) === 'EL'
          : area === 'XI' ? prefix(c) === 'XI' || EU_COUNTRIES.has(prefix(c))
            : true;
    const chosen = ok.find(fits);
    if (!chosen) {
      const need = area === 'GB' ? 'a GB EORI (GB + 12 digits, from HMRC: gov.uk/eori)' : area === 'XI' ? 'an XI EORI (from HMRC) or one issued by an EU member state' : 'an EORI issued by an EU member state (e.g. DE…, SE…; apply where you first import, or use a customs representative\'s)';
      this.error('EORI_WRONG_AREA', `an import into ${where} under DDP needs ${need}; ${ok.join(', ')} ${ok.length === 1 ? 'is' : 'are'} not valid there — add the right one as "seller": {"eori": […]} in the parcel file or --eori`, ruleId ? { rule: ruleId } : {});
      return;
    }
    if (ruleId) this.apply(ruleId, `importer's EORI ${chosen} is valid for ${where}`);
    this.declarationIds.push({ id: 'EORI', holder: 'seller', number: chosen });
  }

  /**
   * The declared goods value against what the buyer paid. A unit value is the line total divided by the
   * quantity and rounded, so each line may differ from its total by up to half a minor unit per unit:
   * only a difference beyond that is a mismatch.
   */
  private checkValue(): void {
    const ov = this.input.orderValue;
    if (!ov || ov.currency !== this.total.currency) return;
    const diff = ov.minor > this.total.minor ? ov.minor - this.total.minor : this.total.minor - ov.minor;
    const units = this.items.reduce((n, i) => n + BigInt(i.item.quantity), 0n);
    if (2n * diff > units) {
      this.warn('VALUE_MISMATCH', `declared goods value ${formatAmount(this.total)} ${this.total.currency} differs from the order's ${formatAmount(ov)} ${ov.currency}: declare what the buyer paid`);
    }
  }
}

export function checkCustoms(input: CustomsInput, fx: FxLookup): CustomsResult {
  return new CustomsEngine(input, fx).run();
}
