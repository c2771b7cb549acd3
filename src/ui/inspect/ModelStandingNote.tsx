/**
 * Where verdicts are read, what they can be trusted with: the model's capability in one line and,
 * for a weak model, a warning that its passes are unsure, with why and what may help.
 */
import type { ModelRecord, ProjectRecord } from '../../storage/projectRecords';
import { modelStanding, weakModelHelp } from '../../state/modelHealth';

export function ModelStandingNote({ model, project }: { readonly model: ModelRecord; readonly project: ProjectRecord }) {
  const standing = modelStanding(model.model, model.evaluation, project);
  if (standing.weakReasons.length > 0) {
    return (
      <div className="weak-model" role="status" data-testid="model-standing" data-weak="true">
        <strong>Weak model: a PASS here says little, and is marked unsure.</strong> {standing.capabilityLine}
        {/* Folded: the verdicts and the heatmap should stay in view at a laptop's height. */}
        <details>
          <summary>Why, and what may help</summary>
          {standing.weakReasons.map((reason) => (
            <p key={reason}>{reason}</p>
          ))}
          <p>{weakModelHelp(model.model)}</p>
        </details>
      </div>
    );
  }
  return (
    <p className="model-standing" data-testid="model-standing" data-weak="false">
      {standing.capabilityLine ?? 'This model has no capability check (trained before it existed, or its check was stopped): retrain it to learn which defects it catches.'}
    </p>
  );
}
