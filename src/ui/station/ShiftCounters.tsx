/** The shift's counters: parts inspected, passed, failed, to review, dropped, and the rate. */
import { useStation } from '../../state/stationStore';

/** Parts a minute over the shift so far (from its start to its latest decision). */
function perMinute(inspected: number, startedAt: string, lastAt: string | null): number | null {
  if (!lastAt || inspected === 0) return null;
  const minutes = (Date.parse(lastAt) - Date.parse(startedAt)) / 60_000;
  return minutes > 0 ? inspected / minutes : null;
}

export function ShiftCounters() {
  const shift = useStation((s) => s.shift);
  const counts = shift?.counts;
  const rate = shift ? perMinute(shift.counts.inspected, shift.startedAt, shift.lastAt) : null;
  const figures: readonly [string, string, string][] = [
    ['inspected', 'Inspected', String(counts?.inspected ?? 0)],
    ['passed', 'Passed', String(counts?.passed ?? 0)],
    ['failed', 'Failed', String(counts?.failed ?? 0)],
    ['review', 'Needs review', String(counts?.review ?? 0)],
    ['dropped', 'Frames dropped', String(counts?.dropped ?? 0)],
    ['rate', 'Parts a minute', rate === null ? '–' : rate.toFixed(1)],
  ];
  return (
    <section className="panel station-counters" aria-labelledby="station-counters-heading">
      <h2 id="station-counters-heading">This shift</h2>
      <dl>
        {figures.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-count={key}>{value}</dd>
          </div>
        ))}
      </dl>
      {(counts?.dropped ?? 0) > 0 && <p className="muted">Frames that came while a part was still being inspected were dropped, not queued: the model is slower than the rate set.</p>}
    </section>
  );
}
