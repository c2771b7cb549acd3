/** A model's figures on the project's test images. */
import type { EvaluationRecord } from '../../storage/projectRecords';
import { count } from '../format';

const figure = (value: number) => (Number.isFinite(value) ? value.toFixed(4) : '—');

export function EvaluationFigures({ evaluation }: { readonly evaluation: EvaluationRecord }) {
  return (
    <div className="evaluation" aria-label="Test set figures">
      <p>
        On {count(evaluation.images, 'test image')} ({evaluation.defectImages} defective), {new Date(evaluation.evaluatedAt).toLocaleString()}:
      </p>
      <dl className="figures">
        <div>
          <dt>Image AUROC</dt>
          <dd data-figure="image-auroc">{figure(evaluation.imageAuroc)}</dd>
        </div>
        <div>
          <dt>Pixel AUROC</dt>
          <dd data-figure="pixel-auroc">{figure(evaluation.pixelAuroc)}</dd>
        </div>
        <div>
          <dt>AUPRO (to FPR 0.3)</dt>
          <dd data-figure="aupro">{figure(evaluation.aupro)}</dd>
        </div>
        <div>
          <dt>Pixel AP</dt>
          <dd data-figure="pixel-ap">{figure(evaluation.ap)}</dd>
        </div>
      </dl>
    </div>
  );
}
