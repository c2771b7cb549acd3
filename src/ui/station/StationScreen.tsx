/**
 * The station: one project's model beside the line, full-window. One large verdict with its
 * reason, the latest part with its heatmap, the shift's counters, the last failures, the source
 * (a camera or a watched folder), and the audit log. A fail can sound and flash (switchable).
 */
import { useEffect, useRef } from 'react';
import { rollBack, versionChain } from '../../app/review/modelReview';
import { shortVersion } from '../../app/station/modelPublishing';
import { changeSettings, dismissStationError, dismissStationNotice, endShift, openStation, partLabel } from '../../app/station/stationWorkflow';
import { routeHash } from '../../state/navigation';
import { useProjects } from '../../state/projectsStore';
import { useStation } from '../../state/stationStore';
import { ErrorNote } from '../common/ErrorNote';
import { ProjectMissing } from '../common/ProjectMissing';
import { useObjectUrl } from '../common/useObjectUrl';
import { AuditLogPanel } from './AuditLogPanel';
import { CameraSource } from './CameraSource';
import { FailureStrip } from './FailureStrip';
import { FolderSource } from './FolderSource';
import { FollowingNote, ModelSharingPanel } from './ModelSharing';
import { ShiftCounters } from './ShiftCounters';
import { playFailTone } from './failCue';
import { VERDICT_WORDS } from './verdictWords';

export function StationScreen({ projectId }: { readonly projectId: string }) {
  const current = useProjects((s) => s.current);
  const opening = useProjects((s) => s.opening);
  const ready = current?.project.id === projectId;
  const modelId = ready ? current.project.modelId : null;
  const { latest, error, notice, storageWarning, settings, model, shift } = useStation();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (ready) void openStation(projectId);
  }, [ready, projectId, modelId]);
  useEffect(() => heading.current?.focus(), [ready]);

  const latestId = latest?.record.id;
  const failed = latest?.record.verdict === 'fail';
  useEffect(() => {
    if (latestId && failed && settings.cue) playFailTone();
  }, [latestId, failed, settings.cue]);

  if (!ready) return <ProjectMissing opening={opening === projectId} />;
  const verdict = latest?.record.verdict ?? null;
  return (
    <div className={`station${failed && settings.cue ? ' station-alarm' : ''}`}>
      <header className="station-bar">
        <h1 ref={heading} tabIndex={-1}>
          Station: {current.project.name}
        </h1>
        <span className="muted">
          {model ? `Model ${shortVersion(model.sha256)}` : 'Model: none yet'}
          {shift ? ` · shift since ${new Date(shift.startedAt).toLocaleString()}` : ' · a new shift starts with the first part'}
        </span>
        <ModelVersionNote />
        <label>
          Parts from{' '}
          <select value={settings.source} onChange={(e) => void changeSettings({ source: e.currentTarget.value as 'camera' | 'folder' })}>
            <option value="camera">A camera</option>
            <option value="folder">A watched folder</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={settings.cue} onChange={(e) => void changeSettings({ cue: e.currentTarget.checked })} /> Sound and colour on a fail
        </label>
        <button type="button" onClick={() => void endShift()} disabled={!shift}>
          End the shift
        </button>
        <a href={routeHash({ screen: 'inspect', projectId })}>Leave the station</a>
      </header>
      <FollowingNote />
      <ErrorNote message={error} onDismiss={dismissStationError} />
      {notice && (
        <p role="status" className="station-notice">
          {notice}{' '}
          <button type="button" onClick={dismissStationNotice}>
            Dismiss
          </button>
        </p>
      )}
      {storageWarning && (
        <p className="warning" role="alert">
          {storageWarning}
        </p>
      )}
      <div className="station-grid">
        <section className="station-verdict" data-verdict={verdict ?? 'waiting'} aria-label="Verdict" aria-live="polite">
          <p className="station-verdict-word" data-testid="station-verdict">
            {verdict ? VERDICT_WORDS[verdict] : 'WAITING'}
          </p>
          <p className="station-reason">{latest ? `${partLabel(latest.record)}: ${latest.record.reason}` : 'No part inspected yet in this shift.'}</p>
        </section>
        <LatestPart />
        <ShiftCounters />
        {settings.source === 'camera' ? <CameraSource disabled={!model || error !== null} /> : <FolderSource disabled={!model || error !== null} />}
        <FailureStrip />
      </div>
      <ModelSharingPanel hasModel={model !== null} />
      <AuditLogPanel projectId={projectId} />
    </div>
  );
}

function LatestPart() {
  const latest = useStation((s) => s.latest);
  const busy = useStation((s) => s.busy);
  const image = useObjectUrl(latest?.image);
  const heatmap = useObjectUrl(latest?.heatmap);
  return (
    <section className="panel station-latest" aria-labelledby="station-latest-heading">
      <h2 id="station-latest-heading">Latest part{latest ? `: ${partLabel(latest.record)}` : ''}</h2>
      <p className="muted">{busy ? 'Inspecting the next part…' : 'Waiting for a part.'}</p>
      {image && heatmap ? (
        <div className="station-overlay">
          <img src={image} alt={`The part, ${partLabel(latest!.record)}`} />
          <img src={heatmap} alt="Its heatmap: warm where it differs from the good parts" className="station-heatmap" />
        </div>
      ) : (
        <p className="muted">The latest part and its heatmap show here.</p>
      )}
    </section>
  );
}

/** Which version of the model decides, what changed in it, and the way back. */
function ModelVersionNote() {
  const current = useProjects((s) => s.current);
  const chain = current ? versionChain(current.models, current.project.modelId) : [];
  const version = chain[0]?.version;
  if (!version) return null;
  return (
    <span className="station-version">
      <span data-testid="model-version">
        Version {chain.length}, {new Date(version.at).toLocaleString()}: {version.change}
      </span>{' '}
      <button type="button" onClick={() => void rollBack()}>
        Roll back to version {chain.length - 1}
      </button>
    </span>
  );
}
