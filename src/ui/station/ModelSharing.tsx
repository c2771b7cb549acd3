/**
 * Several stations, one model: this station's model published to a folder for others, and a
 * published model followed here, by the manifest's URL (kept with the station's settings, so a
 * reload follows on) or by a folder (picked again after a reload, as the browser asks again).
 */
import { useEffect, useState } from 'react';
import { FOLLOW_EVERY_SECONDS, folderSource, followModel, manifestUrl, urlSource } from '../../app/station/modelFollowing';
import { publishModel, shortVersion } from '../../app/station/modelPublishing';
import { changeSettings } from '../../app/station/stationWorkflow';
import { PUBLICATION_MANIFEST } from '../../core/formats/publication';
import { useStation, type StatusLine } from '../../state/stationStore';
import { canPickDirectory, NO_DIRECTORY_PICKER, pickDirectory } from '../common/directoryPicker';

/** Under the station's bar while it follows: what, which version runs, when it last looked, and what that found. */
export function FollowingNote() {
  const following = useStation((s) => s.following);
  const model = useStation((s) => s.model);
  if (!following) return null;
  return (
    <div className="station-following">
      <p role="status" data-testid="following">
        Following {following.source}, running version {model ? shortVersion(model.sha256) : 'none yet'}, last checked {following.checkedAt ? new Date(following.checkedAt).toLocaleTimeString() : 'not yet'}.
      </p>
      <Line line={following.status} testId="following-status" />
    </div>
  );
}

function Line({ line, testId }: { readonly line: StatusLine | null; readonly testId: string }) {
  if (!line) return null;
  return (
    <p role="status" data-testid={testId} className={line.problem ? 'warning' : 'muted'}>
      {line.text}
    </p>
  );
}

export function ModelSharingPanel({ hasModel }: { readonly hasModel: boolean }) {
  return (
    <details className="panel station-sharing">
      <summary>
        <h2>Publish and follow the model</h2>
      </summary>
      <div className="station-sharing-parts">
        <PublishPart hasModel={hasModel} />
        <FollowPart />
      </div>
    </details>
  );
}

function PublishPart({ hasModel }: { readonly hasModel: boolean }) {
  const publishing = useStation((s) => s.publishing);
  const [includeBackbone, setIncludeBackbone] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const publish = async () => {
    setError(null);
    setBusy(true);
    try {
      const folder = await pickDirectory('publish-folder', 'readwrite');
      if (folder) await publishModel(folder, { includeBackbone });
    } catch (e) {
      setError(`The folder could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="station-publish-heading">
      <h3 id="station-publish-heading">Publish this version</h3>
      <p className="muted">
        Writes the model into a folder as a bundle and, after it, {PUBLICATION_MANIFEST}, which names the version. Other stations follow that folder, or its copy on any web server by the manifest's URL.
      </p>
      {canPickDirectory() ? (
        <>
          <label>
            <input type="checkbox" checked={includeBackbone} onChange={(e) => setIncludeBackbone(e.currentTarget.checked)} /> Include the backbone (for stations without it)
          </label>{' '}
          <button type="button" onClick={() => void publish()} disabled={!hasModel || busy}>
            Publish to a folder
          </button>
        </>
      ) : (
        <p className="warning" role="alert">
          This browser cannot publish to a folder: {NO_DIRECTORY_PICKER}.
        </p>
      )}
      <Line line={publishing} testId="publishing" />
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function FollowPart() {
  const { followUrl, followEverySeconds } = useStation((s) => s.settings);
  const [draft, setDraft] = useState(followUrl);
  const [folder, setFolder] = useState<FileSystemDirectoryHandle | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const url = followUrl ? manifestUrl(followUrl) : null;
    if (url instanceof URL) return followModel(urlSource(url), followEverySeconds);
  }, [followUrl, followEverySeconds]);
  useEffect(() => {
    if (folder) return followModel(folderSource(folder), followEverySeconds);
  }, [folder, followEverySeconds]);

  const followUrlTyped = async () => {
    const url = manifestUrl(draft);
    setError(typeof url === 'string' ? url : null);
    if (typeof url === 'string') return;
    setFolder(null);
    await changeSettings({ followUrl: url.href });
  };
  const followFolder = async () => {
    setError(null);
    try {
      const picked = await pickDirectory('followed-folder', 'read');
      if (!picked) return;
      await changeSettings({ followUrl: '' });
      setFolder(picked);
    } catch (e) {
      setError(`The folder could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const stop = async () => {
    setFolder(null);
    await changeSettings({ followUrl: '' });
  };

  return (
    <section aria-labelledby="station-follow-heading">
      <h3 id="station-follow-heading">Follow a published model</h3>
      <p className="muted">
        Between parts the station looks at the manifest; when it names another version, the station checks that version's bundle as an import does, keeps it as a version of this project's model, and decides the next part with it. A server on another site must allow this page to read the files (CORS).
      </p>
      {followUrl || folder ? (
        <button type="button" onClick={() => void stop()}>
          Stop following
        </button>
      ) : (
        <form
          className="station-follow-form"
          onSubmit={(e) => {
            e.preventDefault();
            void followUrlTyped();
          }}
        >
          <label>
            Manifest URL{' '}
            <input type="url" value={draft} onChange={(e) => setDraft(e.currentTarget.value)} placeholder={`https://…/${PUBLICATION_MANIFEST}`} required />
          </label>{' '}
          <button type="submit">Follow</button>
          {canPickDirectory() && (
            <>
              {' '}
              <button type="button" onClick={() => void followFolder()}>
                Follow a folder
              </button>
            </>
          )}
        </form>
      )}
      <p>
        <label>
          Look at most every{' '}
          <select value={followEverySeconds} onChange={(e) => void changeSettings({ followEverySeconds: Number(e.currentTarget.value) })}>
            {FOLLOW_EVERY_SECONDS.map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds < 60 ? `${seconds} seconds` : `${seconds / 60} minute${seconds === 60 ? '' : 's'}`}
              </option>
            ))}
          </select>
        </label>
      </p>
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
