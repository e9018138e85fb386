// The request pacer's state between runs (src/adapters/http/pacer.ts): per limit key (seller, region,
// operation) a token bucket's tokens and time, or a window's send times, so a run started right after
// another (or beside it) does not assume full buckets the marketplace has already used.
export default {
  version: 102,
  name: 'rate-limits',
  sql: `
CREATE TABLE rate_limit_state (
  key        TEXT PRIMARY KEY,
  state_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
};
