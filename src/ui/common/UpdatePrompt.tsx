/**
 * A quiet note when a new version of the app is installed: reload into it, or carry on. It never
 * interrupts (a reload in the middle of training would lose the run), so it is a status, not a dialog.
 */
import { useState } from 'react';
import { applyUpdate, postponeUpdate, useAppStatus } from '../../state/appStatus';

export function UpdatePrompt() {
  const waiting = useAppStatus((s) => s.updateWaiting);
  const [reloading, setReloading] = useState(false);
  return (
    <div className="update-prompt" role="status">
      {waiting && (
        <>
          <span>A new version is ready.</span>
          <button
            type="button"
            className="primary"
            disabled={reloading}
            onClick={() => {
              setReloading(true);
              // If the new version cannot take over, the buttons work again and the old one runs on.
              applyUpdate().catch(() => setReloading(false));
            }}
          >
            Reload
          </button>
          <button type="button" disabled={reloading} onClick={postponeUpdate}>
            Later
          </button>
        </>
      )}
    </div>
  );
}
