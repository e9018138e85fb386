import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerSales } from './sales.js';

export function register(program: Command, ctx: Ctx): void {
  const report = program.command('report').description('Sales reports and accountant exports that reconcile to the cent');
  registerSales(report, ctx);
}
