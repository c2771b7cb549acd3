/** A labelled progress bar; indeterminate when the total is unknown. */
export interface ProgressBarProps {
  readonly label: string;
  readonly done: number;
  /** Null while unknown. */
  readonly total: number | null;
  /** Shown after the bar, e.g. "3 of 12 images". */
  readonly text?: string;
}

export function ProgressBar({ label, done, total, text }: ProgressBarProps) {
  const known = total !== null && total > 0;
  return (
    <div className="progress">
      <progress aria-label={label} value={known ? Math.min(done, total) : undefined} max={known ? total : undefined} />
      {text && <span className="progress-text">{text}</span>}
    </div>
  );
}
