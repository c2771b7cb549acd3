/**
 * The estimate of seconds left in a training, from the rates measured so far. The classifier
 * and the condensation are counted in multiply-adds (their per-epoch cost is known in advance);
 * a stage that has not started borrows the rate of the last one measured. The features stage
 * has no such measure of what follows, so there is no estimate until the first epoch of a later
 * stage; calibration enters once it runs (seconds per class).
 */
import type { TrainingStage } from '../core/model/pixoodModel';

export interface TrainingWork {
  /** Multiply-adds of the whole classifier training (0 when there is none). */
  readonly classifier: number;
  /** Multiply-adds of each class's condensation. */
  readonly condensation: readonly number[];
  readonly classes: number;
}

/** Multiply-adds of one classifier epoch over `rows` patches: forward, backward to the input layer and both weight gradients. */
export function classifierEpochWork(rows: number, dim: number, hidden: number, classes: number): number {
  return 3 * rows * (dim * hidden + hidden * classes);
}

/** Multiply-adds of one condensation epoch: distances, softmin terms and the etalon gradient, each a rows × K × D sweep. */
export function condensationEpochWork(rows: number, etalons: number, dim: number): number {
  return 3 * rows * etalons * dim;
}

export class TrainingEta {
  private stage: TrainingStage | null = null;
  private stageStart = 0;
  /** Seconds per multiply-add, from the latest stage that measured one. */
  private secondsPerWork: number | null = null;

  constructor(
    private readonly work: TrainingWork,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {}

  /**
   * Seconds left when `doneWork` multiply-adds of the classifier or condensation (counted from
   * the stage's start) are done, or undefined while no rate is known.
   */
  afterWork(stage: 'classifier' | 'condensation', doneWork: number): number | undefined {
    this.enter(stage);
    const elapsed = this.now() - this.stageStart;
    if (doneWork > 0 && elapsed > 0) this.secondsPerWork = elapsed / doneWork;
    if (this.secondsPerWork === null) return undefined;
    const condensation = this.work.condensation.reduce((a, b) => a + b, 0);
    const left = stage === 'classifier' ? this.work.classifier - doneWork + condensation : condensation - doneWork;
    return Math.max(0, left) * this.secondsPerWork;
  }

  /** Seconds left in calibration when `done` of the classes are calibrated. */
  afterClasses(done: number): number | undefined {
    this.enter('calibration');
    if (done === 0) return undefined;
    return ((this.now() - this.stageStart) / done) * (this.work.classes - done);
  }

  /** Seconds since the current stage began; starts the clock of `stage` when it is new. */
  enter(stage: TrainingStage): number {
    if (this.stage !== stage) {
      this.stage = stage;
      this.stageStart = this.now();
    }
    return this.now() - this.stageStart;
  }
}
