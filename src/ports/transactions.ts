// One unit of work: everything fn writes through the repositories lands together or not at all.
// The SQLite store runs it as BEGIN IMMEDIATE … COMMIT; another backend as its own transaction.
export interface Transactions {
  tx<T>(fn: () => T): T;
}
