// The writer lock gets a lease: the holder renews heartbeat_at while it runs, and a lock whose holder
// has not renewed it within lease_seconds is taken over (a container that died on another host can
// never be asked whether its pid is alive). boot_id and pid_start tell a live holder on this host from
// a pid that was reused after the holder died. token names one acquisition (release and renew only
// touch their own row). Existing rows keep working: a missing heartbeat reads as acquired_at.
export default {
  version: 150,
  name: 'lock-lease',
  sql: `
ALTER TABLE lock ADD COLUMN heartbeat_at TEXT;
ALTER TABLE lock ADD COLUMN lease_seconds INTEGER;
ALTER TABLE lock ADD COLUMN token TEXT;
ALTER TABLE lock ADD COLUMN boot_id TEXT;
ALTER TABLE lock ADD COLUMN pid_start TEXT;
`,
};
