/** A model being downloaded, checked or stored, with its stage and a way to stop it. */
import type { BackboneTransfer } from '../../state/backbonesStore';
import { ProgressBar } from '../common/ProgressBar';
import { bytes } from '../format';

const STAGE_WORDS = { download: 'Downloading', check: 'Checking the model', store: 'Storing it for offline use', measure: 'Timing the execution paths', load: 'Loading', features: 'Extracting features' } as const;

export function TransferProgress({ transfer, onCancel }: { readonly transfer: BackboneTransfer; readonly onCancel: () => void }) {
  const { progress } = transfer;
  const text = !progress
    ? 'Starting…'
    : progress.unit === 'bytes'
      ? `${STAGE_WORDS[progress.stage]}: ${bytes(progress.done)}${progress.total !== null ? ` of ${bytes(progress.total)}` : ''}`
      : STAGE_WORDS[progress.stage];
  return (
    <div className="transfer" role="status">
      <p>{transfer.label}</p>
      <ProgressBar label={transfer.label} done={progress?.done ?? 0} total={progress?.unit === 'bytes' ? progress.total : null} text={text} />
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
