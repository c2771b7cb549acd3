/**
 * A destructive action in two steps: the first press asks, the second does it. No modal, so
 * the keyboard focus stays where it was.
 */
import { useState } from 'react';

export interface ConfirmButtonProps {
  /** Visible text, e.g. "Delete project". */
  readonly children: string;
  /** The question, e.g. "Delete this project and all its images?" */
  readonly question: string;
  readonly onConfirm: () => void;
  readonly label?: string;
  readonly disabled?: boolean;
}

export function ConfirmButton({ children, question, onConfirm, label, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger" aria-label={label} disabled={disabled} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {children.charAt(0).toLowerCase() + children.slice(1)}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}
