/** Training: the settings, one button, the progress of each stage, and the model it made. */
import { ModelPanel } from './ModelPanel';
import { SettingsForm } from './SettingsForm';
import { TrainPanel } from './TrainPanel';

export function TrainScreen() {
  return (
    <div className="columns train-screen">
      <div className="column narrow">
        <SettingsForm />
      </div>
      <div className="column wide">
        <TrainPanel />
        <ModelPanel />
      </div>
    </div>
  );
}
