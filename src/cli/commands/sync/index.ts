// `merchant sync`: a single-verb noun (registers itself as the command).
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerSync } from './sync.js';

export function register(program: Command, ctx: Ctx): void {
  registerSync(program, ctx);
}
