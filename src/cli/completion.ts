// Shell completion scripts, generated from the commander tree itself (every noun loaded), so they can
// never drift from the commands: subcommands, flags (with their descriptions where the shell shows
// them), and values — channel and marketplace names, carriers, sync areas, every `--format`-style
// choice, import template formats, checklist items — and files where a flag or argument takes one.
// The scripts are static: a TAB never starts node.

import type { Argument, Command, Option } from 'commander';
import { CHANNELS, MARKETPLACES } from '../core/channels.js';
import { CHECKLIST_NAMES } from '../core/profile.js';
import { FORMATS, loadMaps } from '../adapters/csv/maps.js';
import { SYNC_AREAS } from '../services/sync/plan.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a value completes to: a word list, files, or directories. */
export type Values = { words: string[] } | { files: true } | { dirs: true } | null;

export interface OptionSpec {
  long?: string;
  short?: string;
  description: string;
  takesValue: boolean;
  values: Values;
}

export interface ArgSpec {
  name: string;
  variadic: boolean;
  values: Values;
}

export interface CommandSpec {
  /** Words from the root: [] for merchant itself, ['listings', 'import'] … */
  path: string[];
  description: string;
  options: OptionSpec[];
  args: ArgSpec[];
  subcommands: CommandSpec[];
}

const CARRIERS = ['easypost', 'shippo'];
const SHIPMENT_STATES = ['planned', 'purchasing', 'purchased', 'voided', 'failed'];
const ORDER_STATUSES = ['unshipped', 'shipped', 'cancelled', 'refunded', 'pending', 'partially_shipped'];

function templateFormats(): string[] {
  let ids: string[] = [];
  try {
    ids = loadMaps().map((m) => m.id);
  } catch {
    ids = [];
  }
  return [...new Set([...FORMATS, ...ids])];
}

/** Values of an option, from its choices, its name, or what its placeholder says it takes. */
function optionValues(o: Option): Values {
  if (o.argChoices?.length) return { words: [...o.argChoices] };
  const long = o.long ?? '';
  const placeholder = /[<[]([^>\]]*)[>\]]/.exec(o.flags)?.[1] ?? '';
  if (long === '--channel' || long === '--channels') return { words: CHANNELS.map((c) => c.code) };
  if (long === '--marketplace' || long === '--marketplaces') return { words: [...MARKETPLACES] };
  if (long === '--carrier' || long === '--carriers') return { words: CARRIERS };
  if (long === '--only') return { words: [...SYNC_AREAS] };
  if (long === '--group-by') return { words: ['day', 'week', 'month', 'channel', 'marketplace', 'country', 'sku', 'currency'] };
  if (long === '--state') return { words: SHIPMENT_STATES };
  if (long === '--status' && placeholder === 'status') return { words: ORDER_STATUSES };
  if (long === '--service') return { words: ['postal', 'courier'] };
  if (long === '--incoterm') return { words: ['DAP', 'DDP'] };
  if (long === '--rounding') return { words: ['halfUp', 'halfEven', 'halfDown', 'up', 'down', 'ceil', 'floor'] };
  if (long === '--round') return { words: ['up', 'down', 'nearest'] };
  if (long === '--source') return { words: ['ecb'] };
  if (/\bdir\b/i.test(placeholder)) return { dirs: true };
  if (/file|path|\.(json|pdf|csv|txt)\b/i.test(placeholder)) return { files: true };
  return null;
}

/** Values of a positional argument, from its name. */
function argValues(a: Argument, path: readonly string[]): Values {
  const name = a.name();
  if (a.argChoices?.length) return { words: [...a.argChoices] };
  if (name.includes('|')) return { words: name.split('|') };
  if (/^files?$/.test(name)) return { files: true };
  if (name === 'marketplace') return { words: [...MARKETPLACES] };
  if (name === 'item' && path[0] === 'onboard') return { words: [...CHECKLIST_NAMES] };
  if (name === 'format' && path[0] === 'listings') return { words: templateFormats() };
  if (name === 'shell') return { words: [...SHELLS] };
  return null;
}

function isHidden(c: Command): boolean {
  return Boolean((c as unknown as { _hidden?: boolean })._hidden);
}

function optionSpec(o: Option): OptionSpec {
  const takesValue = o.required || o.optional;
  return {
    ...(o.long ? { long: o.long } : {}),
    ...(o.short ? { short: o.short } : {}),
    description: o.description,
    takesValue,
    values: takesValue ? optionValues(o) : null,
  };
}

const HELP: OptionSpec = { long: '--help', short: '-h', description: 'show help', takesValue: false, values: null };

/** The completion model of a command and everything under it. */
export function commandSpec(cmd: Command, path: string[] = []): CommandSpec {
  const subcommands = cmd.commands.filter((c) => !isHidden(c) && c.name() !== 'help').map((c) => commandSpec(c, [...path, c.name()]));
  if (path.length === 0) {
    // `merchant help <command>` (commander's own) and `merchant help exit-codes`.
    subcommands.push({
      path: ['help'],
      description: 'show help for a command, or the exit codes',
      options: [],
      args: [{ name: 'command', variadic: false, values: { words: [...subcommands.map((s) => s.path[0]!), 'exit-codes'] } }],
      subcommands: [],
    });
  }
  return {
    path,
    description: cmd.description(),
    options: [...cmd.options.filter((o) => !o.hidden && o.long !== '--help').map(optionSpec), HELP],
    args: cmd.registeredArguments.map((a) => ({ name: a.name(), variadic: a.variadic, values: argValues(a, path) })),
    subcommands,
  };
}

function all(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(all)];
}

/** The options a command completes: its own, then the global ones (those of merchant itself). */
function optionsOf(c: CommandSpec, root: CommandSpec): OptionSpec[] {
  if (c === root) return c.options;
  return [...c.options, ...root.options.filter((o) => o.long !== '--version' && o.long !== '--help')];
}

function flagsOf(o: OptionSpec): string[] {
  return [o.long, o.short].filter((f): f is string => Boolean(f));
}

// ── bash ─────────────────────────────────────────────────────────────────────────────────────────────

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bashValues(v: Values): string {
  if (!v) return '';
  if ('files' in v) return '__files__';
  if ('dirs' in v) return '__dirs__';
  return v.words.join(' ');
}

export function bashScript(root: CommandSpec): string {
  const cmds = all(root);
  const key = (c: CommandSpec) => c.path.join(' ');
  const lines: string[] = [];
  // Each lookup sets _merchant_r rather than printing it: no subshell per word, so TAB stays instant.
  const caseOf = (fn: string, arms: Array<[string, string]>, args = '"$1"') => {
    lines.push(`${fn}() {`, '  _merchant_r=""', `  case ${args} in`);
    for (const [pattern, value] of arms) lines.push(`    ${pattern}) _merchant_r=${value} ;;`);
    lines.push('  esac', '}');
  };
  lines.push(
    '# bash completion for merchant — generated by `merchant completion bash`.',
    '# Install: merchant completion bash > ~/.local/share/bash-completion/completions/merchant',
    '# (once, into a file: generating it loads every command, about a second — too slow for an eval in ~/.bashrc)',
  );
  caseOf('_merchant_subcommands', cmds.filter((c) => c.subcommands.length).map((c) => [shq(key(c)), shq(c.subcommands.map((s) => s.path.at(-1)).join(' '))]));
  caseOf('_merchant_options', cmds.map((c) => [shq(key(c)), shq(optionsOf(c, root).flatMap(flagsOf).join(' '))]));
  // "<path>|<flag>" → the flag's values, "__none__" for a flag that takes a value nothing completes.
  const valueArms: Array<[string, string]> = [];
  for (const c of cmds) {
    for (const o of optionsOf(c, root)) {
      if (!o.takesValue) continue;
      for (const f of flagsOf(o)) valueArms.push([shq(`${key(c)}|${f}`), shq(bashValues(o.values) || '__none__')]);
    }
  }
  caseOf('_merchant_option_values', valueArms, '"$1|$2"');
  const argArms: Array<[string, string]> = [];
  for (const c of cmds) {
    c.args.forEach((a, i) => {
      const v = bashValues(a.values);
      if (!v) return;
      argArms.push([shq(`${key(c)}|${i}`), shq(v)]);
      if (a.variadic) argArms.push([`${shq(`${key(c)}|`)}*`, shq(v)]);
    });
  }
  caseOf('_merchant_arg_values', argArms, '"$1|$2"');
  lines.push(`
_merchant_reply() {
  # $1: words or __files__ / __dirs__; $2: the word being completed
  case "$1" in
    __files__) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$2")) ;;
    __dirs__) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$2")) ;;
    __none__|'') COMPREPLY=() ;;
    *)
      # A comma list (--channel amazon-uk,ebay-uk, --group-by month,channel): complete its last item.
      local IFS=$' \\t\\n' prefix=""
      if [[ "$2" == *,* ]]; then prefix="\${2%,*},"; fi
      COMPREPLY=($(compgen -P "$prefix" -W "$1" -- "\${2##*,}")) ;;
  esac
}

_merchant() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" path="" w i skip=0 nargs=0 _merchant_r
  if (( COMP_CWORD > 0 )); then prev="\${COMP_WORDS[COMP_CWORD-1]}"; fi
  # --flag=value arrives as three words when COMP_WORDBREAKS holds '='.
  if [[ "$cur" == "=" ]]; then cur=""; fi
  if [[ "$prev" == "=" ]] && (( COMP_CWORD > 1 )); then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    if (( skip )); then skip=0; continue; fi
    if [[ "$w" == "=" ]]; then skip=1; continue; fi
    case "$w" in
      -*=*) continue ;;
      -*) _merchant_option_values "$path" "$w"; [[ -n "$_merchant_r" ]] && skip=1; continue ;;
    esac
    _merchant_subcommands "$path"
    if (( nargs == 0 )) && [[ " $_merchant_r " == *" $w "* ]]; then path="\${path:+$path }$w"; else nargs=$((nargs + 1)); fi
  done
  if [[ "$prev" == -* ]]; then
    _merchant_option_values "$path" "$prev"
    if [[ -n "$_merchant_r" ]]; then _merchant_reply "$_merchant_r" "$cur"; return 0; fi
  fi
  if [[ "$cur" == -* ]]; then _merchant_options "$path"; _merchant_reply "$_merchant_r" "$cur"; return 0; fi
  _merchant_subcommands "$path"
  local subs="$_merchant_r"
  if [[ -n "$subs" ]] && (( nargs == 0 )); then
    _merchant_arg_values "$path" 0
    [[ "$_merchant_r" == __* ]] && _merchant_r=""
    _merchant_reply "$subs $_merchant_r" "$cur"
    return 0
  fi
  _merchant_arg_values "$path" "$nargs"
  _merchant_reply "$_merchant_r" "$cur"
}
complete -F _merchant merchant`);
  return `${lines.join('\n')}\n`;
}

// ── zsh ──────────────────────────────────────────────────────────────────────────────────────────────

const zq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** "name:description" as _describe wants it (a colon in the name is escaped). */
const described = (name: string, description: string) => zq(`${name.replace(/:/g, '\\:')}:${description.replace(/\s+/g, ' ').trim()}`);

function zshValues(v: Values): string {
  if (!v) return 'return 1';
  if ('files' in v) return '_files';
  if ('dirs' in v) return '_files -/';
  // compset: in a comma list (--channel amazon-uk,ebay-uk) complete the last item.
  return `compset -P '*,'; compadd -- ${v.words.map(zq).join(' ')}`;
}

export function zshScript(root: CommandSpec): string {
  const cmds = all(root);
  const key = (c: CommandSpec) => c.path.join(' ');
  const out: string[] = [
    '#compdef merchant',
    '# zsh completion for merchant — generated by `merchant completion zsh`.',
    '# Install: merchant completion zsh > "${fpath[1]}/_merchant"   (then start a new shell)',
    '#      or: echo \'source <(merchant completion zsh)\' >> ~/.zshrc   (after compinit)',
    '',
    '_merchant_subcommands() {',
    '  case "$1" in',
  ];
  for (const c of cmds.filter((c) => c.subcommands.length)) out.push(`    ${zq(key(c))}) reply=(${c.subcommands.map((s) => described(s.path.at(-1)!, s.description)).join(' ')}) ;;`);
  out.push('    *) reply=() ;;', '  esac', '}', '', '_merchant_options() {', '  case "$1" in');
  for (const c of cmds) {
    const opts = optionsOf(c, root).flatMap((o) => flagsOf(o).map((f) => described(f, o.description)));
    out.push(`    ${zq(key(c))}) reply=(${opts.join(' ')}) ;;`);
  }
  out.push('    *) reply=() ;;', '  esac', '}', '', '# 0 when the flag takes a value; then completes it.', '_merchant_option_value() {', '  case "$1|$2" in');
  for (const c of cmds) {
    for (const o of optionsOf(c, root)) {
      if (!o.takesValue) continue;
      for (const f of flagsOf(o)) out.push(`    ${zq(`${key(c)}|${f}`)}) [[ -n "$3" ]] && { ${zshValues(o.values)}; }; return 0 ;;`);
    }
  }
  out.push('  esac', '  return 1', '}', '', '_merchant_arg() {', '  case "$1|$2" in');
  for (const c of cmds) {
    c.args.forEach((a, i) => {
      if (!a.values) return;
      out.push(`    ${zq(`${key(c)}|${i}`)}) ${zshValues(a.values)} ;;`);
      if (a.variadic) out.push(`    ${zq(`${key(c)}|`)}*) ${zshValues(a.values)} ;;`);
    });
  }
  out.push(`  esac
}

_merchant() {
  local path_="" w i skip=0 nargs=0
  local -a reply subs
  for (( i = 2; i < CURRENT; i++ )); do
    w="\${words[i]}"
    if (( skip )); then skip=0; continue; fi
    case "$w" in
      -*=*) continue ;;
      -*) _merchant_option_value "$path_" "$w" "" && skip=1; continue ;;
    esac
    _merchant_subcommands "$path_"
    subs=(\${reply%%:*})
    if (( nargs == 0 )) && (( \${subs[(Ie)$w]} )); then path_="\${path_:+$path_ }$w"; else nargs=$((nargs + 1)); fi
  done
  local prev="\${words[CURRENT-1]}" cur="\${words[CURRENT]}"
  if [[ "$prev" == -* ]] && _merchant_option_value "$path_" "$prev" ""; then
    _merchant_option_value "$path_" "$prev" complete
    return
  fi
  if [[ "$cur" == -* ]]; then
    _merchant_options "$path_"
    _describe -t options 'option' reply
    return
  fi
  _merchant_subcommands "$path_"
  if (( \${#reply} )) && (( nargs == 0 )); then
    _describe -t commands 'command' reply
    _merchant_arg "$path_" 0
    return
  fi
  _merchant_arg "$path_" "$nargs"
}

if [[ "$funcstack[1]" == _merchant ]]; then
  _merchant "$@"
else
  compdef _merchant merchant
fi`);
  return `${out.join('\n')}\n`;
}

// ── fish ─────────────────────────────────────────────────────────────────────────────────────────────

const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function fishScript(root: CommandSpec): string {
  const cmds = all(root);
  const key = (c: CommandSpec) => c.path.join(' ');
  const out: string[] = [
    '# fish completion for merchant — generated by `merchant completion fish`.',
    '# Install: merchant completion fish > ~/.config/fish/completions/merchant.fish',
    '',
    '# The subcommand path typed so far ("" for merchant itself, "listings import", …).',
    'function __merchant_path',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l path ""',
    '    set -l skip 0',
    '    set -l nargs 0',
    '    for w in $words',
    '        if test $skip -eq 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $w',
    "            case '-*=*'",
    '                continue',
    "            case '-*'",
    '                if contains -- "$path|$w" $__merchant_value_flags',
    '                    set skip 1',
    '                end',
    '                continue',
    '        end',
    '        if test $nargs -eq 0; and contains -- "$path|$w" $__merchant_subcommands',
    '            set path (string trim -- "$path $w")',
    '        else',
    '            set nargs (math $nargs + 1)',
    '        end',
    '    end',
    '    set -g __merchant_nargs $nargs',
    '    echo $path',
    'end',
    '',
    '# True when the words typed so far are PATH followed by exactly N arguments (N+ for "N+").',
    'function __merchant_arg',
    '    test (__merchant_path) = "$argv[1]"; or return 1',
    '    if string match -q -- "*+" $argv[2]',
    '        test $__merchant_nargs -ge (string trim -c + -- $argv[2])',
    '    else',
    '        test $__merchant_nargs -eq $argv[2]',
    '    end',
    'end',
    '',
    'function __merchant_at',
    '    test (__merchant_path) = "$argv[1]"',
    'end',
    '',
  ];
  const subs = cmds.flatMap((c) => c.subcommands.map((s) => fq(`${key(c)}|${s.path.at(-1)}`)));
  out.push(`set -g __merchant_subcommands ${subs.join(' ')}`);
  const valueFlags = cmds.flatMap((c) => optionsOf(c, root).filter((o) => o.takesValue).flatMap((o) => flagsOf(o).map((f) => fq(`${key(c)}|${f}`))));
  out.push(`set -g __merchant_value_flags ${valueFlags.join(' ')}`, '', 'complete -c merchant -f');
  for (const c of cmds) {
    const at = `-n ${fq(`__merchant_at ${fq(key(c))}`)}`;
    for (const s of c.subcommands) out.push(`complete -c merchant ${at} -a ${fq(s.path.at(-1)!)} -d ${fq(s.description.replace(/\s+/g, ' '))}`);
    for (const o of optionsOf(c, root)) {
      const names = [o.long ? `-l ${o.long.slice(2)}` : '', o.short ? `-s ${o.short.slice(1)}` : ''].filter(Boolean).join(' ');
      let value = '';
      if (o.takesValue) {
        const v = o.values;
        // -x: takes a value, offers no files; -r -F: takes a file.
        value = !v ? ' -x' : 'files' in v || 'dirs' in v ? ' -r -F' : ` -x -a ${fq(v.words.join(' '))}`;
      }
      out.push(`complete -c merchant ${at} ${names}${value} -d ${fq(o.description.replace(/\s+/g, ' '))}`);
    }
    // Positional values: each argument at its place; a variadic one at every later place too.
    c.args.forEach((a, i) => {
      const v = a.values;
      if (!v) return;
      const cond = `-n ${fq(`__merchant_arg ${fq(key(c))} ${i}${a.variadic ? '+' : ''}`)}`;
      out.push(`complete -c merchant ${cond} ${'words' in v ? `-a ${fq(v.words.join(' '))}` : '-F'}`);
    });
  }
  return `${out.join('\n')}\n`;
}

export function completionScript(shell: Shell, root: CommandSpec): string {
  return shell === 'bash' ? bashScript(root) : shell === 'zsh' ? zshScript(root) : fishScript(root);
}
