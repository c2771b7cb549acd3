/**
 * The station's camera: pick a device and a frame height, then parts are taken continuously at a
 * set rate, or one per trigger (Space or Enter anywhere but in a control, as a foot pedal that
 * types a key sends them, or a click on the live view). Each frame is grabbed only when the
 * station is free for it; otherwise it is counted as dropped. The camera stops when the screen goes.
 */
import { useCallback, useEffect, useState } from 'react';
import { changeSettings, offerPart } from '../../app/station/stationWorkflow';
import { useStation } from '../../state/stationStore';
import { useCamera } from '../common/useCamera';

const HEIGHTS = [240, 480, 720, 1080] as const;
const RATES = [0.5, 1, 2, 5, 10] as const;

/** A control that takes Space or Enter itself: a trigger key there is the control's, not the station's. */
const takesKeys = (target: EventTarget | null) => target instanceof HTMLElement && target.closest('input, select, textarea, button, a, [contenteditable]') !== null;

export function CameraSource({ disabled }: { readonly disabled: boolean }) {
  const settings = useStation((s) => s.settings);
  const camera = useCamera();
  const { stream, error, video, grab } = camera;
  const [devices, setDevices] = useState<readonly MediaDeviceInfo[]>([]);

  const start = async () => {
    const { deviceId, height } = settings;
    if (!(await camera.start({ ...(deviceId && { deviceId: { exact: deviceId } }), height: { ideal: height } }, 'the station’s camera'))) return;
    // Device names are given only once the person has allowed a camera.
    setDevices((await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput'));
  };

  const trigger = useCallback(() => {
    if (!disabled) void offerPart({ kind: 'camera' }, grab);
  }, [disabled, grab]);

  useEffect(() => {
    if (!stream || settings.mode !== 'continuous') return;
    const timer = setInterval(trigger, 1000 / settings.framesPerSecond);
    return () => clearInterval(timer);
  }, [stream, settings.mode, settings.framesPerSecond, trigger]);

  useEffect(() => {
    if (!stream || settings.mode !== 'trigger') return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.key !== ' ' && event.key !== 'Enter') || event.repeat || takesKeys(event.target)) return;
      event.preventDefault();
      trigger();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [stream, settings.mode, trigger]);

  const restart = (change: Parameters<typeof changeSettings>[0]) => {
    void changeSettings(change);
    // A new device or frame height needs a new stream.
    if (stream && ('deviceId' in change || 'height' in change)) camera.stop();
  };

  return (
    <section className="panel station-source" aria-labelledby="station-source-heading">
      <h2 id="station-source-heading">Camera</h2>
      <div className="station-controls">
        <label>
          Device{' '}
          <select value={settings.deviceId} onChange={(e) => restart({ deviceId: e.currentTarget.value })}>
            <option value="">The browser’s default</option>
            {devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || `Camera ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Frame height{' '}
          <select value={settings.height} onChange={(e) => restart({ height: Number(e.currentTarget.value) })}>
            {HEIGHTS.map((h) => (
              <option key={h} value={h}>
                {h} px
              </option>
            ))}
          </select>
        </label>
        <label>
          Take parts{' '}
          <select value={settings.mode} onChange={(e) => restart({ mode: e.currentTarget.value as 'continuous' | 'trigger' })}>
            <option value="trigger">On a trigger (Space, Enter, a click)</option>
            <option value="continuous">Continuously</option>
          </select>
        </label>
        {settings.mode === 'continuous' && (
          <label>
            Rate{' '}
            <select value={settings.framesPerSecond} onChange={(e) => restart({ framesPerSecond: Number(e.currentTarget.value) })}>
              {RATES.map((r) => (
                <option key={r} value={r}>
                  {r} a second
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {stream ? (
        <div className="station-camera">
          <video ref={video} autoPlay playsInline muted aria-label="Live camera view" onClick={settings.mode === 'trigger' ? trigger : undefined} />
          {settings.mode === 'trigger' && (
            <button type="button" className="primary" onClick={trigger} disabled={disabled}>
              Inspect this part
            </button>
          )}
          <button type="button" onClick={camera.stop}>
            Stop the camera
          </button>
        </div>
      ) : (
        <button type="button" className="primary" onClick={() => void start()} disabled={disabled}>
          Start the camera
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
