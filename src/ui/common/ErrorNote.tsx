/** A failure, announced to screen readers as it appears. */
export function ErrorNote({ message, onDismiss }: { readonly message: string | null; readonly onDismiss?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-note" role="alert">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
