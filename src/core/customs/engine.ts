// The customs rules engine: one parcel in, the declaration's decisions out — which form, whether VAT
// was charged at sale, which registration numbers must appear, whether duty applies, and every rule
// that decided it (with its effective date and source). Pure: exchange rates come in as a function,
// the rules' thresholds and dates come from rules.ts. Values are compared exactly (Ratio), never
// rounded before a threshold test.

import { formatAmount, formatRatio, fromRatio, parseDecimal, rAdd, rCmp, rMul, ratio, toRatio, type Money, type Ratio } from '../money.js';
import { EU_COUNTRIES } from '../currencies.js';
import { RULES, inForce, type RuleDef, type RuleId } from './rules.js';
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
  Finding,
  Form,
  FxLookup,
  ThresholdTest,
} from './types.js';

/** Territories inside another country's customs (and VAT) area. */
const CUSTOMS_TERRITORY: Record<string, string> = { MC: 'FR', LI: 'CH' };

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

  /** Exact value of `m` in `to`, with the quote used. Undefined (and an error) when no rate is known. */
  private convert(m: Money, to: string): { value: Ratio; quote?: ThresholdTest['fx'] } | undefined {
    if (m.currency === to) return { value: toRatio(m) };
    const q = this.fx(m.currency, to);
    if (!q) {
      const key = `${m.currency}/${to}`;
      if (!this.missingFx.has(key)) {
        this.missingFx.add(key);
        this.error(
          'FX_RATE_MISSING',
          `no ${m.currency}→${to} exchange rate on or before ${this.input.date}: run \`merchant fx update\` (or \`merchant fx update --rate ${m.currency}/${to}=… --date ${this.input.date}\`)`,
        );
      }
      return undefined;
    }
    return {
      value: rMul(toRatio(m), q.rate),
      quote: { from: m.currency, to, rate: formatRatio(q.rate), rateDate: q.rateDate, source: q.source },
    };
  }

  /** Compare `m` with a threshold in the threshold's currency; records the test. */
  private test(ruleId: RuleId, basis: string, m: Money, threshold: string, currency: string): ThresholdTest['comparison'] | undefined {
    const conv = this.convert(m, currency);
    if (!conv) return undefined;
    const t = parseDecimal(threshold);
    const c = rCmp(conv.value, t);
    const comparison = c < 0 ? 'below' : c === 0 ? 'at' : 'above';
    this.thresholds.push({
      rule: ruleId,
      basis,
      value: { amount: formatAmount(fromRatio(conv.value, currency, 'halfUp')), currency },
      threshold: { amount: formatAmount(fromRatio(t, currency, 'halfUp')), currency },
      comparison,
      ...(conv.quote ? { fx: conv.quote } : {}),
    });
    return comparison;
  }

  // ── the check ────────────────────────────────────────────────────────────────────────────────

  run(): CustomsResult {
    const inp = this.input;
    const from = CUSTOMS_TERRITORY[inp.from.country] ?? inp.from.country;
    const to = CUSTOMS_TERRITORY[inp.to.country] ?? inp.to.country;
    this.prepareItems();

    const domestic = from === to;
    const intraEu = !domestic && EU_COUNTRIES.has(from) && EU_COUNTRIES.has(to);
    let form: Form = 'none';
    let vatCollectedAtSale = true;
    let dutyApplies = false;
    let regime: string;

    if (domestic) {
      regime = 'domestic';
      this.apply('DOMESTIC', `${inp.from.country} → ${inp.to.country}: no customs declaration`);
    } else if (intraEu) {
      regime = 'EU-intra';
      this.apply('EU-INTRA', `${inp.from.country} → ${inp.to.country} inside the EU: no customs declaration`);
    } else {
      form = this.chooseForm();
      const d = this.destination(to);
      regime = d.regime;
      vatCollectedAtSale = d.vat;
      dutyApplies = d.duty;
      this.checkGoods(to, form);
      this.checkIncoterm(to, vatCollectedAtSale, dutyApplies);
      this.checkExport(from, to);
      this.checkIds();
      this.checkValue();
    }

    return {
      ok: this.errors.length === 0,
      form,
      vatCollectedAtSale,
      requiredIds: this.requiredIds,
      dutyApplies,
      errors: this.errors,
      warnings: this.warnings,
      rules: [...this.applied.values()],
      date: inp.date,
      from: inp.from.country,
      to: inp.to.country,
      regime,
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

  private distinctSubheadings(): number {
    const set = new Set<string>();
    for (const i of this.items) set.add(i.subheading ?? `#${i.index}`);
    return set.size;
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

  private destination(to: string): { regime: string; vat: boolean; duty: boolean } {
    if (EU_COUNTRIES.has(to)) return this.eu(to, 'EU');
    if (to === 'GB') {
      if (/^BT/i.test(this.input.to.postalCode ?? '')) return this.eu(to, 'GB-NI (EU rules, Windsor Framework)');
      return this.uk();
    }
    switch (to) {
      case 'US':
        return this.us();
      case 'AU':
        return this.lowValueGst('AU', 'AU-GST-LVG-1000', 'AU-IMPORT', 'ARN');
      case 'NZ':
        return this.lowValueGst('NZ', 'NZ-GST-LVG-1000', 'NZ-IMPORT', 'NZGST');
      case 'NO':
        return this.norway();
      case 'CH':
        return this.switzerland();
      case 'CA':
        return this.canada();
      default:
        this.apply('NO-REGIME', `${to}: no destination rules encoded`);
        this.warn('NO_REGIME', `no customs rules are encoded for ${to}: duty and import VAT are assumed to apply; check the destination's thresholds`, { rule: 'NO-REGIME' });
        return { regime: to, vat: false, duty: true };
    }
  }

  private eu(to: string, regime: string): { regime: string; vat: boolean; duty: boolean } {
    const date = this.input.date;
    const cmp = this.test('EU-IOSS-150', 'intrinsic value of the consignment (goods, excluding transport)', this.total, '150', 'EUR');
    if (cmp === undefined) return { regime, vat: false, duty: true };
    const low = cmp !== 'above';
    const excise = this.excise();
    let vat: boolean;
    if (low && excise.length === 0) {
      this.apply('EU-IOSS-150', `intrinsic value ${cmp} EUR 150: VAT charged at sale, IOSS number on the declaration`);
      this.requireId('IOSS');
      vat = true;
    } else {
      if (low) this.apply('EXCISE-EXCLUDED', `excise goods (${excise.map((i) => i.label).join(', ')}): IOSS cannot be used`);
      this.apply('EU-IMPORT-VAT', low ? 'excise goods: import VAT at the border' : `intrinsic value above EUR 150: import VAT at the border`);
      vat = false;
    }

    let duty: boolean;
    const reliefExcluded = this.items.filter((i) => i.subheading && (isExciseGoods(i.subheading) || i.subheading.startsWith('3303')));
    if (!low) {
      this.apply('EU-DUTY-TARIFF', 'above EUR 150: customs duty at the tariff rate of each CN code');
      duty = true;
    } else if (inForce(RULES['EU-DUTY-RELIEF-150'], date)) {
      if (reliefExcluded.length) {
        this.apply('EU-DUTY-TARIFF', 'alcohol, perfume or tobacco are excluded from the EUR 150 relief: duty at the tariff rate');
        duty = true;
      } else {
        this.apply('EU-DUTY-RELIEF-150', `intrinsic value ${cmp} EUR 150 before 2026-07-01: no customs duty`);
        duty = false;
      }
    } else if (inForce(RULES['EU-DUTY-FLAT-3'], date)) {
      const lines = this.distinctSubheadings();
      const p = RULES['EU-DUTY-FLAT-3'].params;
      const per = parseDecimal(p.perSubheading);
      const amount = fromRatio(rMul(per, ratio(BigInt(lines))), p.currency, 'halfUp');
      this.apply('EU-DUTY-FLAT-3', `${lines} distinct tariff subheading${lines === 1 ? '' : 's'} × EUR ${p.perSubheading} = EUR ${formatAmount(amount)}`);
      this.charges.push({ rule: 'EU-DUTY-FLAT-3', kind: 'duty', amount: formatAmount(amount), currency: p.currency, basis: `${lines} × ${p.perSubheading} per distinct tariff subheading` });
      duty = true;
    } else {
      this.apply('EU-DUTY-TARIFF', 'the EUR 150 relief was abolished on 2026-07-01 and the interim flat duty ended on 2028-06-30: duty at the tariff rate');
      duty = true;
    }
    if (!low && this.input.incoterm === 'DDP') this.requireId('EORI');

    if (low) this.nationalFees(to, date);
    if (inForce(RULES['EU-HS-REQUIRED'], date)) this.apply('EU-HS-REQUIRED', '6-digit HS code required on every item');
    return { regime, vat, duty };
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

  private uk(): { regime: string; vat: boolean; duty: boolean } {
    const cmp = this.test('UK-VAT-AT-SALE-135', 'intrinsic value of the consignment (goods, excluding transport and insurance)', this.total, '135', 'GBP');
    if (cmp === undefined) return { regime: 'UK', vat: false, duty: true };
    const low = cmp !== 'above';
    const excise = this.excise();
    if (low && excise.length === 0) {
      this.apply('UK-VAT-AT-SALE-135', `intrinsic value ${cmp} GBP 135: UK VAT charged at sale`);
      this.apply('UK-DUTY-RELIEF-135', `intrinsic value ${cmp} GBP 135: no customs duty`);
      this.requireId('UKVAT');
      return { regime: 'UK', vat: true, duty: false };
    }
    if (low) this.apply('EXCISE-EXCLUDED', `excise goods (${excise.map((i) => i.label).join(', ')}): the £135 rules do not apply`);
    this.apply('UK-IMPORT-VAT-DUTY', low ? 'excise goods: import VAT and duty at the border' : 'intrinsic value above GBP 135: import VAT and duty at the border');
    if (this.input.incoterm === 'DDP') this.requireId('EORI');
    return { regime: 'UK', vat: false, duty: true };
  }

  private us(): { regime: string; vat: boolean; duty: boolean } {
    const date = this.input.date;
    if (inForce(RULES['US-HS-REQUIRED'], date)) this.apply('US-HS-REQUIRED', '6-digit HS code required on every article');
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

  private lowValueGst(
    country: 'AU' | 'NZ',
    lowRule: 'AU-GST-LVG-1000' | 'NZ-GST-LVG-1000',
    importRule: 'AU-IMPORT' | 'NZ-IMPORT',
    id: string,
  ): { regime: string; vat: boolean; duty: boolean } {
    const p = RULES[lowRule].params;
    if (!inForce(RULES[lowRule], this.input.date)) {
      this.apply(importRule, `before ${RULES[lowRule].effectiveFrom}: GST at the border`);
      return { regime: country, vat: false, duty: true };
    }
    const cmp = this.test(lowRule, 'customs value of the consignment (excluding transport and insurance)', this.total, p.threshold, p.currency);
    const food = this.items.filter((i) => i.subheading && isFood(i.subheading));
    for (const f of food) this.warn('BIOSECURITY', `food is subject to ${country} biosecurity checks and may be refused or destroyed`, { item: f, rule: 'RESTRICTED-GOODS' });
    if (cmp === undefined) return { regime: country, vat: false, duty: true };
    const low = cmp !== 'above';
    const excise = this.excise();
    if (low && excise.length === 0) {
      this.apply(lowRule, `customs value ${cmp} ${p.currency} ${p.threshold}: GST charged at sale, none at the border`);
      this.requireId(id);
      return { regime: country, vat: true, duty: false };
    }
    if (low) this.apply('EXCISE-EXCLUDED', `tobacco or alcohol (${excise.map((i) => i.label).join(', ')}): excluded from the low value goods rules`);
    this.apply(importRule, low ? 'excise goods: duty and GST at the border' : `customs value above ${p.currency} ${p.threshold}: duty and GST at the border`);
    return { regime: country, vat: false, duty: true };
  }

  private norway(): { regime: string; vat: boolean; duty: boolean } {
    const r = RULES['NO-VOEC-3000'];
    const p = r.params;
    if (!inForce(r, this.input.date)) {
      this.apply('NO-IMPORT', 'before the VOEC scheme: VAT at the border');
      return { regime: 'NO', vat: false, duty: true };
    }
    let low = 0;
    let high = 0;
    let worst: ItemInfo | undefined;
    for (const i of this.items) {
      const conv = this.convert(i.item.unitValue, p.currency);
      if (!conv) return { regime: 'NO', vat: false, duty: true };
      if (rCmp(conv.value, parseDecimal(p.threshold)) < 0) low++;
      else high++;
      if (!worst || rCmp(toRatio(i.item.unitValue), toRatio(worst.item.unitValue)) > 0) worst = i;
    }
    if (worst) this.test(high ? 'NO-IMPORT' : 'NO-VOEC-3000', `value per item (most valuable: ${worst.label})`, worst.item.unitValue, p.threshold, p.currency);
    const excluded = this.items.filter((i) => i.subheading && (isExciseGoods(i.subheading) || isFood(i.subheading)));
    if (high === 0 && excluded.length === 0) {
      this.apply('NO-VOEC-3000', `every item below NOK ${p.threshold}: VAT charged at sale under VOEC, no duty`);
      this.requireId('VOEC');
      return { regime: 'NO', vat: true, duty: false };
    }
    if (high && low) {
      this.warn('MIXED_CONSIGNMENT', `items below and at/above NOK ${p.threshold} in one parcel: ship the low-value goods (VOEC) separately, or import VAT is charged on everything`, { rule: 'NO-IMPORT' });
    }
    if (excluded.length && high === 0) {
      this.apply('EXCISE-EXCLUDED', `food or excise goods (${excluded.map((i) => i.label).join(', ')}) are excluded from VOEC`);
    }
    this.apply('NO-IMPORT', high ? `an item at or above NOK ${p.threshold}: import VAT and duty at the border` : 'goods excluded from VOEC: import VAT and duty at the border');
    return { regime: 'NO', vat: false, duty: true };
  }

  private switzerland(): { regime: string; vat: boolean; duty: boolean } {
    const date = this.input.date;
    const vatRuleId: RuleId = inForce(RULES['CH-VAT-SMALL-AMOUNT'], date) ? 'CH-VAT-SMALL-AMOUNT' : 'CH-VAT-SMALL-AMOUNT-2018';
    const p = RULES[vatRuleId].params;
    const reduced = this.items.length > 0 && this.items.every((i) => i.subheading && isSwissReducedRate(i.subheading));
    const threshold = reduced ? p.reducedThreshold : p.standardThreshold;
    const base: Money = { minor: this.total.minor + this.input.shipping.minor, currency: this.input.currency };
    const cmp = this.test(vatRuleId, `goods value including transport (import VAT base, ${reduced ? 'reduced' : 'standard'} rate)`, base, threshold, p.currency);
    let vat = false;
    if (this.input.seller.chVat && inForce(RULES['CH-MAIL-ORDER'], date)) {
      this.apply('CH-MAIL-ORDER', 'seller registered for Swiss VAT: Swiss VAT charged at sale, seller is the importer');
      this.requireId('CHVAT');
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

  private canada(): { regime: string; vat: boolean; duty: boolean } {
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

  private hsRequired(to: string, form: Form): RuleId | undefined {
    const d = this.input.date;
    if (form === 'commercial-invoice') return 'COURIER-COMMERCIAL-INVOICE';
    if ((EU_COUNTRIES.has(to) || (to === 'GB' && /^BT/i.test(this.input.to.postalCode ?? ''))) && inForce(RULES['EU-HS-REQUIRED'], d)) return 'EU-HS-REQUIRED';
    if (to === 'US' && inForce(RULES['US-HS-REQUIRED'], d)) return 'US-HS-REQUIRED';
    if (this.input.contentsType === 'merchandise') return 'HS-COMMERCIAL';
    return undefined;
  }

  private checkGoods(to: string, form: Form): void {
    const required = this.hsRequired(to, form);
    const postal = this.input.service === 'postal';
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

  private checkIncoterm(to: string, vat: boolean, duty: boolean): void {
    const inp = this.input;
    if (inp.service === 'postal' && inp.incoterm === 'DDP') {
      this.warn('DDP_POSTAL', 'postal services deliver duties unpaid (DAP/DDU); DDP needs a courier or a postal DDP service', { rule: 'COURIER-COMMERCIAL-INVOICE' });
    }
    if (inp.incoterm === 'DAP' && duty) {
      if (to === 'US' && (inForce(RULES['US-DEMINIMIS-SUSPENDED'], inp.date) || inForce(RULES['US-DEMINIMIS-REPEALED'], inp.date))) {
        this.warn('BUYER_PAYS_DUTY', 'DAP to the US: the buyer pays duty and the carrier\'s fee on delivery for every parcel; consider DDP', { rule: 'US-DEMINIMIS-SUSPENDED' });
      } else if (vat && this.applied.has('EU-DUTY-FLAT-3')) {
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
    const s = this.input.seller;
    const value: Record<string, string | undefined> = {
      IOSS: s.ioss,
      EORI: s.eori,
      UKVAT: s.ukVat,
      VOEC: s.voec,
      ARN: s.abnArn,
      NZGST: s.nzGst,
      CHVAT: s.chVat,
    };
    for (const id of this.requiredIds) {
      const fmt = ID_FORMATS[id];
      const v = value[id]?.replace(/\s+/g, '').toUpperCase();
      if (!fmt) continue;
      if (!v) {
        this.warn('ID_MISSING', `the destination's regime needs your ${fmt.label} on the declaration and none is configured: set it with \`merchant onboard\` (or "seller" in the parcel file); without it the buyer is charged VAT again on import`);
      } else if (!fmt.re.test(id === 'CHVAT' ? (value[id] ?? '').toUpperCase() : v)) {
        this.error('ID_INVALID', `${fmt.label} "${value[id]}" is not in the expected format (e.g. ${fmt.example})`);
      }
    }
  }

  private checkValue(): void {
    const ov = this.input.orderValue;
    if (!ov || ov.currency !== this.total.currency) return;
    if (ov.minor !== this.total.minor) {
      this.warn('VALUE_MISMATCH', `declared goods value ${formatAmount(this.total)} ${this.total.currency} differs from the order's ${formatAmount(ov)} ${ov.currency}: declare what the buyer paid`);
    }
  }
}

export function checkCustoms(input: CustomsInput, fx: FxLookup): CustomsResult {
  return new CustomsEngine(input, fx).run();
}
