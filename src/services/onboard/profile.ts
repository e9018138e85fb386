// Onboarding use-cases: read and save the business profile, and the per-marketplace checklist.

import type { Repositories } from '../../ports/repositories.js';
import type { StoredProfile } from '../../ports/onboarding.js';
import {
  CHECKLIST_ITEMS, type Address, type Business, type Profile, type ProfileDraft, validateProfile, BUSINESS_FIELDS,
} from '../../core/profile.js';
import type { MarketplaceName } from '../../core/channels.js';
import { InvalidInputError, UsageError, isMerchantError, type InputProblem } from '../../core/errors.js';
import { specFromFlags, upsertRule, type RuleSpec } from '../prices/rules.js';

/** What onboarding reads and writes: the profile and checklist, the audit log, the pricing rules. */
export type OnboardStore = Pick<Repositories, 'onboarding' | 'audit' | 'priceRules' | 'tx'>;

const COLUMN: Record<(typeof BUSINESS_FIELDS)[number], keyof StoredProfile> = {
  legalName: 'legalName',
  country: 'country',
  baseCurrency: 'baseCurrency',
  timezone: 'timezone',
  vatNumber: 'vatNumber',
  eori: 'eori',
  iossNumber: 'iossNumber',
  ukVatNumber: 'ukVatNumber',
  voecNumber: 'voecNumber',
  abnArn: 'abnArn',
};

export function loadProfile(store: Pick<Repositories, 'onboarding'>): Profile | null {
  const row = store.onboarding.profile();
  if (!row) return null;
  const business = {} as Business;
  for (const f of BUSINESS_FIELDS) {
    const v = row[COLUMN[f]];
    if (v !== null && v !== undefined && v !== '') (business as unknown as Record<string, string>)[f] = String(v);
  }
  const profile: Profile = {
    business,
    shipFrom: JSON.parse(row.shipFromJson ?? '{}') as Address,
    marketplaces: JSON.parse(row.marketplacesJson) as MarketplaceName[],
    carriers: JSON.parse(row.carriersJson) as Profile['carriers'],
    fxSource: 'ecb',
  };
  if (row.returnJson) profile.returnAddress = JSON.parse(row.returnJson) as Address;
  if (row.defaultRuleJson) profile.defaultRule = JSON.parse(row.defaultRuleJson) as Profile['defaultRule'];
  return profile;
}

/** The stored profile as a draft, so flags and files can override single fields. */
export function profileToDraft(p: Profile | null): ProfileDraft {
  if (!p) return { business: {}, shipFrom: {} };
  const draft: ProfileDraft = {
    business: { ...p.business },
    shipFrom: { ...p.shipFrom },
    marketplaces: [...p.marketplaces],
    carriers: [...p.carriers],
    fxSource: p.fxSource,
  };
  if (p.returnAddress) draft.returnAddress = { ...p.returnAddress };
  if (p.defaultRule) draft.defaultRule = { ...p.defaultRule };
  return draft;
}

/** Layer drafts: later ones win field by field (stored < file < flags). */
export function mergeDrafts(...drafts: ProfileDraft[]): ProfileDraft {
  const out: ProfileDraft = { business: {}, shipFrom: {} };
  for (const d of drafts) {
    Object.assign(out.business, stripUndefined(d.business));
    Object.assign(out.shipFrom, stripUndefined(d.shipFrom));
    if (d.returnAddress) out.returnAddress = { ...(out.returnAddress ?? {}), ...stripUndefined(d.returnAddress) };
    if (d.marketplaces !== undefined) out.marketplaces = d.marketplaces;
    if (d.carriers !== undefined) out.carriers = d.carriers;
    if (d.fxSource !== undefined) out.fxSource = d.fxSource;
    if (d.defaultRule !== undefined) out.defaultRule = { ...(out.defaultRule ?? {}), ...d.defaultRule };
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** Parse profile.json (PRODUCT.md §10 shape) into a draft, with precise errors. */
export function parseProfileFile(text: string, file: string): ProfileDraft {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InvalidInputError(`${file} is not valid JSON: ${(e as Error).message}`, { hints: ['see README "Onboarding" for the profile.json shape'] });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidInputError(`${file} must hold a JSON object with "business", "shipFrom" and "marketplaces"`);
  const o = raw as Record<string, unknown>;
  const known = new Set(['business', 'shipFrom', 'returnAddress', 'marketplaces', 'carriers', 'fxSource', 'defaultRule']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length) throw new InvalidInputError(`${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, { hints: [`known keys: ${[...known].join(', ')}`] });
  const obj = (k: string): Record<string, string> | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidInputError(`${file}: "${k}" must be an object`);
    for (const [kk, vv] of Object.entries(v)) {
      if (typeof vv !== 'string') throw new InvalidInputError(`${file}: "${k}.${kk}" must be a string`);
    }
    return v as Record<string, string>;
  };
  const list = (k: string): string[] | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InvalidInputError(`${file}: "${k}" must be a list of strings`);
    return v as string[];
  };
  const draft: ProfileDraft = { business: obj('business') ?? {}, shipFrom: obj('shipFrom') ?? {} };
  const ret = obj('returnAddress');
  if (ret) draft.returnAddress = ret;
  const m = list('marketplaces');
  if (m) draft.marketplaces = m;
  const c = list('carriers');
  if (c) draft.carriers = c;
  if (typeof o.fxSource === 'string') draft.fxSource = o.fxSource;
  const dr = obj('defaultRule');
  if (dr) draft.defaultRule = dr;
  return draft;
}

export interface SaveResult {
  status: 'created' | 'updated' | 'unchanged';
  changed: string[];
  profile: Profile;
  /** The pricing rule "default" written from the profile's default rule, when it changed. */
  pricingRule: { name: 'default'; outcome: 'created' | 'updated' | 'unchanged' } | null;
}

/** The profile's default rule as a pricing-rule spec, or the problems with it (named by their onboard flags). */
export function defaultRuleSpec(rule: Profile['defaultRule']): { spec?: RuleSpec; problems: InputProblem[] } {
  if (!rule || !Object.values(rule).some((v) => v !== undefined && String(v).trim() !== '')) return { problems: [] };
  const flag: Record<string, string> = { '--margin': '--default-margin', '--markup': '--default-markup', '--fx-buffer': '--default-fx-buffer', '--ending': '--default-ending' };
  try {
    const spec = specFromFlags({ margin: rule.margin, markup: rule.markup, fxBuffer: rule.fxBuffer, ending: rule.ending }, null);
    return { spec, problems: [] };
  } catch (e) {
    if (!isMerchantError(e)) throw e;
    const message = e.message.replace(/--(margin|markup|fx-buffer|ending)\b/g, (m) => flag[m] ?? m);
    const field = /--default-[a-z-]+/.exec(message)?.[0] ?? '--default-margin';
    return { problems: [{ field, rule: 'default-rule', message: message.replace(`${field}: `, '') }] };
  }
}

function comparable(p: Profile | null): Record<string, string> {
  if (!p) return {};
  const out: Record<string, string> = {};
  for (const f of BUSINESS_FIELDS) out[`business.${f}`] = p.business[f] ?? '';
  out.shipFrom = JSON.stringify(p.shipFrom);
  out.returnAddress = JSON.stringify(p.returnAddress ?? null);
  out.marketplaces = JSON.stringify(p.marketplaces);
  out.carriers = JSON.stringify(p.carriers);
  out.fxSource = p.fxSource;
  out.defaultRule = JSON.stringify(p.defaultRule ?? null);
  return out;
}

/** Validate a draft as saveProfile would, without a store: a missing answer is exit 2, a bad one exit 3. */
export function checkDraft(draft: ProfileDraft): { profile: Profile; spec?: RuleSpec } {
  const validated = validateProfile(draft);
  const { profile } = validated;
  const rule = defaultRuleSpec(draft.defaultRule);
  const problems = [...validated.problems, ...rule.problems];
  if (problems.length || !profile) {
    const missing = problems.filter((p) => p.rule === 'required');
    if (missing.length && missing.length === problems.length) {
      throw new UsageError(`missing ${missing.map((p) => p.field).join(', ')}`, {
        hints: ['pass them as flags or in --from profile.json; on a terminal without --no-input, merchant asks for them'],
      });
    }
    throw new InvalidInputError('the business profile is not valid; nothing was saved', { problems });
  }
  return { profile, ...(rule.spec ? { spec: rule.spec } : {}) };
}

/** Validate and store; writes nothing when nothing changed. Creates checklist items for new marketplaces. */
export function saveProfile(store: OnboardStore, draft: ProfileDraft, now: string, command = 'onboard'): SaveResult {
  const { profile, spec } = checkDraft(draft);
  const rule = { spec };
  return store.tx(() => {
    const before = loadProfile(store);
    const a = comparable(before);
    const b = comparable(profile);
    const changed = Object.keys(b).filter((k) => a[k] !== b[k]);
    const status: SaveResult['status'] = !before ? 'created' : changed.length ? 'updated' : 'unchanged';
    if (status !== 'unchanged') {
      const bz = profile.business;
      store.onboarding.saveProfile(
        {
          legalName: bz.legalName,
          country: bz.country,
          baseCurrency: bz.baseCurrency,
          timezone: bz.timezone,
          vatNumber: bz.vatNumber ?? null,
          eori: bz.eori ?? null,
          iossNumber: bz.iossNumber ?? null,
          ukVatNumber: bz.ukVatNumber ?? null,
          voecNumber: bz.voecNumber ?? null,
          abnArn: bz.abnArn ?? null,
          shipFromJson: JSON.stringify(profile.shipFrom),
          returnJson: profile.returnAddress ? JSON.stringify(profile.returnAddress) : null,
          marketplacesJson: JSON.stringify(profile.marketplaces),
          carriersJson: JSON.stringify(profile.carriers),
          fxSource: profile.fxSource,
          defaultRuleJson: profile.defaultRule ? JSON.stringify(profile.defaultRule) : null,
        },
        now,
      );
      store.audit.record({ at: now, command, entity: 'business_profile', entityId: '1', action: status, detail: { changed } });
    }
    for (const m of profile.marketplaces) store.onboarding.addChecklistItems(m, CHECKLIST_ITEMS.map((it) => it.item), now);
    // The default rule answered here is what `prices update` uses for every channel without its own
    // rule: written as the pricing rule "default" whenever the answer changes (never otherwise, so a
    // rule edited later with `prices rules set default` survives an unchanged re-run).
    let pricingRule: SaveResult['pricingRule'] = null;
    if (rule.spec && (status === 'created' || changed.includes('defaultRule'))) {
      const outcome = upsertRule(store, 'default', null, null, rule.spec, now);
      if (outcome !== 'unchanged') store.audit.record({ at: now, command, entity: 'price_rule', entityId: 'default', action: outcome, detail: { from: 'onboard', ...rule.spec } });
      pricingRule = { name: 'default', outcome };
    }
    return { status, changed: status === 'created' ? [] : changed, profile, pricingRule };
  });
}

export interface ChecklistEntry {
  item: string;
  label: string;
  status: 'todo' | 'done' | 'n/a';
  source: 'manual' | 'auto';
  note: string | null;
}

export interface MarketplaceStatus {
  marketplace: MarketplaceName;
  connected: boolean;
  verifiedAt: string | null;
  items: ChecklistEntry[];
  complete: boolean;
}

export interface OnboardStatus {
  profile: Profile | null;
  marketplaces: MarketplaceStatus[];
  carriers: Array<{ carrier: string; connected: boolean; mode: string | null }>;
  complete: boolean;
  next: string[];
}

/** The sandbox's default address (`merchant sandbox start`). */
const SANDBOX_URL = 'http://127.0.0.1:4010';

/** Every flag `marketplace connect` needs for a real account, so the hint can be run as it is. */
const CONNECT_FLAGS: Record<MarketplaceName, string> = {
  amazon: '--seller-id <merchant token> --client-id <LWA client id> --token-file lwa.env   # lwa.env: client_secret=… refresh_token=…',
  ebay: '--client-id <App ID> --token-file ebay.env   # ebay.env: client_secret=… refresh_token=…',
  shopify: '--shop <your-shop>.myshopify.com --token-file shopify-token.txt',
};

export function onboardStatus(store: Pick<Repositories, 'onboarding'>): OnboardStatus {
  const profile = loadProfile(store);
  const marketplaces: MarketplaceStatus[] = [];
  for (const m of profile?.marketplaces ?? []) {
    const verifiedAt = store.onboarding.accountVerifiedAt(m);
    const live = store.onboarding.hasLiveListing(m);
    const rows = store.onboarding.checklist(m);
    const byItem = new Map(rows.map((r) => [r.item, r]));
    const items: ChecklistEntry[] = CHECKLIST_ITEMS.map((it) => {
      const manual = byItem.get(it.item);
      let status = manual?.status ?? 'todo';
      let source: ChecklistEntry['source'] = 'manual';
      if (status === 'todo' && it.item === 'account' && verifiedAt) {
        status = 'done';
        source = 'auto';
      }
      if (status === 'todo' && it.item === 'first-listing' && live) {
        status = 'done';
        source = 'auto';
      }
      return { item: it.item, label: it.label, status, source, note: manual?.note ?? null };
    });
    marketplaces.push({ marketplace: m, connected: verifiedAt !== undefined, verifiedAt: verifiedAt ?? null, items, complete: items.every((i) => i.status !== 'todo') });
  }
  const carriers = (profile?.carriers ?? []).map((c) => {
    const mode = store.onboarding.carrierMode(c);
    return { carrier: c, connected: mode !== undefined, mode: mode ?? null };
  });
  const next: string[] = [];
  if (!profile) next.push('merchant onboard');
  for (const m of marketplaces) {
    if (m.connected) continue;
    next.push(`merchant marketplace connect ${m.marketplace} ${CONNECT_FLAGS[m.marketplace]}`);
    next.push(`merchant marketplace connect ${m.marketplace} --sandbox ${SANDBOX_URL}   # to try it first, after \`merchant sandbox start\``);
  }
  for (const c of carriers) {
    if (c.connected) continue;
    next.push(`merchant carrier connect ${c.carrier} --key-file ${c.carrier}-key.txt`);
    next.push(`merchant carrier connect ${c.carrier} --sandbox ${SANDBOX_URL}   # test mode against the local sandbox`);
  }
  const open = marketplaces.flatMap((m) => m.items.filter((i) => i.status === 'todo' && i.item !== 'account' && i.item !== 'first-listing'));
  if (open.length) next.push(`merchant onboard check <marketplace> <step> --done   (${open.length} checklist step${open.length > 1 ? 's' : ''} open)`);
  return {
    profile,
    marketplaces,
    carriers,
    complete: Boolean(profile) && marketplaces.every((m) => m.complete) && carriers.every((c) => c.connected),
    next,
  };
}

export function setChecklistItem(
  store: Pick<Repositories, 'onboarding' | 'audit' | 'tx'>,
  marketplace: string,
  item: string,
  status: ChecklistEntry['status'],
  note: string | undefined,
  now: string,
): { changed: boolean } {
  return store.tx(() => {
    const prev = store.onboarding.checklistItem(marketplace, item);
    const newNote = note ?? prev?.note ?? null;
    if (prev && prev.status === status && prev.note === newNote) return { changed: false };
    store.onboarding.setChecklistItem(marketplace, { item, status, note: newNote }, now);
    store.audit.record({ at: now, command: 'onboard check', entity: 'onboarding_item', entityId: `${marketplace}/${item}`, action: status });
    return { changed: true };
  });
}
