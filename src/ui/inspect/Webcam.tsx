/** The webcam: a live view, and each capture goes to inspection as a PNG. Stopped when left. */
import { useEffect, useRef, useState } from 'react';

export function Webcam({ disabled, onCapture }: { readonly disabled: boolean; readonly onCapture: (file: File) => void }) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const start = async () => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError('This browser offers no camera access here.');
      return;
    }
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 } }, audio: false }));
    } catch (e) {
      const name = e instanceof DOMException ? e.name : '';
      setError(name === 'NotAllowedError' ? 'Camera access was refused. Allow it in the browser’s site settings to use the webcam.' : name === 'NotFoundError' ? 'No camera was found.' : `The camera could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const capture = () => {
    const element = video.current;
    if (!element || element.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    canvas.getContext('2d')?.drawImage(element, 0, 0);
    canvas.toBlob((blob) => {
      if (blob) onCapture(new File([blob], `webcam-${new Date().toISOString().replace(/[:.]/g, '-')}.png`, { type: 'image/png' }));
    }, 'image/png');
  };

  if (!stream) {
    return (
      <>
        <button type="button" onClick={() => void start()} disabled={disabled}>
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
      <button type="button" onClick={() => setStream(null)}>
        Stop the webcam
      </button>
    </div>
  );
}
