/** Training: the settings, one button, the progress of each stage, tuning, and the model it made. */
import { ModelPanel } from './ModelPanel';
import { SettingsForm } from './SettingsForm';
import { TrainPanel } from './TrainPanel';
import { TunePanel } from './TunePanel';

export function TrainScreen() {
  return (
    <div className="columns train-screen">
      <div className="column narrow">
        <SettingsForm />
      </div>
      <div className="column wide">
        <TrainPanel />
        <TunePanel />
        <ModelPanel />
      </div>
    </div>
  );
}
