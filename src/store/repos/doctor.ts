// `merchant doctor`'s read-only view of the database (ports/doctor.ts): the pragmas, the lock, the
// profile and the accounts. Statements moved verbatim from src/services/doctor/checks.ts.

import { openStore } from '../db.js';
import { LATEST_VERSION } from '../migrate.js';
import { inspectLock } from '../lock.js';
import type { DoctorCarrierAccount, DoctorDatabase, DoctorStore } from '../../ports/doctor.js';

export const sqliteDoctorStore: DoctorStore = {
  latestVersion: LATEST_VERSION,
  open(path: string): DoctorDatabase {
    const store = openStore(path, { readonly: true });
    const db = store.db;
    return {
      schemaVersion: () => Number(db.pragma('user_version', { simple: true })),
      integrity: () => String(db.pragma('quick_check', { simple: true })),
      journalMode: () => String(db.pragma('journal_mode', { simple: true })),
      lock: (now) => inspectLock(store, now),
      profileName: () => (db.prepare('SELECT legal_name FROM business_profile WHERE id = 1').get() as { legal_name: string } | undefined)?.legal_name,
      get marketplaceAccounts() {
        return store.marketplaceAccounts;
      },
      carrierAccounts: () => db.prepare('SELECT carrier AS name, base_url, verified_at, mode FROM carrier_accounts').all() as DoctorCarrierAccount[],
      close: () => store.close(),
    };
  },
};
