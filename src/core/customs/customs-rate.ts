// Which exchange-rate publication a customs or VAT threshold test uses (pure date arithmetic):
//   - EU customs (customs value, the EUR 150 duty threshold): the monthly customs rate — the ECB rate
//     published on the penultimate Wednesday of the previous month, or the latest publication before
//     it when there was none that day, valid for the whole month (Implementing Reg. (EU) 2015/2447
//     art. 146(2)–(3));
//   - the IOSS EUR 150 test (VAT at sale): the ECB rate of the day payment was accepted (VAT Directive
//     art. 91(2); AEAT low-value manual §3.1.5).

const DAY = 86_400_000;

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The penultimate Wednesday of the month before `date`'s month: the ECB publication the EU monthly
 * customs rate for that month is taken from (the rate lookup then uses that day or the latest
 * earlier publication, as art. 146(2) says).
 */
export function customsRateDay(date: string): { month: string; previousMonth: string; wednesday: string } {
  const d = utc(date);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth(); // 0-based: the month the rate applies to
  const lastOfPrev = new Date(Date.UTC(y, m, 0)); // day 0 = last day of the previous month
  const back = (lastOfPrev.getUTCDay() - 3 + 7) % 7; // days back to that month's last Wednesday
  const lastWednesday = new Date(lastOfPrev.getTime() - back * DAY);
  const penultimate = new Date(lastWednesday.getTime() - 7 * DAY);
  return { month: date.slice(0, 7), previousMonth: iso(lastOfPrev).slice(0, 7), wednesday: iso(penultimate) };
}
