/** Says when the device has no network, and whether the app can still open without one. */
import { useAppStatus } from '../../state/appStatus';

const STORED = 'No network. Projects, images, models and results are stored in this browser, and the app itself is too; only downloading a new backbone needs the network.';
const NOT_STORED = 'No network, and the app has not finished storing itself for offline use: keep this page open, or reopen it once online.';

export function OfflineBadge() {
  const online = useAppStatus((s) => s.online);
  const offlineReady = useAppStatus((s) => s.offlineReady);
  return (
    <span role="status" className="offline-status">
      {!online && (
        <span className="offline-badge" title={offlineReady ? STORED : NOT_STORED}>
          {offlineReady ? 'Offline — everything still works on this device' : 'Offline — keep this page open'}
        </span>
      )}
    </span>
  );
}
