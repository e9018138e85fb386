// Format-specific row grouping: how rows become products and variants in each family of files.
// Shopify: a new handle starts a product, later rows add variants or images. Amazon: parent rows
// (parent_child=parent) are products, children name them in parent_sku. eBay: a row with
// RelationshipDetails and no Relationship is a variation parent, Relationship=Variation rows are its
// variants. WooCommerce: variable parents, variation children by Parent (SKU or id:N). merchant: one
// row per SKU grouped by handle. Pure: rows in, records and problems out; state is one product at a
// time except for the parent maps of Amazon/WooCommerce files (parents only, not variants).

import {
  type Cell,
  type CellContext,
  type ChannelEntry,
  type ListingRecord,
  type ProductFields,
  type Status,
  channelForCurrency,
  parseBarcode,
  parseCountry,
  parseCurrency,
  parseEnum,
  parseHsCode,
  parseMeasure,
  parseMoney,
  parseQuantity,
  parseSku,
  problem,
  text,
} from './listing.js';
import { channelDef } from './channels.js';
import { isCurrency } from './currencies.js';

const isKnownCurrency = (t: string) => isCurrency(t.toUpperCase());
import type { InputProblem } from './errors.js';

export type RowStrategy = 'variant' | 'shopify' | 'amazon' | 'ebay' | 'woocommerce';

export interface RowEnv {
  file: string;
  strategy: RowStrategy;
  /** 'variant': the file is the seller's own store (sets variant price and stock); 'listing': a marketplace offer. */
  priceTarget: 'variant' | 'listing';
  decimalComma: boolean;
  /** Currency when the row has none (--currency, the shop's currency). */
  defaultCurrency?: string;
  /** The storefront this file lists on (shopify, ebay-uk, amazon-de…); undefined = none or per row. */
  channel?: string;
  /** Resolve the storefront per row from its currency (Amazon flat files). */
  channelFromCurrency?: 'amazon' | 'ebay';
  optionNames?: Record<string, string>;
  values: Record<string, Record<string, string> | undefined>;
  transforms: Record<string, string | undefined>;
}

export interface Row {
  line: number;
  get(field: string): Cell | undefined;
  has(field: string): boolean;
}

export interface RowResult {
  record?: ListingRecord;
  problems: InputProblem[];
  /** Values the record took from outside its row (a parent's weight): part of the row's change key. */
  keyExtra?: string;
  notes?: string[];
  /** A product-only or image-only row: valid, but no SKU of its own. */
  skipped?: 'product' | 'image' | 'blank';
}

interface ProductState {
  handle: string;
  product: ProductFields;
  optionNames: string[];
  /** Shopify: the product's first image (Image Src on its first row), for variants without their own. */
  image?: string;
  /** Shipping and customs fields a WooCommerce variation takes from its parent when its own cell is blank. */
  inherit?: Inherited;
  /** WooCommerce: how many variation rows named this parent. */
  variations?: number;
}

interface Inherited {
  weight?: bigint;
  length?: bigint;
  width?: bigint;
  height?: bigint;
  hs?: string;
  origin?: string;
}

function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** Fields a file may have no column for, looked up once per file (see RowAssembler.has). */
const OPTIONAL = [
  'description', 'brand', 'tags', 'status', 'action', 'compare_at_price', 'landed_cost', 'product_id_type', 'length', 'width', 'height', 'image_url',
  'option1_name', 'option2_name', 'option3_name', 'option1_value', 'option2_value', 'option3_value', 'variant_title', 'channels', 'sale_price',
  'listing_format', 'inventory_tracker', 'product_image', 'currency',
] as const;

export class RowAssembler {
  private current?: ProductState;
  /** Amazon/WooCommerce parents by SKU / `id:N` (parents only; a file has far fewer than rows). */
  private parents = new Map<string, ProductState>();
  /** Notes for the whole file (capped by the caller). */
  readonly notes: string[] = [];

  constructor(private readonly env: RowEnv) {}

  /**
   * Which optional fields the file has a column for (the same for every row of a file): a field it
   * lacks is skipped without a lookup and a parse that could only say "absent".
   */
  private has?: Record<(typeof OPTIONAL)[number], boolean>;
  private verifyNoted = false;
  /** The parent's fields for the row being finished (WooCommerce variations). */
  private inherited?: Inherited;

  push(row: Row): RowResult {
    const mark = this.notes.length;
    const verifyNoted = this.verifyNoted;
    const galleryNoted = this.galleryNoted;
    const res = this.assemble(row);
    if (res.problems.length && this.notes.length > mark) {
      // The row is refused: what was noted about it (oversold stock, a sale price) is not news.
      this.notes.length = mark;
      this.verifyNoted = verifyNoted;
      this.galleryNoted = galleryNoted;
    }
    return res;
  }

  /**
   * The end of the file: notes that need every row first (a WooCommerce variable product whose
   * variations the export left out).
   */
  end(): void {
    for (const [line, state] of this.variable) {
      if (state.variations) continue;
      if (this.notes.length < 100) {
        this.notes.push(
          `${this.env.file}:${line}: ${state.handle} is a variable product and the file has none of its variations: nothing imported for it (export it again with "Product variations" among the product types)`,
        );
      }
    }
    this.variable.clear();
    const g = this.galleryRows;
    if (g.count && this.notes.length < 100) {
      this.notes.push(
        `${this.env.file}:${g.firstLine}: ${g.count} further gallery picture${g.count === 1 ? '' : 's'} (Image Src after a product's first row) not kept — merchant's catalogue holds one image per SKU: the variant's own, or the product's first`,
      );
    }
    this.galleryRows = { count: 0 };
  }

  private galleryNoted = false;
  /** Shopify rows that carry only a further gallery picture of the product. */
  private galleryRows: { count: number; firstLine?: number } = { count: 0 };
  /** WooCommerce variable parents by line, to say which had no variation rows. */
  private readonly variable = new Map<number, ProductState>();

  private assemble(row: Row): RowResult {
    this.has ??= Object.fromEntries(OPTIONAL.map((f) => [f, row.has(f)])) as Record<(typeof OPTIONAL)[number], boolean>;
    const problems: InputProblem[] = [];
    const ctx: CellContext = { file: this.env.file, line: row.line, decimalComma: this.env.decimalComma, problems, notes: this.notes, hasCurrencyColumn: this.has.currency };
    const sku = parseSku(ctx, row.get('sku'));
    if (sku) ctx.sku = sku;
    const product = this.productFields(ctx, row);
    const env = this.env;
    let handle: string | undefined;
    let optionNames: string[] | undefined;

    switch (env.strategy) {
      case 'variant': {
        handle = text(row.get('handle')) ?? sku;
        break;
      }
      case 'shopify': {
        const h = text(row.get('handle'));
        if (!h) {
          problem(ctx, row.get('handle'), 'required', 'handle is required on every row');
          return { problems };
        }
        handle = h;
        const names = this.optionNamesOf(row);
        const picture = this.has!.product_image ? text(row.get('product_image')) : undefined;
        if (!this.current || this.current.handle !== h) {
          this.current = { handle: h, product, optionNames: names };
          if (picture) this.current.image = picture;
        } else {
          this.current.optionNames = this.current.optionNames.map((n, i) => n || names[i] || '');
          // Image Src on a later row of the product is its next gallery picture: counted, said once at the end.
          if (picture && picture !== this.current.image) {
            this.galleryRows.count += 1;
            this.galleryRows.firstLine ??= row.line;
          }
        }
        const isVariant = sku !== undefined || text(row.get('price')) !== undefined || text(row.get('option1_value')) !== undefined;
        if (!isVariant && problems.length === 0) return { problems, skipped: 'image' };
        Object.assign(product, this.current.product);
        optionNames = this.current.optionNames;
        break;
      }
      case 'amazon': {
        const pc = text(row.get('parent_child'))?.toLowerCase();
        if (pc === 'parent' && sku) {
          this.parents.set(sku, { handle: sku, product, optionNames: [] });
          return { problems, skipped: 'product' };
        }
        const parentSku = text(row.get('parent_sku'));
        const parent = parentSku ? this.parents.get(parentSku) : undefined;
        handle = parentSku ?? sku;
        if (parent) useParent(product, parent.product);
        break;
      }
      case 'ebay': {
        const rel = text(row.get('relationship'))?.toLowerCase();
        const details = text(row.get('relationship_details'));
        if (this.has!.listing_format && text(row.get('listing_format'))?.toLowerCase() === 'auction') {
          // An auction's start price is a bid, not the SKU's price.
          this.note(row, `${sku ?? product.title ?? 'row'} is an auction listing: not imported (merchant manages fixed-price offers)`);
          return { problems, skipped: 'product' };
        }
        if (rel !== 'variation') {
          const h = sku ?? (product.title ? slug(product.title) : undefined);
          if (details && h && text(row.get('action'))?.toLowerCase() === 'end') {
            problem(ctx, row.get('action'), 'end-variations', `End on the variation listing ${h} would end all its variations: list them as Relationship=Variation rows with End (their Custom label), or End each SKU by its own row`);
            return { problems };
          }
          if (details && h) {
            // Variation parent: the product; its children follow.
            this.current = { handle: h, product, optionNames: details.split('|').map((p) => p.split('=')[0]!.trim()) };
            return { problems, skipped: 'product' };
          }
          this.current = undefined;
          handle = sku;
        } else {
          if (!this.current) {
            problem(ctx, row.get('relationship'), 'variation-parent', 'a Relationship=Variation row must follow its parent listing row');
            return { problems };
          }
          handle = this.current.handle;
          useParent(product, this.current.product);
          const pairs = (details ?? '').split('|').map((p) => p.split('='));
          optionNames = pairs.map((p) => (p[0] ?? '').trim());
          const values = pairs.map((p) => (p[1] ?? '').trim());
          return this.finish(ctx, row, sku, handle, product, optionNames, values);
        }
        break;
      }
      case 'woocommerce': {
        const type = (text(row.get('type')) ?? 'simple').toLowerCase();
        const id = text(row.get('id'));
        if (type.includes('external')) {
          // An affiliate product: sold and shipped on another site, no stock of ours.
          this.note(row, `${sku ?? product.title ?? 'row'} is an external/affiliate product: not imported`);
          return { problems, skipped: 'product' };
        }
        if (this.has!.sale_price) {
          const sale = row.get('sale_price');
          if (text(sale) !== undefined) this.note(row, `Sale price ${text(sale)} not imported (the regular price is ${sku ?? 'the SKU'}'s price)`, sale);
        }
        if (type.includes('variable') || type.includes('grouped')) {
          const h = sku ?? (id ? `woo-${id}` : product.title ? slug(product.title) : undefined);
          if (!h) {
            problem(ctx, row.get('sku'), 'required', 'a variable product needs a SKU or an ID');
            return { problems };
          }
          const state: ProductState = { handle: h, product, optionNames: this.optionNamesOf(row), inherit: this.shipping(ctx, row) };
          if (sku) this.parents.set(sku, state);
          if (id) this.parents.set(`id:${id}`, state);
          if (type.includes('variable') && problems.length === 0) {
            state.variations = 0;
            this.variable.set(row.line, state);
          }
          return { problems, skipped: 'product' };
        }
        if (type.includes('variation')) {
          const ref = text(row.get('parent'));
          const parent = ref ? this.parents.get(ref) ?? this.parents.get(ref.startsWith('id:') ? ref : `sku:${ref}`) : undefined;
          if (!ref) {
            problem(ctx, row.get('parent'), 'required', 'a variation row needs Parent (the parent SKU or id:ID)');
            return { problems };
          }
          handle = parent?.handle ?? (ref.startsWith('id:') ? `woo-${ref.slice(3)}` : ref);
          if (parent) {
            if (parent.variations !== undefined) parent.variations++;
            useParent(product, parent.product);
            optionNames = parent.optionNames.map((n, i) => n || this.optionNamesOf(row)[i] || '');
            // WooCommerce: a blank weight or size on a variation means "same as parent".
            this.inherited = parent.inherit;
          }
        } else {
          handle = sku;
        }
        break;
      }
    }
    try {
      return this.finish(ctx, row, sku, handle, product, optionNames ?? this.optionNamesOf(row), undefined);
    } finally {
      this.inherited = undefined;
    }
  }

  /** A note on a row that was imported (or skipped) all the same; the first 100 are kept. */
  private note(row: Row, text: string, cell?: Cell): void {
    if (this.notes.length < 100) this.notes.push(`${this.env.file}:${row.line}${cell ? `:${cell.column}` : ''}: ${text}`);
  }

  /** A row's shipping and customs fields (a parent's are inherited by its WooCommerce variations). */
  private shipping(ctx: CellContext, row: Row): Inherited {
    const has = this.has!;
    const out: Inherited = {};
    const put = <K extends keyof Inherited>(k: K, v: Inherited[K] | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    put('weight', parseMeasure(ctx, row.get('weight'), 'weight', 1_000_000n));
    if (has.length) put('length', parseMeasure(ctx, row.get('length'), 'length', 10_000n));
    if (has.width) put('width', parseMeasure(ctx, row.get('width'), 'length', 10_000n));
    if (has.height) put('height', parseMeasure(ctx, row.get('height'), 'length', 10_000n));
    put('hs', parseHsCode(ctx, row.get('hs_code')));
    put('origin', parseCountry(ctx, row.get('origin_country')));
    return out;
  }

  private optionNamesOf(row: Row): string[] {
    const names: string[] = [];
    const has = this.has!;
    names.push(
      (has.option1_name ? text(row.get('option1_name')) : undefined) ?? this.env.optionNames?.option1_value ?? '',
      (has.option2_name ? text(row.get('option2_name')) : undefined) ?? this.env.optionNames?.option2_value ?? '',
      (has.option3_name ? text(row.get('option3_name')) : undefined) ?? this.env.optionNames?.option3_value ?? '',
    );
    return names;
  }

  private productFields(ctx: CellContext, row: Row): ProductFields {
    const p: ProductFields = {};
    const set = <K extends keyof ProductFields>(k: K, v: ProductFields[K] | undefined) => {
      if (v !== undefined) p[k] = v;
    };
    set('title', text(row.get('title')));
    const has = this.has!;
    if (has.description) set('description', text(row.get('description')));
    set('vendor', text(row.get('vendor')));
    if (has.brand) set('brand', text(row.get('brand')));
    set('productType', text(row.get('product_type')));
    if (has.tags) set('tags', text(row.get('tags')));
    if (has.status) set('status', parseEnum(ctx, row.get('status'), this.env.values.status, 'status') as Status | undefined);
    return p;
  }

  private finish(
    ctx: CellContext,
    row: Row,
    sku: string | undefined,
    handle: string | undefined,
    product: ProductFields,
    optionNames: string[],
    optionValuesIn: string[] | undefined,
  ): RowResult {
    const env = this.env;
    const problems = ctx.problems;
    if (!sku) {
      if (problems.length === 0) {
        problem(ctx, row.get('sku') ?? undefined, 'required', 'SKU is required: merchant tracks stock, prices and listings by SKU (give the variant one, or --skip-invalid imports the rest)');
      }
      return { problems };
    }
    const has = this.has!;
    const action = ((has.action ? parseEnum(ctx, row.get('action'), env.values.action, 'action') : undefined) ?? 'update') as string;
    if (action === 'verify') {
      // eBay's VerifyAdd asks for a check, not a listing: validated, nothing written.
      if (!this.verifyNoted) {
        this.verifyNoted = true;
        this.notes.push(`${env.file}:${row.line}: VerifyAdd rows are validated only, not imported`);
      }
    }
    const currencyCell = row.get('currency');
    const currencyText = text(currencyCell);
    const costCurrencyCell = row.get('cost_currency');
    const costCurrencyText = text(costCurrencyCell);
    const currency = parseCurrency(ctx, currencyCell) ?? env.defaultCurrency;
    const costCurrency = parseCurrency(ctx, costCurrencyCell) ?? currency;
    // An invalid currency code is reported once, not again for every amount in it.
    const badCurrency = currencyText !== undefined && currency === env.defaultCurrency && !isKnownCurrency(currencyText);
    const badCostCurrency = badCurrency || (costCurrencyText !== undefined && !isKnownCurrency(costCurrencyText));
    const price = badCurrency ? undefined : parseMoney(ctx, row.get('price'), currency, 'price');
    const compareAt = badCurrency || !has.compare_at_price ? undefined : parseMoney(ctx, row.get('compare_at_price'), currency, 'compare-at price');
    const cost = badCostCurrency ? undefined : parseMoney(ctx, row.get('cost'), costCurrency, 'cost');
    const landed = badCostCurrency || !has.landed_cost ? undefined : parseMoney(ctx, row.get('landed_cost'), costCurrency, 'landed cost');
    // Store exports (Shopify, WooCommerce) carry oversold stock as negative numbers.
    // Shopify writes a quantity (0) for a variant whose stock it does not track (Inventory tracker blank):
    // that is no stock level, and reading it as 0 would take the SKU off sale everywhere.
    const untracked = env.strategy === 'shopify' && has.inventory_tracker && text(row.get('inventory_tracker')) === undefined && text(row.get('quantity')) !== undefined;
    if (untracked) this.note(row, `${sku} does not track stock in Shopify (Inventory tracker blank): its quantity is not imported`);
    const quantity = untracked ? undefined : parseQuantity(ctx, row.get('quantity'), env.strategy === 'shopify' || env.strategy === 'woocommerce');
    const idType = has.product_id_type ? text(row.get('product_id_type')) : undefined;
    const barcodeType = env.values.product_id_type?.[idType?.toLowerCase() ?? ''] ?? idType;
    let barcode: string | undefined;
    if (env.strategy === 'shopify') {
      // Shopify's Barcode is free text (an internal code, a GTIN with a typo): not a reason to refuse the
      // row. What is no valid GTIN is not imported, so no marketplace is ever sent it as one.
      const own: CellContext = { ...ctx, problems: [] };
      const cell = row.get('barcode');
      barcode = parseBarcode(own, cell, barcodeType);
      for (const p of own.problems) {
        if (p.rule === 'gtin' || p.rule === 'gtin-check-digit') this.note(row, `${p.field}: ${p.message}: not imported as ${sku}'s barcode (Shopify takes any text; Amazon and eBay accept only a valid GTIN)`, cell);
        else problems.push(p);
      }
    } else barcode = parseBarcode(ctx, row.get('barcode'), barcodeType);
    const inh = this.inherited;
    const own = this.shipping(ctx, row);
    const weight = own.weight ?? inh?.weight;
    const length = own.length ?? inh?.length;
    const width = own.width ?? inh?.width;
    const height = own.height ?? inh?.height;
    const hs = own.hs ?? inh?.hs;
    const origin = own.origin ?? inh?.origin;
    let image = has.image_url ? text(row.get('image_url')) : undefined;
    // Shopify: Image Src on a later row is the product's next gallery image, not that variant's.
    let productImage: string | undefined;
    if (image === undefined && env.strategy === 'shopify' && this.current?.image) image = productImage = this.current.image;
    const pictures = env.transforms.image_url;
    if (image && pictures) {
      // Several pictures in one cell (WooCommerce's Images ", ", eBay's PicURL "|"): the first is the
      // SKU's image. The catalogue holds one image per SKU, so the others are not kept (said once).
      const parts = image.split(pictures === 'first-of-list' ? ',' : '|').map((p) => p.trim()).filter(Boolean);
      image = parts[0];
      if (parts.length > 1 && !this.galleryNoted) {
        this.galleryNoted = true;
        const cell = row.get('image_url');
        this.note(row, `${cell?.header ?? 'image'} holds ${parts.length} pictures: the first is ${sku}'s image, the other ${parts.length - 1} (and those of later rows) are not kept — merchant's catalogue holds one image per SKU`, cell);
      }
    }

    const values = optionValuesIn ?? [
      (has.option1_value ? text(row.get('option1_value')) : undefined) ?? '',
      (has.option2_value ? text(row.get('option2_value')) : undefined) ?? '',
      (has.option3_value ? text(row.get('option3_value')) : undefined) ?? '',
    ];
    const options: Array<[string, string]> = [];
    values.forEach((v, i) => {
      if (!v) return;
      if (v === 'Default Title' && (optionNames[i] ?? '') === 'Title') return;
      options.push([optionNames[i] || `Option ${i + 1}`, v]);
    });
    const variantTitle = (has.variant_title ? text(row.get('variant_title')) : undefined) ?? (options.length ? options.map((o) => o[1]).join(' / ') : undefined);

    let channels: ChannelEntry[] = [];
    let channel = env.channel;
    if (!channel && env.channelFromCurrency && (price !== undefined || quantity !== undefined || action === 'delete')) {
      if (!currency) {
        if (this.has!.currency) problem(ctx, row.get('currency'), 'channel', `the currency cell is blank and no --channel was given: cannot tell which ${env.channelFromCurrency === 'ebay' ? 'eBay' : 'Amazon'} storefront this row is for (fill in the currency, or pass --channel, e.g. ${env.channelFromCurrency === 'ebay' ? 'ebay-uk' : 'amazon-uk'})`);
        else problem(ctx, row.get('price'), 'channel', `no currency column and no --channel: cannot tell which storefront this row is for (pass --channel, e.g. ${env.channelFromCurrency === 'ebay' ? 'ebay-uk' : 'amazon-uk'})`);
      } else {
        const c = channelForCurrency(env.channelFromCurrency, currency);
        if (c.channel) channel = c.channel;
        else
          problem(
            ctx,
            row.get('currency'),
            'channel',
            c.choices.length ? `${currency} is the currency of ${c.choices.join(', ')}; pass --channel to say which` : `no ${env.channelFromCurrency} storefront sells in ${currency}`,
          );
      }
    }
    if (channel) {
      const def = channelDef(channel);
      const chCurrency = env.priceTarget === 'variant' ? currency : (currency ?? def?.currency);
      if (env.priceTarget === 'listing' && def && currency && def.currency !== currency) {
        problem(ctx, row.get('currency') ?? row.get('price'), 'currency', `prices for ${channel} must be in ${def.currency}, not ${currency}`);
      }
      if (chCurrency) {
        channels.push({ channel, currency: chCurrency, ...(price !== undefined ? { price } : {}), ...(env.priceTarget === 'listing' && quantity !== undefined ? { quantity } : {}) });
      }
    }
    const chCell = has.channels ? row.get('channels') : undefined;
    const chText = text(chCell);
    if (chText) channels = channels.concat(parseChannels(ctx, chCell!, chText, currency, price));

    if (problems.length) return { problems };
    if (action === 'verify') return { problems, skipped: 'product' };
    if (price === 0n) this.note(row, `${sku} has price 0: it would be offered for nothing`);
    const variant: ListingRecord['variant'] = {};
    const put = <K extends keyof ListingRecord['variant']>(k: K, v: ListingRecord['variant'][K] | undefined) => {
      if (v !== undefined) variant[k] = v;
    };
    // A delete row takes the SKU off a storefront; its other cells (Amazon's product-id…) are not edits.
    if (action !== 'delete') {
      put('title', variantTitle);
      if (options.length) variant.options = options;
      put('barcode', barcode);
      if (env.priceTarget === 'variant') {
        put('price', price);
        if (price !== undefined || compareAt !== undefined) put('currency', currency);
        put('compareAt', compareAt);
      }
      put('cost', cost);
      if (cost !== undefined || landed !== undefined) put('costCurrency', costCurrency);
      put('landedCost', landed);
      put('weightGrams', weight);
      put('lengthMm', length);
      put('widthMm', width);
      put('heightMm', height);
      put('hsCode', hs);
      put('originCountry', origin);
      put('imageUrl', image);
    }
    const record: ListingRecord = {
      sku,
      handle: handle ?? sku,
      handleExplicit: env.strategy === 'shopify' || (env.strategy === 'variant' && text(row.get('handle')) !== undefined),
      product,
      variant,
      ...(env.priceTarget === 'variant' && quantity !== undefined ? { quantity } : {}),
      channels,
      action: action === 'delete' ? 'delete' : 'update',
      line: row.line,
    };
    const extra = inh && Object.keys(inh).length ? JSON.stringify(inh, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : productImage;
    return { record, problems, ...(extra !== undefined ? { keyExtra: extra } : {}) };
  }
}

/** A child row's product is its parent's (a variation's own name is not the product title). */
function useParent(p: ProductFields, parent: ProductFields): void {
  for (const k of Object.keys(p) as Array<keyof ProductFields>) delete p[k];
  Object.assign(p, parent);
}

/** merchant template `channels`: `shopify;amazon-uk=19.99;ebay-uk=17.50:10` (price in the channel's currency, :its own quantity). */
function parseChannels(ctx: CellContext, cell: Cell, t: string, currency: string | undefined, price: bigint | undefined): ChannelEntry[] {
  const out: ChannelEntry[] = [];
  for (const entry of t.split(/[;|]/).map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.lastIndexOf(':');
    const part = colon >= 0 ? entry.slice(0, colon).trim() : entry;
    let quantity: bigint | undefined;
    if (colon >= 0) {
      const q = entry.slice(colon + 1).trim();
      if (!/^\d+$/.test(q)) {
        problem(ctx, cell, 'whole-number', `quantity ${JSON.stringify(q)} after ":" in ${JSON.stringify(entry)} is not a whole number`);
        continue;
      }
      quantity = BigInt(q);
    }
    const [code = '', priceText] = part.split('=').map((s) => s.trim());
    const def = channelDef(code);
    if (!def) {
      problem(ctx, cell, 'channel', `unknown channel ${JSON.stringify(code)} (known: amazon-de, amazon-uk, ebay-uk, shopify, …; see merchant listings template merchant)`);
      continue;
    }
    const chCurrency = code === 'shopify' && currency ? currency : def.currency;
    const p = priceText !== undefined && priceText !== '' ? parseMoney(ctx, { ...cell, value: priceText }, chCurrency, `${code} price`) : code === 'shopify' ? price : undefined;
    out.push({ channel: code, currency: chCurrency, ...(p !== undefined ? { price: p } : {}), ...(quantity !== undefined ? { quantity } : {}) });
  }
  return out;
}
