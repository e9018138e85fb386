// What `merchant doctor` needs of the database, read-only: open it, its schema version against the
// newest this build knows, its integrity and journal mode, the writer lock, and the accounts it should
// check. Implemented over SQLite in src/store/repos/doctor.ts and handed to the service by the command.

import type { MarketplaceAccountsRepo } from './marketplace-accounts.js';

/** The writer lock as doctor reports it (who holds it, and whether that holder is alive). */
export interface DoctorLockStatus {
  holder: { pid: number; host: string; command: string; acquiredAt: string };
  /** held (a live holder), dead, reused (pid reused by another program) or expired (lease not renewed). */
  state: 'held' | 'dead' | 'reused' | 'expired';
  /** Why, in words ("pid 123 is gone", "not renewed for 7 h (lease 5 min)"). */
  reason: string;
  /** This host, alive and the same process that took it. */
  verifiedAlive: boolean;
}

/** A connected carrier as doctor checks it (its key is in the credentials file). */
export interface DoctorCarrierAccount {
  name: string;
  base_url: string | null;
  verified_at: string | null;
  mode?: string;
}

/** One database opened read-only for the checks; close it when done. */
export interface DoctorDatabase {
  /** The schema version stored in the file (PRAGMA user_version). */
  schemaVersion(): number;
  /** "ok", or what SQLite's quick check found. */
  integrity(): string;
  journalMode(): string;
  /** The writer lock, if a row holds it (now: the command's clock in ms, for leases). */
  lock(now: () => number): DoctorLockStatus | undefined;
  /** The business profile's legal name, if the profile exists. */
  profileName(): string | undefined;
  readonly marketplaceAccounts: MarketplaceAccountsRepo;
  carrierAccounts(): DoctorCarrierAccount[];
  close(): void;
}

export interface DoctorStore {
  /** Open the database at this path read-only (throws what opening it throws: a damaged or foreign file). */
  open(path: string): DoctorDatabase;
  /** The newest schema version this build migrates to. */
  readonly latestVersion: number;
}
