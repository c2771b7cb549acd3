/**
 * Tune: candidate settings trained one after another within a time budget, each judged by its
 * capability check (synthetic defects in the held-out good images); the best is kept. The table
 * shows every candidate as it finishes.
 */
import { useId, useState } from 'react';
import { kindWords } from '../../core/capability/capability';
import { useProjects } from '../../state/projectsStore';
import { useTraining } from '../../state/trainingStore';
import { cancelTuning, startTuning } from '../../app/tuning/tuningWorkflow';
import { DEFAULT_TUNING_MINUTES, TUNING_BUDGETS_MINUTES, useTuning } from '../../state/tuningStore';
import { duration, percent } from '../format';

export function TunePanel() {
  const selectId = useId();
  const project = useProjects((s) => s.current?.project);
  const tuning = useTuning();
  const trainingRuns = useTraining((s) => s.status === 'running' || s.status === 'cancelling');
  const [minutes, setMinutes] = useState(DEFAULT_TUNING_MINUTES);
  if (!project) return null;
  const mine = tuning.projectId === project.id;
  const running = tuning.status === 'running' || tuning.status === 'cancelling';
  const current = mine && tuning.current !== null ? tuning.planned[tuning.current] : null;
  const progress = tuning.progress;

  return (
    <section className="panel" aria-labelledby="tune-heading" data-testid="tune">
      <h2 id="tune-heading">Tune the settings</h2>
      <p className="muted">
        Trains the etalon budget K at 100, 300 and 1000, at the input size and at 1.5× it, cheapest first, and keeps the candidate whose capability check lets the
        fewest synthetic defects pass at this project&apos;s α: chosen from good images only. Each candidate is a whole training.
      </p>
      <div className="train-actions">
        {running && mine ? (
          <button type="button" onClick={cancelTuning} disabled={tuning.status === 'cancelling'}>
            {tuning.status === 'cancelling' ? 'Cancelling…' : 'Cancel tuning (keep the best so far)'}
          </button>
        ) : (
          <button type="button" onClick={() => void startTuning(minutes)} disabled={running || trainingRuns}>
            Tune
          </button>
        )}
        <label htmlFor={selectId}>within</label>
        <select id={selectId} value={minutes} onChange={(e) => setMinutes(Number(e.currentTarget.value))} disabled={running}>
          {TUNING_BUDGETS_MINUTES.map((m) => (
            <option key={m} value={m}>
              {m} min
            </option>
          ))}
        </select>
      </div>
      {mine && current && (
        <p role="status">
          Candidate {tuning.current! + 1} of {tuning.planned.length}: {current.longestSide} px, K {current.etalons}
          {progress && ` · ${progress.stage} ${progress.done} of ${progress.total} ${progress.unit}`}
        </p>
      )}
      {mine && tuning.rows.length > 0 && (
        <table className="capability" aria-label="Tuning candidates">
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">K</th>
              <th scope="col">Synthetic defects passed</th>
              <th scope="col">Mid sizes passed</th>
              <th scope="col">Hardest kind</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {tuning.rows.map((row, i) => {
              const hardest = row.capability && [...row.capability.kinds].sort((a, b) => b.midEscape - a.midEscape)[0];
              return (
                <tr key={i} className={tuning.chosen === i ? 'selected' : undefined} aria-current={tuning.chosen === i ? 'true' : undefined}>
                  <td>{row.settings.longestSide} px</td>
                  <td className="number">{row.settings.etalons}</td>
                  <td className="number">{row.capability ? percent(row.capability.escape) : '—'}</td>
                  <td className="number">{row.capability ? percent(row.capability.midEscape) : '—'}</td>
                  <td>{hardest ? kindWords(hardest.kind) : '—'}</td>
                  <td className="number">{duration(row.trainingSeconds)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mine && tuning.message && (
        <p role="status" data-testid="tune-message">
          {tuning.message}
        </p>
      )}
    </section>
  );
}
