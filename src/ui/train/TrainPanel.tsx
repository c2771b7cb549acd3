/** One Train button; while it runs, each stage's progress and time, the losses and the etalons; Cancel at any time. */
import { useProjects } from '../../state/projectsStore';
import { trainingProblems } from '../../state/trainingRequest';
import { cancelTraining, startTraining } from '../../app/training/trainingWorkflow';
import { useTraining, type StageProgress } from '../../state/trainingStore';
import { useTuning } from '../../state/tuningStore';
import { PROGRESS_STAGES, type ProgressStage } from '../../engine/api';
import { ProgressBar } from '../common/ProgressBar';
import { duration } from '../format';
import { LossChart } from './LossChart';

const STAGE_NAMES: Record<ProgressStage, string> = {
  backbone: 'Backbone',
  features: 'Features',
  classifier: 'Classifier',
  condensation: 'Condensation',
  calibration: 'Calibration',
  capability: 'Capability check',
};

const STAGE_HINTS: Record<ProgressStage, string> = {
  backbone: 'opens the backbone; on its first use in this browser, times once whether the GPU or the CPU runs it faster',
  features: 'the backbone reads every training image',
  classifier: 'learns to tell the classes apart',
  condensation: 'etalons settle on the normal patches',
  calibration: 'turns distances into false-alarm rates, then scores the held-out good images for pass/fail',
  capability: 'plants synthetic defects of every kind and size into the held-out good images: what the model catches',
};

export function TrainPanel() {
  const current = useProjects((s) => s.current);
  const training = useTraining();
  if (!current) return null;
  const { project, images } = current;
  const mine = training.projectId === project.id;
  const running = mine && (training.status === 'running' || training.status === 'cancelling');
  const tuning = useTuning((s) => s.status === 'running' || s.status === 'cancelling');
  const busyElsewhere = (!mine && (training.status === 'running' || training.status === 'cancelling')) || tuning;
  const problems = trainingProblems(project, images);
  const oneClass = project.classes.length <= 1;
  const trainCount = images.filter((i) => i.role === 'train').length;
  const skippedWhy = (stage: ProgressStage): string | null => {
    if (stage === 'classifier' && oneClass) return 'not needed with one class';
    if (stage === 'backbone' && training.status === 'done' && training.stages.backbone.startedAt === null) return 'was open already';
    // Without an image calibration there is no threshold to check against.
    if (stage === 'capability' && training.status === 'done' && training.stages.capability.startedAt === null) return 'not possible without held-out good images';
    return null;
  };

  return (
    <section className="panel" aria-labelledby="train-heading">
      <h2 id="train-heading">Train</h2>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="train-actions">
        {running ? (
          <button type="button" onClick={cancelTraining} disabled={training.status === 'cancelling'}>
            {training.status === 'cancelling' ? 'Cancelling…' : training.current === 'capability' ? 'Stop the check (keep the model)' : 'Cancel training'}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void startTraining()} disabled={problems.length > 0 || busyElsewhere}>
            Train
          </button>
        )}
        <span className="muted">
          {trainCount} training images · {project.classes.length} {oneClass ? 'class' : 'classes'}
          {tuning ? ' · tuning is training its candidates' : busyElsewhere ? ' · another project is training' : ''}
        </span>
      </div>
      {mine && training.status !== 'idle' && (
        <>
          <ol className="stages" aria-label="Training stages">
            {PROGRESS_STAGES.map((stage) => (
              <StageRow key={stage} stage={stage} progress={training.stages[stage]} skipped={skippedWhy(stage)} />
            ))}
          </ol>
          <p role="status" className="train-status">
            {training.status === 'running' && training.etaSeconds !== null && `About ${duration(training.etaSeconds)} left.`}
            {training.status === 'done' && training.seconds !== null && `Trained in ${duration(training.seconds)}.`}
            {training.status === 'done' && training.message && ` ${training.message}`}
            {(training.status === 'cancelled' || training.status === 'failed') && training.message}
          </p>
          <div className="charts">
            {!oneClass && <LossChart title="Classifier loss" points={training.losses.classifier} classes={project.classes.map((c) => c.name)} />}
            <LossChart title="Condensation loss" points={training.losses.condensation} classes={project.classes.map((c) => c.name)} />
          </div>
          {Object.keys(training.validEtalons).length > 0 && (
            <p>
              Valid etalons:{' '}
              {Object.entries(training.validEtalons)
                .map(([classId, n]) => `${project.classes[Number(classId)]?.name ?? `class ${classId}`}: ${n} of ${project.settings.etalons}`)
                .join(' · ')}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function StageRow({ stage, progress, skipped }: { readonly stage: ProgressStage; readonly progress: StageProgress; readonly skipped: string | null }) {
  const state = skipped !== null ? skipped : progress.status === 'done' ? `done${progress.seconds !== null ? ` in ${duration(progress.seconds)}` : ''}` : progress.status === 'running' ? 'running' : 'waiting';
  const amount = progress.measuring ? 'timing the GPU and CPU paths, once' : progress.unit && progress.total > 0 ? `${progress.done} of ${progress.total} ${progress.unit}` : '';
  const finished = skipped !== null || progress.status === 'done';
  const eta = progress.status === 'running' && progress.stageEtaSeconds !== null ? ` · about ${duration(progress.stageEtaSeconds)} left in this stage` : '';
  return (
    <li className={`stage stage-${skipped !== null ? 'skipped' : progress.status}`}>
      <span className="stage-name">{STAGE_NAMES[stage]}</span>
      <span className="muted"> — {STAGE_HINTS[stage]}</span>
      <ProgressBar label={`${STAGE_NAMES[stage]} progress`} done={finished ? 1 : progress.done} total={finished ? 1 : progress.status === 'running' ? progress.total || null : 1} text={`${state}${amount && progress.status === 'running' ? ` · ${amount}` : ''}${eta}`} />
    </li>
  );
}
