/** The shift's last failures as thumbnails, newest first. */
import { useStation, type StationFailure } from '../../state/stationStore';
import { useObjectUrl } from '../common/useObjectUrl';

export function FailureStrip() {
  const failures = useStation((s) => s.failures);
  return (
    <section className="panel station-failures" aria-labelledby="station-failures-heading">
      <h2 id="station-failures-heading">Last failures</h2>
      {failures.length === 0 ? (
        <p className="muted">None in this shift.</p>
      ) : (
        <ul>
          {failures.map((f) => (
            <FailureThumb key={f.decisionId} failure={f} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FailureThumb({ failure }: { readonly failure: StationFailure }) {
  const url = useObjectUrl(failure.image);
  return (
    <li>
      {url && <img src={url} alt={`Failure ${failure.seq}, ${failure.label}`} />}
      <span>
        #{failure.seq} {failure.label}
      </span>
    </li>
  );
}
