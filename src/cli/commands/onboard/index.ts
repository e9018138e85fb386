// merchant onboard [flags | --from profile.json], onboard status, onboard check <marketplace> <item>

import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { Ctx } from '../../context.js';
import {
  ADDRESS_FIELDS, BUSINESS_FIELDS, CARRIERS, CHECKLIST_NAMES, COUNTRY_FORMAT, REQUIRED_ADDRESS_FIELDS,
  REQUIRED_BUSINESS_FIELDS, addressFlag, businessFlag, countryDefaults, kebab, type AddressField, type BusinessField, type ProfileDraft,
} from '../../../core/profile.js';
import { MARKETPLACES } from '../../../core/channels.js';
import { countryCode, countryInfo, isCurrency } from '../../../core/currencies.js';
import { countryZones, zonesOf } from '../../../core/timezones.js';
import { VAT_COUNTRIES } from '../../../core/vat-numbers.js';
import { deleteDraft, loadDraft, saveDraft, type SavedDraft } from './draft.js';
import { listOf, oneOf } from '../../enums.js';
import {
  checkAbnArn, checkEori, checkIoss, checkTimezone, checkVatNumber, checkVoec, checkEmail, checkPostalCode, type IdCheck,
} from '../../../core/identifiers.js';
import {
  checkDraft, loadProfile, mergeDrafts, onboardStatus, parseProfileFile, profileToDraft, saveProfile, setChecklistItem, type OnboardStatus,
} from '../../../services/onboard/profile.js';
import { printJson, printRows, printFields } from '../../render.js';
import { CancelledError, UsageError } from '../../../core/errors.js';
import { examples } from '../help.js';

type Opts = Record<string, string | boolean | undefined>;

const LABELS: Record<BusinessField, string> = {
  legalName: 'Legal name of the business',
  country: 'Country of registration (SE, SWE or Sweden)',
  baseCurrency: 'Base (accounting) currency',
  timezone: 'Time zone for reports and dates',
  vatNumber: 'VAT number (empty to skip)',
  eori: 'EORI number (empty to skip)',
  iossNumber: 'IOSS number for EU sales ≤ €150 (empty to skip)',
  ukVatNumber: 'UK VAT number for GB sales ≤ £135 (empty to skip)',
  voecNumber: 'Norway VOEC number (empty to skip)',
  abnArn: 'Australian ABN/ARN (empty to skip)',
};

const ADDRESS_LABELS: Record<AddressField, string> = {
  name: 'contact name',
  company: 'company (optional)',
  street1: 'street',
  street2: 'street, second line (optional)',
  city: 'city',
  state: 'state/region (optional)',
  postalCode: 'postal code',
  country: 'country (SE, SWE or Sweden)',
  phone: 'phone (optional)',
  email: 'email (optional)',
};

function fieldCheck(f: BusinessField): ((v: string) => IdCheck) | undefined {
  switch (f) {
    case 'country':
      return checkCountry;
    case 'baseCurrency':
      return (v) => ({ ok: isCurrency(v.toUpperCase()), normalised: v, message: 'not an ISO 4217 code (e.g. SEK, EUR)' });
    case 'timezone':
      return checkTimezone;
    case 'vatNumber':
      return checkVatNumber;
    case 'eori':
      return checkEori;
    case 'iossNumber':
      return checkIoss;
    case 'ukVatNumber':
      return checkVatNumber;
    case 'voecNumber':
      return checkVoec;
    case 'abnArn':
      return checkAbnArn;
    default:
      return undefined;
  }
}

function checkCountry(v: string): IdCheck {
  const c = countryCode(v);
  return c ? { ok: true, normalised: c } : { ok: false, normalised: v, message: COUNTRY_FORMAT };
}

function validator(check?: (v: string) => IdCheck, optional = false) {
  return (v: string): true | string => {
    if (!v.trim()) return optional ? true : 'required';
    if (!check) return true;
    const r = check(v.trim());
    return r.ok ? true : (r.message ?? 'invalid');
  };
}

export function register(program: Command, ctx: Ctx): void {
  const cmd = program
    .command('onboard')
    .description('Set up (or edit) the business profile, marketplaces, carriers and FX source')
    .option('--from <file>', 'read answers from a profile.json (see README); flags override it')
    .option('--marketplaces <list>', 'marketplaces to sell on: amazon,ebay,shopify (or none)')
    .option('--carriers <list>', 'carrier accounts to use: easypost,shippo (or none)')
    .addOption(new Option('--fx-source <source>', 'reference rate source').choices(['ecb']))
    .option('--default-margin <percent>', 'the pricing rule "default": target margin, e.g. 25%')
    .option('--default-markup <percent>', 'the pricing rule "default": markup on landed cost instead of a margin, e.g. 80%')
    .option('--default-fx-buffer <percent>', 'the pricing rule "default": FX buffer, e.g. 2%')
    .option('--default-ending <ending>', 'the pricing rule "default": price ending, e.g. .99, 1 or none');
  for (const f of BUSINESS_FIELDS) cmd.option(`${businessFlag(f)} <value>`, LABELS[f].replace(/ \(empty to skip\)/, ''));
  for (const prefix of ['ship-from', 'return'] as const) {
    for (const f of ADDRESS_FIELDS) cmd.addOption(new Option(`${addressFlag(prefix, f)} <value>`, `${prefix === 'ship-from' ? 'ship-from' : 'return'} address: ${ADDRESS_LABELS[f]}`).hideHelp(prefix === 'return'));
  }
  cmd.addHelpText(
    'after',
    `
The return address flags mirror the ship-from ones (--return-name, --return-street1, …); without them
returns go to the ship-from address. Countries may be given as ISO codes (SE), alpha-3 codes (SWE) or
English names (Sweden). Without --base-currency and --timezone, the country's currency and (where the
whole country keeps one time) its time zone are used. The --default-* answers become the pricing rule
"default" (see \`merchant prices rules\`). Re-running edits the stored profile and never duplicates it;
an unchanged profile is left untouched. With --no-input (or no terminal), a missing answer exits 2 and
names its flag. On a terminal every answer is kept as you go: after Ctrl-C, \`merchant onboard\` offers
to resume where you stopped.
${examples([
  'merchant onboard                                          # guided, on a terminal',
  'merchant onboard --no-input --from profile.json           # scripted; re-running changes nothing',
  'merchant onboard --ioss-number IM7520000123               # edit one field',
  'merchant onboard status --json',
  'merchant onboard check amazon documents --done --note "verified 2026-11-02"',
])}`,
  );
  cmd.action(async (opts: Opts) => {
    await runOnboard(ctx, opts, cmd);
  });

  cmd
    .command('status')
    .description('Show the profile and each marketplace’s onboarding checklist')
    .addHelpText('after', examples(['merchant onboard status', 'merchant onboard status --json']))
    .action(async () => {
      if (!ctx.storeExists()) {
        if (ctx.globals.json) return printJson(ctx.io, { profile: null, marketplaces: [], carriers: [], complete: false, next: ['merchant onboard'] });
        ctx.io.out('No business profile yet.');
        ctx.io.info('Next: merchant onboard');
        return;
      }
      const status = onboardStatus(ctx.store({ create: false }));
      if (ctx.globals.json) return printJson(ctx.io, status);
      await renderStatus(ctx, status);
    });

  cmd
    .command('check <marketplace> <item>')
    .description(`Mark an onboarding checklist item (${CHECKLIST_NAMES.join(', ')})`)
    .option('--done', 'mark it done')
    .option('--todo', 'mark it not done yet')
    .option('--na', 'mark it not applicable')
    .option('--note <text>', 'a note to keep with it (e.g. a reference number)')
    .addHelpText('after', examples(['merchant onboard check ebay agreement --done', 'merchant onboard check amazon deposit --na --note "FBA pan-EU later"']))
    .action(async (mp: string, it: string, o: { done?: boolean; todo?: boolean; na?: boolean; note?: string }) => {
      const marketplace = oneOf('<marketplace>', mp, MARKETPLACES, 'marketplace')!;
      const item = oneOf('<item>', it, CHECKLIST_NAMES, 'checklist item')!;
      const chosen = [o.done && 'done', o.todo && 'todo', o.na && 'n/a'].filter(Boolean) as Array<'done' | 'todo' | 'n/a'>;
      if (chosen.length !== 1) throw new UsageError('pass exactly one of --done, --todo, --na');
      const store = ctx.store({ create: false });
      await ctx.writeLock('onboard check');
      const profile = loadProfile(store);
      if (!profile?.marketplaces.includes(marketplace as (typeof MARKETPLACES)[number])) {
        throw new UsageError(`${marketplace} is not one of the profile's marketplaces`, { hints: [`add it: merchant onboard --marketplaces ${[...(profile?.marketplaces ?? []), marketplace].join(',')}`] });
      }
      const r = setChecklistItem(store, marketplace, item, chosen[0]!, o.note, ctx.clock.now().toISOString());
      if (ctx.globals.json) return printJson(ctx.io, { marketplace, item, status: chosen[0], changed: r.changed });
      ctx.io.success(`${marketplace} ${item}: ${chosen[0]}${r.changed ? '' : ' (unchanged)'}`);
    });
}

function draftFromFlags(opts: Opts): { draft: ProfileDraft; given: number } {
  const draft: ProfileDraft = { business: {}, shipFrom: {} };
  let given = 0;
  for (const f of BUSINESS_FIELDS) {
    const v = opts[f];
    if (typeof v === 'string') {
      draft.business[f] = v;
      given++;
    }
  }
  for (const [prefix, key] of [['ship-from', 'shipFrom'], ['return', 'returnAddress']] as const) {
    for (const f of ADDRESS_FIELDS) {
      const optName = camel(`${prefix}-${kebab(f)}`);
      const v = opts[optName];
      if (typeof v === 'string') {
        const target = (draft[key] ??= {});
        target[f] = v;
        given++;
      }
    }
  }
  if (typeof opts.marketplaces === 'string') {
    draft.marketplaces = listOf('--marketplaces', opts.marketplaces, [...MARKETPLACES, 'none'], 'marketplace');
    given++;
  }
  if (typeof opts.carriers === 'string') {
    draft.carriers = listOf('--carriers', opts.carriers, [...CARRIERS, 'none'], 'carrier');
    given++;
  }
  if (typeof opts.fxSource === 'string') {
    draft.fxSource = opts.fxSource;
    given++;
  }
  for (const [flag, key] of [['defaultMargin', 'margin'], ['defaultMarkup', 'markup'], ['defaultFxBuffer', 'fxBuffer'], ['defaultEnding', 'ending']] as const) {
    const v = opts[flag];
    if (typeof v !== 'string') continue;
    draft.defaultRule = { ...(draft.defaultRule ?? {}), [key]: v };
    given++;
  }
  return { draft, given };
}

function camel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

async function runOnboard(ctx: Ctx, opts: Opts, _cmd: Command): Promise<void> {
  // Read the stored profile without creating a database: a usage error must leave nothing behind.
  const stored = ctx.storeExists() ? loadProfile(ctx.store()) : null;
  let fileDraft: ProfileDraft = { business: {}, shipFrom: {} };
  if (typeof opts.from === 'string') {
    let text: string;
    try {
      text = opts.from === '-' ? readFileSync(0, 'utf8') : readFileSync(opts.from, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${opts.from}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    fileDraft = parseProfileFile(text, opts.from);
  }
  const { draft: flagDraft, given } = draftFromFlags(opts);
  let draft = mergeDrafts(profileToDraft(stored), fileDraft, flagDraft);
  let defaulted: string[] = [];
  if (ctx.io.canPrompt()) {
    // A full guided run when nothing was given; otherwise only ask for what is still missing.
    let session: SavedDraft = { startedAt: ctx.clock.now().toISOString(), full: given === 0 && typeof opts.from !== 'string', answered: [], draft };
    const saved = loadDraft(ctx);
    if (saved && saved.answered.length) {
      const when = saved.startedAt.slice(0, 16).replace('T', ' ');
      const resume = await ctx.prompt.confirm(`Resume the set-up you started ${when} UTC (${saved.answered.length} answer${saved.answered.length === 1 ? '' : 's'} kept)?`, { default: true });
      if (resume) session = { ...saved, draft: mergeDrafts(profileToDraft(stored), saved.draft, fileDraft, flagDraft) };
      else deleteDraft(ctx);
    }
    try {
      draft = await wizard(ctx, session);
    } catch (e) {
      if (e instanceof CancelledError && session.answered.length) {
        throw new CancelledError(`onboarding stopped; your ${session.answered.length} answer${session.answered.length === 1 ? ' is' : 's are'} kept`, {
          hints: ['run `merchant onboard` again to continue where you stopped'],
        });
      }
      throw e;
    }
  } else {
    ({ draft, defaulted } = countryDefaults(draft));
    const all = missingList(draft);
    if (all.length) {
      const zones = !draft.business.timezone && draft.business.country ? zonesOf(countryCode(draft.business.country) ?? '') : [];
      throw new UsageError(`missing ${all[0]}${all.length > 1 ? ` (and ${all.length - 1} more: ${all.slice(1).join(', ')})` : ''}`, {
        hints: [
          ...(zones.length > 1 ? [`${draft.business.country} has several time zones: pass --timezone ${zones.slice(0, 4).join(' | ')}${zones.length > 4 ? ' | …' : ''}`] : []),
          'pass the answers as flags or with --from profile.json; see `merchant onboard --help`',
        ],
      });
    }
  }
  checkDraft(draft); // a usage or validation error leaves nothing behind, not even a database
  const store = ctx.store();
  await ctx.writeLock('onboard');
  const result = saveProfile(store, draft, ctx.clock.now().toISOString());
  deleteDraft(ctx);
  const status = onboardStatus(store);
  if (ctx.globals.json) return printJson(ctx.io, { status: result.status, changed: result.changed, profile: result.profile, pricingRule: result.pricingRule, checklist: status.marketplaces, next: status.next });
  const verb = result.status === 'created' ? 'Created' : result.status === 'updated' ? `Updated (${result.changed.join(', ')})` : 'Unchanged:';
  ctx.io.success(`${verb} the business profile of ${result.profile.business.legalName}`);
  if (defaulted.length) {
    const b = result.profile.business;
    const what = defaulted.map((f) => (f === '--base-currency' ? `base currency ${b.baseCurrency}` : `time zone ${b.timezone}`)).join(' and ');
    ctx.io.info(`${what} taken from the country (${b.country}); pass ${defaulted.join(' / ')} to change`);
  }
  if (result.pricingRule && result.pricingRule.outcome !== 'unchanged') {
    ctx.io.info(`pricing rule "default" ${result.pricingRule.outcome} from the profile; \`merchant prices rules list\` shows it`);
  }
  if (!ctx.globals.quiet) await renderStatus(ctx, status);
}

function missingList(draft: ProfileDraft): string[] {
  const out: string[] = [];
  for (const f of REQUIRED_BUSINESS_FIELDS) if (!draft.business[f]?.trim()) out.push(businessFlag(f));
  for (const f of REQUIRED_ADDRESS_FIELDS) if (!draft.shipFrom[f]?.trim()) out.push(addressFlag('ship-from', f));
  if (draft.marketplaces === undefined) out.push('--marketplaces');
  return out;
}

const percentCheck = (v: string): IdCheck => ({ ok: /^\d+(\.\d+)?%$/.test(v.trim()), normalised: v.trim(), message: 'a percentage such as 25%' });
const endingCheck = (v: string): IdCheck => ({ ok: /^(\.\d{1,4}|\d+|none)$/.test(v.trim()), normalised: v.trim(), message: '.99, .95 (any .NN), 1 (whole units), 10, 100 or none' });

/**
 * The guided questions. Each answer is saved to the draft file as soon as it is given, so an
 * interrupted run resumes at the first unanswered question.
 */
async function wizard(ctx: Ctx, session: SavedDraft): Promise<ProfileDraft> {
  const d: ProfileDraft = { ...session.draft, business: { ...session.draft.business }, shipFrom: { ...session.draft.shipFrom } };
  const full = session.full;
  const answered = new Set(session.answered);
  const p = ctx.prompt;
  const io = ctx.io;
  /** Ask once: skipped when answered before an interruption; saved right after. */
  const once = async (key: string, ask: () => Promise<void>) => {
    if (answered.has(key)) return;
    await ask();
    answered.add(key);
    session.answered = [...answered];
    saveDraft(ctx, { ...session, draft: d });
  };
  const heading = (t: string, extra = '') => io.info(io.chalkErr.bold(t) + (extra ? io.chalkErr.dim(extra) : ''));

  if (full) heading('Business profile', '  (Enter keeps the value in brackets; Ctrl-C keeps your answers for later)');
  for (const f of BUSINESS_FIELDS) {
    const needed = full || (REQUIRED_BUSINESS_FIELDS.includes(f) && !d.business[f]?.trim());
    if (!needed) continue;
    await once(`business.${f}`, async () => {
      const country = d.business.country ? countryCode(d.business.country) : undefined;
      let def = d.business[f];
      if (!def && f === 'baseCurrency' && country) def = countryInfo(country)?.currency;
      if (f === 'timezone' && country && !def) {
        const v = await askTimezone(ctx, country);
        if (v) {
          d.business.timezone = v;
          return;
        }
      }
      let label = LABELS[f];
      if (f === 'vatNumber' && country) {
        const example = VAT_COUNTRIES.get(country === 'GR' ? 'EL' : country === 'CH' ? 'CHE' : country)?.example;
        if (example) label = `VAT number, e.g. ${example} (empty to skip)`;
      }
      const optional = !REQUIRED_BUSINESS_FIELDS.includes(f);
      const v = (await p.text(businessFlag(f), label, { default: def, validate: validator(fieldCheck(f), optional) })).trim();
      if (v) d.business[f] = f === 'country' ? countryCode(v)! : f === 'baseCurrency' ? v.toUpperCase() : (fieldCheck(f)?.(v).normalised ?? v);
      else delete d.business[f];
    });
  }

  const needAddress = full || REQUIRED_ADDRESS_FIELDS.some((f) => !d.shipFrom[f]?.trim());
  if (needAddress) {
    heading('Ship-from address');
    await askAddress(ctx, d, 'shipFrom', full, once);
  }
  if (full) {
    await once('returnAddress.same', async () => {
      heading('Return address');
      const same = await p.confirm('Do returns go to the ship-from address?', { default: !d.returnAddress });
      if (same) delete d.returnAddress;
      else d.returnAddress = { ...(d.returnAddress ?? {}) };
    });
    if (d.returnAddress) await askAddress(ctx, d, 'returnAddress', true, once);
  }
  if (full || d.marketplaces === undefined) {
    await once('marketplaces', async () => {
      d.marketplaces = await p.checkbox('--marketplaces', 'Marketplaces you sell on', MARKETPLACES.map((m) => ({ name: m, value: m, checked: d.marketplaces?.includes(m) ?? false })));
    });
  }
  if (full) {
    await once('carriers', async () => {
      d.carriers = await p.checkbox('--carriers', 'Carrier accounts for labels', CARRIERS.map((c) => ({ name: c, value: c, checked: d.carriers?.includes(c) ?? false })));
    });
    await once('fxSource', async () => {
      d.fxSource = await p.select('--fx-source', 'Exchange rates from', [{ name: 'ECB euro reference rates (daily, free; `merchant fx update`)', value: 'ecb' }], 'ecb');
    });
    await once('defaultRule', async () => {
      heading('Default pricing rule', '  (used for every channel without its own rule; empty to skip)');
      const r = { ...(d.defaultRule ?? {}) };
      const margin = (await p.text('--default-margin', 'Target margin, as a share of the net price (e.g. 25%)', { default: r.margin, validate: validator(percentCheck, true) })).trim();
      if (!margin) {
        delete d.defaultRule;
        return;
      }
      const fxBuffer = (await p.text('--default-fx-buffer', 'FX buffer on converted costs (e.g. 2%)', { default: r.fxBuffer ?? '2%', validate: validator(percentCheck, true) })).trim();
      const ending = (await p.text('--default-ending', 'Price ending (.99, .95, 1 for whole units, none)', { default: r.ending ?? '.99', validate: validator(endingCheck, true) })).trim();
      d.defaultRule = { margin, ...(fxBuffer ? { fxBuffer } : {}), ...(ending ? { ending } : {}) };
    });
  }
  return d;
}

/** The time zone: the country's own when it keeps one time, else a choice among its zones. */
async function askTimezone(ctx: Ctx, country: string): Promise<string | undefined> {
  const { zone, differing } = countryZones(country, ctx.clock.now().getUTCFullYear());
  if (!zone) return undefined;
  if (!differing.length) {
    const v = (await ctx.prompt.text('--timezone', LABELS.timezone, { default: zone, validate: validator(checkTimezone) })).trim();
    return checkTimezone(v).normalised;
  }
  const OTHER = '\u0000other';
  const choice = await ctx.prompt.select('--timezone', `${LABELS.timezone} (${country} has several)`, [...zonesOf(country).map((z) => ({ name: z, value: z })), { name: 'another zone…', value: OTHER }], zone);
  if (choice !== OTHER) return choice;
  const v = (await ctx.prompt.text('--timezone', LABELS.timezone, { validate: validator(checkTimezone) })).trim();
  return checkTimezone(v).normalised;
}

async function askAddress(ctx: Ctx, d: ProfileDraft, key: 'shipFrom' | 'returnAddress', full: boolean, once: (key: string, ask: () => Promise<void>) => Promise<void>): Promise<void> {
  const prefix = key === 'shipFrom' ? 'ship-from' : 'return';
  const title = key === 'shipFrom' ? 'Ship-from' : 'Return';
  for (const f of ADDRESS_FIELDS) {
    const a = (d[key] ??= {});
    const required = REQUIRED_ADDRESS_FIELDS.includes(f);
    if (!full && (!required || a[f]?.trim())) continue;
    await once(`${key}.${f}`, async () => {
      let def = a[f];
      if (!def && f === 'country') def = key === 'returnAddress' ? d.shipFrom.country : d.business.country;
      const country = countryCode(a.country ?? d.business.country ?? '') ?? '';
      const check =
        f === 'country' ? checkCountry
        : f === 'postalCode' ? (v: string) => checkPostalCode(country, v)
        : f === 'email' ? checkEmail
        : undefined;
      const v = (await ctx.prompt.text(addressFlag(prefix, f), `${title} ${ADDRESS_LABELS[f]}`, { default: def, validate: validator(check, !required) })).trim();
      if (v) a[f] = f === 'country' ? countryCode(v)! : v;
      else delete a[f];
    });
  }
}

async function renderStatus(ctx: Ctx, status: OnboardStatus): Promise<void> {
  const io = ctx.io;
  const p = status.profile;
  if (!p) {
    io.out('No business profile yet.');
    io.info('Next: merchant onboard');
    return;
  }
  const b = p.business;
  await printFields(io, [
    ['business', b.legalName],
    ['country', b.country],
    ['base currency', b.baseCurrency],
    ['time zone', b.timezone],
    ['VAT', b.vatNumber],
    ['EORI', b.eori],
    ['IOSS', b.iossNumber],
    ['UK VAT', b.ukVatNumber],
    ['VOEC', b.voecNumber],
    ['ABN/ARN', b.abnArn],
    ['ship from', `${p.shipFrom.name}, ${p.shipFrom.street1}, ${p.shipFrom.postalCode} ${p.shipFrom.city}, ${p.shipFrom.country}`],
    ['marketplaces', p.marketplaces.join(', ') || 'none'],
    ['carriers', p.carriers.join(', ') || 'none'],
    ['FX source', p.fxSource],
  ]);
  const rows = status.marketplaces.flatMap((m) => m.items.map((i) => ({ m: m.marketplace, ...i })));
  if (rows.length) {
    if (io.isStdoutTTY) io.out('');
    await printRows(io, rows, [
      { header: 'MARKETPLACE', value: (r) => r.m },
      { header: 'STEP', value: (r) => r.item },
      {
        header: 'STATUS',
        value: (r) => r.status,
        color: (t, r, o) => (r.status === 'done' ? o.chalk.green(t) : r.status === 'n/a' ? o.chalk.dim(t) : o.chalk.yellow(t)),
      },
      { header: 'WHAT', value: (r) => r.label + (r.note ? ` — ${r.note}` : ''), overflow: 'wrap' },
    ]);
  }
  if (status.next.length) {
    io.info('');
    io.info('Next steps:');
    for (const n of status.next) io.info(`  ${n}`);
  }
}


