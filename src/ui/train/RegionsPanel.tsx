/**
 * The regions of interest editor: include and ignore rectangles and polygons drawn on one of the
 * project's good images, and an ignore margin along the border, applied to the current model.
 * Keyboard first: the drawing area takes arrow keys (move the selected region or the polygon
 * cursor by 1% of the image, 5% with Shift; Alt+arrows resize a rectangle), Enter (adds a polygon
 * point; on the first point, or with Ctrl, closes the polygon), Escape (drops the polygon under
 * way), Delete (removes the selected region). The mouse draws a rectangle by dragging and places
 * polygon points by clicking. Nothing changes until "Apply regions"; then every kept result is
 * judged again without retraining.
 */
import { useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { MAX_MARGIN_PX, parseRegionSpec, RegionSpecError, WHOLE_IMAGE, type Region, type RegionMode, type RegionPoint, type RegionSpec } from '../../core/roi/regionSpec';
import type { ImageRecord, ModelRecord } from '../../storage/projectRecords';
import { setRegions } from '../../app/inspection/inspectionWorkflow';
import { failureMessage } from '../../state/failure';
import { useObjectUrl } from '../common/useObjectUrl';
import { ErrorNote } from '../common/ErrorNote';

/** Shares of the image an arrow key moves: fine, and with Shift coarse. */
const STEP = 0.01;
const BIG_STEP = 0.05;
/** A new rectangle: a fifth of the image, centred. */
const NEW_RECT = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 };
/** Enter this close to a polygon's first point closes it. */
const CLOSE_DISTANCE = 0.02;

const clamp = (v: number, low = 0, high = 1) => Math.min(high, Math.max(low, v));
const round = (v: number) => Math.round(v * 1e4) / 1e4;
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The region moved by (dx, dy), kept inside the image. */
function moved(region: Region, dx: number, dy: number): Region {
  if (region.kind === 'rect') return { ...region, x: round(clamp(region.x + dx, 0, 1 - region.width)), y: round(clamp(region.y + dy, 0, 1 - region.height)) };
  const xs = region.points.map((p) => p.x);
  const ys = region.points.map((p) => p.y);
  const mx = clamp(dx, -Math.min(...xs), 1 - Math.max(...xs));
  const my = clamp(dy, -Math.min(...ys), 1 - Math.max(...ys));
  return { ...region, points: region.points.map((p) => ({ x: round(p.x + mx), y: round(p.y + my) })) };
}

/** A rectangle grown (or shrunk) by (dw, dh), at least one step and inside the image. */
function resized(region: Region, dw: number, dh: number): Region {
  if (region.kind !== 'rect') return region;
  return { ...region, width: round(clamp(region.width + dw, STEP, 1 - region.x)), height: round(clamp(region.height + dh, STEP, 1 - region.y)) };
}

function describeRegion(region: Region, index: number): string {
  const what = region.kind === 'rect' ? `Rectangle ${index + 1}` : `Polygon ${index + 1}`;
  if (region.kind === 'rect') return `${what}, ${region.mode}: x ${pct(region.x)}–${pct(region.x + region.width)}, y ${pct(region.y)}–${pct(region.y + region.height)}`;
  return `${what}, ${region.mode}: ${region.points.length} points`;
}

export function RegionsPanel({ record, reference }: { readonly record: ModelRecord; readonly reference: ImageRecord | null }) {
  const saved = record.model.regions ?? WHOLE_IMAGE;
  const [draft, setDraft] = useState<RegionSpec>(saved);
  const [selected, setSelected] = useState<number | null>(null);
  const [mode, setMode] = useState<RegionMode>('ignore');
  const [polygon, setPolygon] = useState<RegionPoint[] | null>(null);
  const [cursor, setCursor] = useState<RegionPoint>({ x: 0.5, y: 0.5 });
  const [dragFrom, setDragFrom] = useState<RegionPoint | null>(null);
  const [dragTo, setDragTo] = useState<RegionPoint | null>(null);
  const [marginText, setMarginText] = useState(String(saved.marginPx));
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLDivElement>(null);
  const url = useObjectUrl(reference?.blob);
  const helpId = useId();
  const marginId = useId();
  const changed = useMemo(() => JSON.stringify(draft) !== JSON.stringify(saved), [draft, saved]);
  const calibration = record.model.imageCalibration;
  const oldModel = calibration !== null && !calibration.cells;

  const edit = (regions: readonly Region[], choose: number | null = selected) => {
    setDraft({ ...draft, regions });
    setSelected(choose);
    setNote(null);
  };
  const replace = (index: number, region: Region) => edit(draft.regions.map((r, i) => (i === index ? region : r)), index);
  const remove = (index: number) => {
    edit(draft.regions.filter((_, i) => i !== index), null);
    setNote(`${describeRegion(draft.regions[index], index)} removed.`);
  };
  const addRect = () => {
    edit([...draft.regions, { kind: 'rect', mode, ...NEW_RECT }], draft.regions.length);
    area.current?.focus();
  };
  const startPolygon = () => {
    setPolygon([]);
    setSelected(null);
    setNote('Polygon: move the cursor with the arrow keys, Enter adds a point; Enter on the first point, Ctrl+Enter or “Finish polygon” closes it; Escape drops it.');
    area.current?.focus();
  };
  const finishPolygon = (points: readonly RegionPoint[]) => {
    if (points.length < 3) {
      setNote(`A polygon needs at least 3 points; it has ${points.length}.`);
      return;
    }
    setPolygon(null);
    edit([...draft.regions, { kind: 'polygon', mode, points }], draft.regions.length);
  };
  const addPoint = (point: RegionPoint) => {
    if (!polygon) return;
    const first = polygon[0];
    if (polygon.length >= 3 && Math.hypot(point.x - first.x, point.y - first.y) <= CLOSE_DISTANCE) finishPolygon(polygon);
    else setPolygon([...polygon, { x: round(point.x), y: round(point.y) }]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const arrow = arrows[event.key];
    if (polygon) {
      if (arrow) setCursor({ x: round(clamp(cursor.x + arrow[0])), y: round(clamp(cursor.y + arrow[1])) });
      else if (event.key === 'Enter' && event.ctrlKey) finishPolygon(polygon);
      else if (event.key === 'Enter') addPoint(cursor);
      else if (event.key === 'Backspace') setPolygon(polygon.slice(0, -1));
      else if (event.key === 'Escape') {
        setPolygon(null);
        setNote('Polygon dropped.');
      } else return;
      event.preventDefault();
      return;
    }
    if (selected === null || !draft.regions[selected]) return;
    const region = draft.regions[selected];
    if (arrow && event.altKey) replace(selected, resized(region, arrow[0], arrow[1]));
    else if (arrow) replace(selected, moved(region, arrow[0], arrow[1]));
    else if (event.key === 'Delete' || event.key === 'Backspace') remove(selected);
    else return;
    event.preventDefault();
  };

  const pointAt = (event: PointerEvent<HTMLDivElement>): RegionPoint => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (polygon) {
      addPoint(pointAt(event));
      return;
    }
    setDragFrom(pointAt(event));
    setDragTo(pointAt(event));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!dragFrom) return;
    const to = pointAt(event);
    setDragFrom(null);
    setDragTo(null);
    const x = Math.min(dragFrom.x, to.x);
    const y = Math.min(dragFrom.y, to.y);
    const width = Math.abs(to.x - dragFrom.x);
    const height = Math.abs(to.y - dragFrom.y);
    if (width >= STEP && height >= STEP) edit([...draft.regions, { kind: 'rect', mode, x: round(x), y: round(y), width: round(Math.min(width, 1 - x)), height: round(Math.min(height, 1 - y)) }], draft.regions.length);
  };

  const apply = async () => {
    const margin = Number(marginText);
    if (marginText.trim() === '' || !Number.isInteger(margin) || margin < 0 || margin > MAX_MARGIN_PX) {
      setError(`The margin must be a whole number of pixels from 0 to ${MAX_MARGIN_PX}, not “${marginText}”.`);
      return;
    }
    let spec: RegionSpec;
    try {
      spec = parseRegionSpec({ ...draft, marginPx: margin });
    } catch (e) {
      setError(e instanceof RegionSpecError ? e.message : failureMessage(e));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (await setRegions(spec)) setNote('Regions applied: every kept result was judged again within them.');
    } catch (e) {
      setError(`The regions were not applied: ${failureMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const discard = () => {
    setDraft(saved);
    setMarginText(String(saved.marginPx));
    setSelected(null);
    setPolygon(null);
    setError(null);
    setNote('Changes discarded.');
  };

  const marginShare = reference ? { x: (Number(marginText) || 0) / reference.width, y: (Number(marginText) || 0) / reference.height } : { x: 0, y: 0 };
  const drag = dragFrom && dragTo ? { x: Math.min(dragFrom.x, dragTo.x), y: Math.min(dragFrom.y, dragTo.y), width: Math.abs(dragTo.x - dragFrom.x), height: Math.abs(dragTo.y - dragFrom.y) } : null;

  return (
    <section aria-labelledby="regions-heading" className="regions-panel">
      <h3 id="regions-heading">Regions of interest</h3>
      <p className="muted">
        Where the verdicts look. Without an include region the whole image counts; an ignore region or the margin removes what it covers, whatever includes it. A place counts when its centre is
        inside. Regions change no trained number: applying them judges every kept result again at once, and the threshold comes from the held-out good images judged within the same regions.
        The figures on the test images follow at the next “Inspect the test images”. The capability check stays over the whole image.
      </p>
      {oldModel && (
        <p className="warning">
          This model was trained before regions of interest: it keeps no per-place severities of its held-out good images, so it has no honest limit within regions and its verdicts within them
          need a retrain.
        </p>
      )}
      <fieldset className="regions-mode">
        <legend>New regions</legend>
        {(['ignore', 'include'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="region-mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {m === 'ignore' ? 'Ignore' : 'Include'}
          </label>
        ))}
      </fieldset>
      <div className="regions-tools">
        <button type="button" onClick={addRect} disabled={polygon !== null}>
          Add rectangle
        </button>
        {polygon ? (
          <>
            <button type="button" onClick={() => finishPolygon(polygon)}>
              Finish polygon
            </button>
            <button type="button" onClick={() => setPolygon(null)}>
              Cancel polygon
            </button>
          </>
        ) : (
          <button type="button" onClick={startPolygon}>
            Draw polygon
          </button>
        )}
        <label htmlFor={marginId}>Ignore margin at the border (pixels of the image)</label>
        <input id={marginId} type="number" min={0} step={1} value={marginText} onChange={(e) => setMarginText(e.target.value)} className="margin-input" />
      </div>
      <p id={helpId} className="muted small">
        In the drawing area: arrow keys move the selected region (Shift: 5%), Alt+arrows resize a rectangle, Delete removes it. Drawing a polygon: arrow keys move the cursor, Enter adds a point,
        Enter on the first point or Ctrl+Enter closes it, Escape drops it. The mouse drags out rectangles and clicks polygon points.
      </p>
      {reference && url ? (
        <div
          ref={area}
          className="regions-area"
          tabIndex={0}
          role="application"
          aria-label={`Region drawing area on ${reference.name}${selected !== null && draft.regions[selected] ? `; selected: ${describeRegion(draft.regions[selected], selected)}` : ''}${polygon ? `; polygon of ${polygon.length} points, cursor at ${pct(cursor.x)}, ${pct(cursor.y)}` : ''}`}
          aria-describedby={helpId}
          style={{ aspectRatio: `${reference.width} / ${reference.height}` }}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={(e) => dragFrom && setDragTo(pointAt(e))}
          onPointerUp={onPointerUp}
        >
          <img src={url} alt="" draggable={false} />
          <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
            {marginShare.x > 0 && (
              <path className="region-margin" fillRule="evenodd" d={`M0 0H1V1H0Z M${marginShare.x} ${marginShare.y}V${1 - marginShare.y}H${1 - marginShare.x}V${marginShare.y}Z`} />
            )}
            {draft.regions.map((region, i) =>
              region.kind === 'rect' ? (
                <rect key={i} className={`region-shape ${region.mode}${selected === i ? ' selected' : ''}`} x={region.x} y={region.y} width={region.width} height={region.height} />
              ) : (
                <polygon key={i} className={`region-shape ${region.mode}${selected === i ? ' selected' : ''}`} points={region.points.map((p) => `${p.x},${p.y}`).join(' ')} />
              ),
            )}
            {polygon && <polyline className={`region-shape ${mode} drawing`} points={[...polygon, cursor].map((p) => `${p.x},${p.y}`).join(' ')} />}
            {polygon && <circle className="region-cursor" cx={cursor.x} cy={cursor.y} r={0.012} />}
            {drag && <rect className={`region-shape ${mode} drawing`} {...drag} />}
          </svg>
        </div>
      ) : (
        <p className="muted">The project has no good image to draw on.</p>
      )}
      {draft.regions.length > 0 ? (
        <ol className="regions-list" aria-label="Regions">
          {draft.regions.map((region, i) => (
            <li key={i}>
              <button
                type="button"
                aria-pressed={selected === i}
                onClick={() => {
                  setSelected(i);
                  area.current?.focus();
                }}
              >
                {describeRegion(region, i)}
              </button>
              <button type="button" onClick={() => replace(i, { ...region, mode: region.mode === 'ignore' ? 'include' : 'ignore' })}>
                Make {region.mode === 'ignore' ? 'include' : 'ignore'}
                <span className="sr-only"> ({describeRegion(region, i)})</span>
              </button>
              <button type="button" onClick={() => remove(i)}>
                Delete
                <span className="sr-only"> {describeRegion(region, i)}</span>
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No regions: {draft.marginPx > 0 || Number(marginText) > 0 ? 'the whole image inside the margin' : 'the whole image'} counts.</p>
      )}
      <div className="regions-actions">
        <button type="button" className="primary" onClick={() => void apply()} disabled={busy || polygon !== null || (!changed && String(saved.marginPx) === marginText.trim())}>
          Apply regions
        </button>
        <button type="button" onClick={discard} disabled={busy}>
          Discard changes
        </button>
      </div>
      <p role="status" className="muted small">
        {note}
      </p>
      {error && <ErrorNote message={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
