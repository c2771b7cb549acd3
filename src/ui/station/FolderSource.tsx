/**
 * The station's watched folder: pick the folder a line camera writes into; each image file that
 * arrives after that is inspected once, in arrival order. Needs the File System Access API
 * (Chromium-based desktop browsers); elsewhere it says so. The watch ends when the screen goes;
 * after a reload the folder is picked again (the browser asks again for access) and files the
 * shift already decided are not taken twice.
 */
import { useEffect, useState } from 'react';
import { watchFolder, type FolderWatch, type ListableDirectory } from '../../app/station/folderWatch';
import { decidedFileNames, offerPart } from '../../app/station/stationWorkflow';
import { canPickDirectory, NO_DIRECTORY_PICKER, pickDirectory } from '../common/directoryPicker';

interface Watching {
  readonly name: string;
  readonly existing: number | null;
  readonly watch: FolderWatch;
}

export function FolderSource({ disabled }: { readonly disabled: boolean }) {
  const [watching, setWatching] = useState<Watching | null>(null);
  const [error, setError] = useState<string | null>(null);
  const watch = watching?.watch;
  useEffect(() => () => watch?.stop(), [watch]);

  const choose = async () => {
    setError(null);
    let folder: ListableDirectory | null;
    try {
      // TypeScript's DOM library lacks a directory handle's iteration, which the watch lists the folder by.
      folder = (await pickDirectory('watched-folder', 'read')) as unknown as ListableDirectory | null;
    } catch (e) {
      setError(`The folder could not be opened: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (!folder) return;
    const started = watchFolder(folder, (file) => offerPart({ kind: 'file', name: file.name }, async () => file), { seen: await decidedFileNames() });
    setWatching({ name: folder.name, existing: null, watch: started });
    void started.existing.then((existing) => setWatching((w) => (w?.watch === started ? { ...w, existing } : w)));
    started.done.catch((e: unknown) => {
      setWatching((w) => (w?.watch === started ? null : w));
      setError(`Watching the folder stopped: ${e instanceof Error ? e.message : String(e)}`);
    });
  };

  return (
    <section className="panel station-source" aria-labelledby="station-folder-heading">
      <h2 id="station-folder-heading">Watched folder</h2>
      {!canPickDirectory() ? (
        <p className="warning" role="alert">
          This browser cannot watch a folder: {NO_DIRECTORY_PICKER}. Use a camera here, or drop the files on the Inspect screen.
        </p>
      ) : watching ? (
        <>
          <p role="status">
            Watching <strong>{watching.name}</strong>: each new image file is inspected once, oldest first.
            {watching.existing !== null && ` ${watching.existing} file${watching.existing === 1 ? ' was' : 's were'} there before and ${watching.existing === 1 ? 'is' : 'are'} left alone.`}
          </p>
          <button type="button" onClick={() => setWatching(null)}>
            Stop watching
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={() => void choose()} disabled={disabled}>
          Choose the folder to watch
        </button>
      )}
      {error && (
        <p className="warning" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
