/**
 * A camera for a view: the stream shown in a <video>, stopped when it is replaced or the view
 * goes, a plain-words reason when it cannot start, and the shown frame as a PNG.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Camera {
  readonly stream: MediaStream | null;
  readonly error: string | null;
  readonly video: React.RefObject<HTMLVideoElement | null>;
  /** Asks for a stream; true when one started. `use` says what the camera is for, in the refusal message. */
  start(constraints: MediaTrackConstraints, use: string): Promise<boolean>;
  stop(): void;
  /** The frame on show as a PNG; null before the first frame. */
  grab(): Promise<Blob | null>;
}

function cameraError(e: unknown, use: string): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError') return `Camera access was refused. Allow it in the browser’s site settings to use ${use}.`;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found (or none offers what was asked of it).';
  return `The camera could not start: ${e instanceof Error ? e.message : String(e)}`;
}

export function useCamera(): Camera {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const start = async (constraints: MediaTrackConstraints, use: string): Promise<boolean> => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError('This browser offers no camera access here.');
      return false;
    }
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: constraints, audio: false }));
      return true;
    } catch (e) {
      setError(cameraError(e, use));
      return false;
    }
  };

  // Stable, so a timer or key handler that grabs need not be set up again on every render.
  const grab = useCallback((): Promise<Blob | null> => {
    const element = video.current;
    if (!element || element.videoWidth === 0) return Promise.resolve(null);
    const canvas = document.createElement('canvas');
    canvas.width = element.videoWidth;
    canvas.height = element.videoHeight;
    canvas.getContext('2d')?.drawImage(element, 0, 0);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  }, []);

  return { stream, error, video, start, stop: () => setStream(null), grab };
}
