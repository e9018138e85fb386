// ruleChooser (prices update's rule choice for many SKUs on one channel) must pick the rule pickRule
// picks: exact SKU > pattern > channel > default, then the longer literal pattern, then the name.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pickRule, ruleChooser, type StoredRule } from '../../src/services/prices/rules.js';

const skuArb = fc.stringMatching(/^[AB][-AB1]{0,4}$/);
const patternArb = fc.oneof(fc.constant(null), skuArb, fc.stringMatching(/^[AB*?][-AB1*?]{0,3}$/));
const rulesArb = fc.uniqueArray(
  fc.record({ name: fc.stringMatching(/^[a-e]{1,2}$/), channel: fc.constantFrom<string | null>(null, 'amazon-uk', 'ebay-de'), skuPattern: patternArb }),
  { selector: (r) => r.name, maxLength: 7 },
).map((rs) => rs.map((r, i): StoredRule => ({ ...r, id: i + 1, spec: { margin: '25%' }, createdAt: '', updatedAt: '' })));

describe('ruleChooser', () => {
  it('picks what pickRule picks, for every SKU and channel', () => {
    fc.assert(
      fc.property(rulesArb, fc.array(skuArb, { maxLength: 12 }), fc.constantFrom('amazon-uk', 'ebay-de'), (rules, skus, channel) => {
        const choose = ruleChooser(rules, channel);
        for (const sku of skus) expect(choose(sku)?.name).toBe(pickRule(rules, sku, channel).rule?.name);
      }),
      { numRuns: 2000 },
    );
  });
});
