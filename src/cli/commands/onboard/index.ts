// merchant onboard [flags | --from profile.json], onboard status, onboard check <marketplace> <item>

import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { Ctx } from '../../context.js';
import {
  ADDRESS_FIELDS, BUSINESS_FIELDS, CARRIERS, CHECKLIST_ITEMS, CHECKLIST_NAMES, REQUIRED_ADDRESS_FIELDS,
  REQUIRED_BUSINESS_FIELDS, addressFlag, businessFlag, kebab, type AddressField, type BusinessField, type ProfileDraft,
} from '../../../core/profile.js';
import { MARKETPLACES } from '../../../core/channels.js';
import { countryInfo, isCountry, isCurrency } from '../../../core/currencies.js';
import {
  checkAbnArn, checkEori, checkIoss, checkTimezone, checkVatNumber, checkVoec, checkEmail, checkPostalCode, type IdCheck,
} from '../../../core/identifiers.js';
import {
  loadProfile, mergeDrafts, onboardStatus, parseProfileFile, profileToDraft, saveProfile, setChecklistItem, type OnboardStatus,
} from '../../../services/onboard/profile.js';
import { printJson, printRows, printFields } from '../../render.js';
import { UsageError, InvalidInputError } from '../../../core/errors.js';
import { examples } from '../help.js';

type Opts = Record<string, string | boolean | undefined>;

const LABELS: Record<BusinessField, string> = {
  legalName: 'Legal name of the business',
  country: 'Country of registration (ISO code, e.g. SE)',
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
  country: 'country (ISO code)',
  phone: 'phone (optional)',
  email: 'email (optional)',
};

function fieldCheck(f: BusinessField): ((v: string) => IdCheck) | undefined {
  switch (f) {
    case 'country':
      return (v) => ({ ok: isCountry(v.toUpperCase()), normalised: v, message: 'not an ISO 3166 alpha-2 code (e.g. SE, DE, US)' });
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
    .option('--default-margin <percent>', 'default target margin for new pricing rules, e.g. 25%');
  for (const f of BUSINESS_FIELDS) cmd.option(`${businessFlag(f)} <value>`, LABELS[f].replace(/ \(empty to skip\)/, ''));
  for (const prefix of ['ship-from', 'return'] as const) {
    for (const f of ADDRESS_FIELDS) cmd.addOption(new Option(`${addressFlag(prefix, f)} <value>`, `${prefix === 'ship-from' ? 'ship-from' : 'return'} address: ${ADDRESS_LABELS[f]}`).hideHelp(prefix === 'return'));
  }
  cmd.addHelpText(
    'after',
    `
The return address flags mirror the ship-from ones (--return-name, --return-street1, …); without them
returns go to the ship-from address. Re-running edits the stored profile and never duplicates it; an
unchanged profile is left untouched. With --no-input (or no terminal), a missing answer exits 2 and
names its flag.
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
    .action(async (marketplace: string, item: string, o: { done?: boolean; todo?: boolean; na?: boolean; note?: string }) => {
      if (!(MARKETPLACES as readonly string[]).includes(marketplace)) throw new UsageError(`unknown marketplace ${JSON.stringify(marketplace)} (amazon, ebay, shopify)`);
      if (!CHECKLIST_NAMES.includes(item)) throw new UsageError(`unknown checklist item ${JSON.stringify(item)}`, { hints: [`items: ${CHECKLIST_NAMES.join(', ')}`] });
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
    draft.marketplaces = opts.marketplaces.split(',').map((s) => s.trim()).filter(Boolean);
    given++;
  }
  if (typeof opts.carriers === 'string') {
    draft.carriers = opts.carriers.split(',').map((s) => s.trim()).filter(Boolean);
    given++;
  }
  if (typeof opts.fxSource === 'string') {
    draft.fxSource = opts.fxSource;
    given++;
  }
  if (typeof opts.defaultMargin === 'string') {
    draft.defaultRule = { margin: opts.defaultMargin };
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
  const interactive = ctx.io.canPrompt();
  if (interactive) {
    // A full guided run when nothing was given; otherwise only ask for what is still missing.
    const full = given === 0 && typeof opts.from !== 'string';
    draft = await wizard(ctx, draft, full);
  } else {
    const first = firstMissing(draft);
    if (first) {
      const all = allMissing(draft);
      throw new UsageError(`missing ${first}${all.length > 1 ? ` (and ${all.length - 1} more: ${all.slice(1).join(', ')})` : ''}`, {
        hints: ['pass the answers as flags or with --from profile.json; see `merchant onboard --help`'],
      });
    }
  }
  const store = ctx.store();
  await ctx.writeLock('onboard');
  const result = saveProfile(store, draft, ctx.clock.now().toISOString());
  const status = onboardStatus(store);
  if (ctx.globals.json) return printJson(ctx.io, { status: result.status, changed: result.changed, profile: result.profile, checklist: status.marketplaces, next: status.next });
  const verb = result.status === 'created' ? 'Created' : result.status === 'updated' ? `Updated (${result.changed.join(', ')})` : 'Unchanged:';
  ctx.io.success(`${verb} the business profile of ${result.profile.business.legalName}`);
  if (!ctx.globals.quiet) await renderStatus(ctx, status);
}

function missingList(draft: ProfileDraft): string[] {
  const out: string[] = [];
  for (const f of REQUIRED_BUSINESS_FIELDS) if (!draft.business[f]?.trim()) out.push(businessFlag(f));
  for (const f of REQUIRED_ADDRESS_FIELDS) if (!draft.shipFrom[f]?.trim()) out.push(addressFlag('ship-from', f));
  if (draft.marketplaces === undefined) out.push('--marketplaces');
  return out;
}
function firstMissing(d: ProfileDraft): string | undefined {
  return missingList(d)[0];
}
function allMissing(d: ProfileDraft): string[] {
  return missingList(d);
}

async function wizard(ctx: Ctx, draft: ProfileDraft, full: boolean): Promise<ProfileDraft> {
  const d: ProfileDraft = { ...draft, business: { ...draft.business }, shipFrom: { ...draft.shipFrom } };
  const p = ctx.prompt;
  const ask = (f: BusinessField) => full || (REQUIRED_BUSINESS_FIELDS.includes(f) && !d.business[f]?.trim());
  if (full) ctx.io.info(ctx.io.chalkErr.bold('Business profile') + ctx.io.chalkErr.dim('  (Enter keeps the value in brackets)'));
  for (const f of BUSINESS_FIELDS) {
    if (!ask(f)) continue;
    let def = d.business[f];
    if (!def && f === 'baseCurrency' && d.business.country) def = countryInfo(d.business.country.toUpperCase())?.currency;
    if (!def && f === 'timezone') def = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const optional = !REQUIRED_BUSINESS_FIELDS.includes(f);
    const v = await p.text(businessFlag(f), LABELS[f], { default: def, validate: validator(fieldCheck(f), optional) });
    const t = v.trim();
    if (t) d.business[f] = ['country', 'baseCurrency'].includes(f) ? t.toUpperCase() : t;
    else delete d.business[f];
  }
  const needAddress = full || REQUIRED_ADDRESS_FIELDS.some((f) => !d.shipFrom[f]?.trim());
  if (needAddress) {
    ctx.io.info(ctx.io.chalkErr.bold('Ship-from address'));
    for (const f of ADDRESS_FIELDS) {
      const required = REQUIRED_ADDRESS_FIELDS.includes(f);
      if (!full && (!required || d.shipFrom[f]?.trim())) continue;
      let def = d.shipFrom[f];
      if (!def && f === 'country') def = d.business.country;
      const country = (d.shipFrom.country ?? d.business.country ?? '').toUpperCase();
      const check =
        f === 'country' ? (v: string) => ({ ok: isCountry(v.toUpperCase()), normalised: v, message: 'not an ISO 3166 alpha-2 code' })
        : f === 'postalCode' ? (v: string) => checkPostalCode(country, v)
        : f === 'email' ? checkEmail
        : undefined;
      const v = await p.text(addressFlag('ship-from', f), `Ship-from ${ADDRESS_LABELS[f]}`, { default: def, validate: validator(check, !required) });
      const t = v.trim();
      if (t) d.shipFrom[f] = f === 'country' ? t.toUpperCase() : t;
      else delete d.shipFrom[f];
    }
  }
  if (full || d.marketplaces === undefined) {
    const chosen = await p.checkbox(
      '--marketplaces',
      'Marketplaces you sell on',
      MARKETPLACES.map((m) => ({ name: m, value: m, checked: d.marketplaces?.includes(m) ?? false })),
    );
    d.marketplaces = chosen;
  }
  if (full) {
    const chosen = await p.checkbox(
      '--carriers',
      'Carrier accounts for labels',
      CARRIERS.map((c) => ({ name: c, value: c, checked: d.carriers?.includes(c) ?? false })),
    );
    d.carriers = chosen;
  }
  return d;
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


