/**
 * Where files come in: drop files or folders onto it, or choose them with its buttons (the
 * keyboard way in). Hidden system files are left out before anyone sees them.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import type { IncomingFile } from '../../state/intake/incoming';
import { droppedFiles, pickedFiles, withoutSystemFiles } from './collectFiles';

export interface DropZoneProps {
  /** What to drop, as the zone's visible title. */
  readonly title: string;
  /** One line: what happens with the files. */
  readonly hint?: ReactNode;
  readonly onFiles: (files: IncomingFile[]) => void;
  /** The file picker's filter, e.g. "image/*" or ".onnx". */
  readonly accept?: string;
  /** Offer "Choose folder" as well as "Choose files". */
  readonly folders?: boolean;
  readonly multiple?: boolean;
  readonly disabled?: boolean;
  /** Accessible names of the buttons (visible text stays short). */
  readonly filesLabel?: string;
  readonly folderLabel?: string;
}

export function DropZone({ title, hint, onFiles, accept, folders = true, multiple = true, disabled = false, filesLabel, folderLabel }: DropZoneProps) {
  const [over, setOver] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const titleId = useId();

  const deliver = (files: IncomingFile[]) => {
    const kept = withoutSystemFiles(files);
    if (kept.length > 0) onFiles(kept);
  };

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      role="group"
      aria-labelledby={titleId}
      onDragOver={(event) => {
        if (disabled) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (!disabled) void droppedFiles(event.dataTransfer).then(deliver);
      }}
    >
      <p className="drop-title" id={titleId}>
        {title}
      </p>
      {hint && <p className="drop-hint">{hint}</p>}
      <div className="drop-buttons">
        <button type="button" disabled={disabled} onClick={() => filesInput.current?.click()} aria-label={filesLabel}>
          Choose files
        </button>
        {folders && (
          <button type="button" disabled={disabled} onClick={() => folderInput.current?.click()} aria-label={folderLabel}>
            Choose folder
          </button>
        )}
      </div>
      <input
        ref={filesInput}
        type="file"
        hidden
        multiple={multiple}
        accept={accept}
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          deliver(pickedFiles(event.currentTarget.files));
          event.currentTarget.value = '';
        }}
      />
      {folders && (
        <input
          ref={(input) => {
            folderInput.current = input;
            input?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            deliver(pickedFiles(event.currentTarget.files));
            event.currentTarget.value = '';
          }}
        />
      )}
    </div>
  );
}
