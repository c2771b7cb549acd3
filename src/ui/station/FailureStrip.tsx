/** The shift's last failures as thumbnails, newest first; a person may find one good after all (src/app/review). */
import { goodAfterAll, realDefect } from '../../app/review/modelReview';
import { partLabel } from '../../app/station/stationWorkflow';
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
            <FailureThumb key={f.decision.id} failure={f} />
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
      {url && <img src={url} alt={`Failure ${failure.decision.seq}, ${partLabel(failure.decision)}`} />}
      <span>
        #{failure.decision.seq} {partLabel(failure.decision)}
      </span>
      <button type="button" onClick={() => void goodAfterAll(failure)} aria-label={`Good after all: ${partLabel(failure.decision)}`}>
        Good after all
      </button>
      <button type="button" onClick={() => void realDefect(failure)} aria-label={`Real defect: ${partLabel(failure.decision)}`}>
        Real defect
      </button>
    </li>
  );
}
