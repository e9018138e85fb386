// Which order the user means, once a repository has said what a reference names (OrderLookup,
// store/repos/order-lookup.ts): the order, none, or several that the user must tell apart.

import { UsageError } from '../../core/errors.js';
import type { OrderLookup } from '../../ports/orders.js';

/**
 * The order a lookup found, or undefined when the reference names none (the caller says what is not
 * found, in its own words). A reference that names several orders is a usage error listing how to
 * write each of them ("marketplace:id").
 */
export function oneOrder<T>(ref: string, hit: OrderLookup<T>): T | undefined {
  if (hit.kind === 'ambiguous') {
    throw new UsageError(`order ${ref.trim()} names ${hit.candidates.length} orders; write it as ${hit.candidates.map((c) => `${c.marketplace}:${c.externalId}`).join(' or ')}`);
  }
  return hit.kind === 'found' ? hit.order : undefined;
}
