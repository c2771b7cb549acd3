/** How much this site stores, and a way to ask the browser not to evict it. */
import { useEffect, useState } from 'react';
import { refreshStorage, requestPersistence, useProjects } from '../../state/projectsStore';
import { bytes } from '../format';

export function StoragePanel() {
  const storage = useProjects((s) => s.storage);
  const [asked, setAsked] = useState<boolean | null>(null);
  useEffect(() => {
    void refreshStorage();
  }, []);
  return (
    <section aria-labelledby="storage-heading" className="panel storage">
      <h2 id="storage-heading">Storage</h2>
      {storage === null ? (
        <p className="muted">This browser does not say how much storage this site uses.</p>
      ) : (
        <>
          <p>
            {bytes(storage.usage)} used of {bytes(storage.quota)} available to this site.
          </p>
          <p>
            {storage.persisted
              ? 'Persistent: the browser will not delete this data to free space; only you can.'
              : 'Not persistent: if the disk runs short, the browser may delete this data (models and results included).'}
          </p>
          {!storage.persisted && (
            <button type="button" onClick={() => void requestPersistence().then(setAsked)}>
              Ask to keep the data
            </button>
          )}
          {asked === false && <p className="muted">The browser declined for now; it tends to grant this to sites you use often or have bookmarked.</p>}
        </>
      )}
    </section>
  );
}
