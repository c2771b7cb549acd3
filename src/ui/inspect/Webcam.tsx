/** The webcam: a live view, and each capture goes to inspection as a PNG. Stopped when left. */
import { useCamera } from '../common/useCamera';

export function Webcam({ disabled, onCapture }: { readonly disabled: boolean; readonly onCapture: (file: File) => void }) {
  const { stream, error, video, start, stop, grab } = useCamera();

  const capture = () =>
    void grab().then((blob) => {
      if (blob) onCapture(new File([blob], `webcam-${new Date().toISOString().replace(/[:.]/g, '-')}.png`, { type: 'image/png' }));
    });

  if (!stream) {
    return (
      <>
        <button type="button" onClick={() => void start({ width: { ideal: 1280 } }, 'the webcam')} disabled={disabled}>
          Use the webcam
        </button>
        {error && (
          <span className="warning" role="alert">
            {error}
          </span>
        )}
      </>
    );
  }
  return (
    <div className="webcam">
      <video ref={video} autoPlay playsInline muted aria-label="Webcam view" />
      <button type="button" className="primary" onClick={capture} disabled={disabled}>
        Capture and inspect
      </button>
      <button type="button" onClick={stop}>
        Stop the webcam
      </button>
    </div>
  );
}
