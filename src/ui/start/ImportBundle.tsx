/**
 * "Import a model (.pixood)": a bundle exported from this app, here or on another machine,
 * becomes a new project ready to inspect. A .pixood file dropped anywhere on the start screen
 * does the same (StartScreen routes it here).
 */
import { useRef } from 'react';
import { importModelFile } from '../../app/import/bundleImport';
import { dismissImported, dismissImportError, refuseDrop, useBundleImport } from '../../state/import/bundleImportStore';
import { navigate } from '../../state/navigation';
import { ErrorNote } from '../common/ErrorNote';

/** Imports one .pixood file and opens its project, or says why not. */
export async function importDropped(files: readonly File[]): Promise<void> {
  if (files.length !== 1 || !/\.pixood$/i.test(files[0].name)) {
    refuseDrop(files.map((f) => f.name));
    return;
  }
  const projectId = await importModelFile(files[0]);
  // Straight to where the model is used; a model without its backbone first needs one, on the Project screen.
  if (projectId) navigate({ screen: useBundleImport.getState().imported?.backboneMissing ? 'project' : 'inspect', projectId });
}

export function ImportBundleButton() {
  const input = useRef<HTMLInputElement>(null);
  const importing = useBundleImport((s) => s.importing);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={importing !== null}>
        Import a model (.pixood)
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept=".pixood"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="import-bundle-input"
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          if (files.length > 0) void importDropped(files);
        }}
      />
    </>
  );
}

/** What the latest import brought, on the screen it opened, until dismissed. */
export function ImportedNotice({ projectId }: { readonly projectId: string }) {
  const imported = useBundleImport((s) => s.imported);
  if (imported?.projectId !== projectId) return null;
  return (
    <div className="notice" role="status">
      <p>{imported.summary}</p>
      <button type="button" onClick={dismissImported}>
        Dismiss
      </button>
    </div>
  );
}

/** Progress and failure of the import, below the start screen's buttons. */
export function ImportBundleStatus() {
  const { importing, error } = useBundleImport();
  return (
    <>
      {importing && <p role="status">Importing {importing}: checking the bundle and its backbone…</p>}
      <ErrorNote message={error} onDismiss={dismissImportError} />
    </>
  );
}
