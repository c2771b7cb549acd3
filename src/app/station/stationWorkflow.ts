/**
 * The station's workflow: parts from a source are inspected one at a time with the open
 * project's model, judged as the Inspect screen judges, logged, and counted in the shift.
 * A part offered while one is still being inspected is dropped and counted, never queued, so
 * a slow model keeps the page responsive and its memory flat. The shift is the audit log's: a
 * reload finds it running and resumes its counters and settings.
 */
import { modelContentSha256 } from '../../core/formats/bundle';
import { reduceMaps } from '../../core/results/reduceMaps';
import type { Inspection } from '../../engine/api';
import { AUDIT_IMAGE_SIDE, DEFAULT_STATION_SETTINGS, NO_COUNTS, type DecisionRecord, type ShiftCounts, type ShiftRecord, type StationSettings, type StationVerdict } from '../../storage/auditRecords';
import type { Verdict } from '../../core/results/imageVerdict';
import { storageUse } from '../../storage/storageQuota';
import { failureMessage, isCancelled } from '../../state/failure';
import { shrink } from '../../state/intake/readImage';
import { judgeWithin } from '../../core/roi/judgeWithin';
import { currentTarget, decided, heatmapOf, type ModelTarget } from '../../state/modelTarget';
import { audit, engineClient, newId } from '../../state/services';
import { FAILURES_SHOWN, useStation, type StationFailure } from '../../state/stationStore';

const set = useStation.setState;
const get = useStation.getState;

/** Used share of the storage quota at which the station warns that logging will stop. */
export const STORAGE_WARNING_SHARE = 0.9;
/** Decisions between two looks at the storage estimate. */
const STORAGE_CHECK_EVERY = 20;

/** Where a part came from: a camera frame (numbered in the shift) or a file (by name). */
export type PartSource = { readonly kind: 'camera' } | { readonly kind: 'file'; readonly name: string };

/** The part in flight, settled when it is decided and logged; null when the station is free. */
let inFlight: Promise<void> | null = null;

/** A verdict as the station shows it: a weak model's pass asks for review. */
export function stationVerdict(verdict: Verdict, unsure: boolean): StationVerdict {
  if (verdict === 'uncalibrated') return 'none';
  if (verdict === 'pass') return unsure ? 'review' : 'pass';
  return 'fail';
}

/**
 * Opens the station on the open project: its running shift (if one was left running, as after a
 * reload) with its counters and settings, or the settings of its latest shift, and the model's
 * content hash for the log.
 */
export async function openStation(projectId: string): Promise<void> {
  const log = await audit();
  const shifts = await log.listShifts(projectId);
  const running = shifts.find((s) => s.endedAt === null) ?? null;
  const settings = (running ?? shifts[0])?.settings ?? DEFAULT_STATION_SETTINGS;
  // The same shift opened again (a new model version): what this session saw stays on screen.
  const same = running !== null && get().projectId === projectId && get().shift?.id === running.id;
  const failures = same ? get().failures : running ? await recentFailures(running) : [];
  // A publication's line belongs to the project it published.
  const publishing = get().projectId === projectId ? get().publishing : null;
  set({ projectId, shift: same ? get().shift : running, settings: { ...DEFAULT_STATION_SETTINGS, ...settings }, latest: same ? get().latest : null, failures, busy: false, error: null, model: null, publishing });
  const target = currentTarget();
  if (!target || target.projectId !== projectId) {
    set({ error: 'Train a model first: the station inspects with the project’s model.' });
    return;
  }
  set({ model: { id: target.model.id, sha256: modelContentSha256(target.model.model) } });
  await checkStorage();
}

async function recentFailures(shift: ShiftRecord): Promise<StationFailure[]> {
  const log = await audit();
  const failed = (await log.listDecisions(shift.id)).filter((d) => d.verdict === 'fail' && d.imageKept).slice(-FAILURES_SHOWN).reverse();
  const images = await Promise.all(failed.map((d) => log.failureImages(d.id)));
  return failed.flatMap((d, i) => {
    const kept = images[i];
    return kept ? [{ decision: d, image: kept.image, part: null }] : [];
  });
}

/** A decision's part in words: "frame 12" or the file's name. */
export function partLabel(decision: Pick<DecisionRecord, 'frame' | 'fileName'>): string {
  return decision.fileName ?? `frame ${decision.frame}`;
}

/** Changes the station's settings; a running shift keeps them, so a reload comes back to them. */
export async function changeSettings(change: Partial<StationSettings>): Promise<void> {
  const settings = { ...get().settings, ...change };
  const shift = get().shift;
  set({ settings, ...(shift && { shift: { ...shift, settings } }) });
  if (shift) await (await audit()).putShift({ ...shift, settings });
}

/** Ends the running shift: its counters stay in the log, the next part starts a new one. */
export async function endShift(): Promise<void> {
  // A part in flight belongs to the shift it started in: it is logged first.
  await inFlight;
  const shift = get().shift;
  if (!shift) return;
  set({ shift: null, latest: null, failures: [] });
  await (await audit()).putShift({ ...shift, endedAt: new Date().toISOString() });
}

export const dismissStationError = () => set({ error: null });
export const dismissStationNotice = () => set({ notice: null });

/**
 * Offers a part. `grab` takes the image (a camera frame is grabbed only when the station is free
 * for it); null: nothing to inspect. While a part is in flight a camera frame is dropped and
 * counted. True when the part was taken (inspected, or refused with its reason); false when the
 * station could not take it (busy, paused, no model), so a file can be offered again.
 */
export async function offerPart(source: PartSource, grab: () => Promise<Blob | null>): Promise<boolean> {
  const { projectId, model, error } = get();
  // The part is decided by the model it was offered to, whatever happens to the project meanwhile.
  const target = currentTarget();
  if (!projectId || !model || error || !target || target.projectId !== projectId || target.model.id !== model.id) return false;
  const shift = runningShift(projectId);
  const frame = shift.counts.frames + (source.kind === 'camera' ? 1 : 0);
  if (inFlight) {
    if (source.kind === 'camera') count(shift, { frames: frame, dropped: shift.counts.dropped + 1 });
    return false;
  }
  let settle = () => {};
  inFlight = new Promise((resolve) => (settle = resolve));
  set({ busy: true });
  try {
    if (source.kind === 'camera') count(shift, { frames: frame });
    const blob = await grab();
    if (!blob) return true;
    const inspection = await inspectOne(target, blob);
    if (inspection) await decide(target, model.sha256, inspection, blob, source.kind === 'camera' ? { frame, fileName: null } : { frame: null, fileName: source.name });
    return true;
  } catch (e) {
    if (isCancelled(e)) return false;
    set({ error: `${source.kind === 'file' ? `${source.name} could not be inspected` : 'Inspection failed'}: ${failureMessage(e)}` });
    return true;
  } finally {
    inFlight = null;
    settle();
    set({ busy: false });
  }
}

/** Settles when the part in flight, if any, is decided and logged: a model changed after that decides only later parts. */
export async function partSettled(): Promise<void> {
  await inFlight;
}

/** File names the running shift has decided, so a watch resumed after a reload takes none twice. */
export async function decidedFileNames(): Promise<Set<string>> {
  const shift = get().shift;
  if (!shift) return new Set();
  return new Set((await (await audit()).listDecisions(shift.id)).flatMap((d) => (d.fileName === null ? [] : [d.fileName])));
}

/** The running shift, or a new one begun now (kept with the first decision). */
function runningShift(projectId: string): ShiftRecord {
  const shift = get().shift;
  if (shift) return shift;
  const started: ShiftRecord = { id: newId(), projectId, startedAt: new Date().toISOString(), endedAt: null, lastAt: null, counts: NO_COUNTS, settings: get().settings };
  set({ shift: started });
  return started;
}

/** Counters change on the page at once; the log keeps them with the next decision. */
function count(shift: ShiftRecord, change: Partial<ShiftCounts>): void {
  const current = get().shift?.id === shift.id ? (get().shift as ShiftRecord) : shift;
  set({ shift: { ...current, counts: { ...current.counts, ...change } } });
}

async function inspectOne(target: ModelTarget, blob: Blob): Promise<Inspection | null> {
  let result: Inspection | null = null;
  const job = engineClient().inspect(target.model.model, [blob], { truth: null, resolution: target.resolution, regions: target.model.model.regions ?? null }, (_index, inspection) => {
    result = inspection;
  });
  await job.result;
  return result;
}

async function decide(target: ModelTarget, modelSha256: string, inspection: Inspection, blob: Blob, part: Pick<DecisionRecord, 'frame' | 'fileName'>): Promise<void> {
  const shift = get().shift;
  if (!shift) return;
  const maps = reduceMaps(inspection);
  const kept = { severity: inspection.severity, maps, cells: inspection.cells, imageWidth: inspection.imageWidth, imageHeight: inspection.imageHeight };
  const judged = decided(kept, target.model, target.rule);
  // The log's severity is the one the verdict compared with its threshold: within the model's regions.
  const within = judgeWithin(target.model.model.regions, kept, target.model.model.imageCalibration);
  const verdict = stationVerdict(judged.verdict, judged.unsure ?? false);
  const heatmap = heatmapOf(kept, target.model);
  const at = new Date().toISOString();
  const seq = shift.counts.inspected + 1;
  const record: DecisionRecord = {
    id: newId(),
    projectId: shift.projectId,
    shiftId: shift.id,
    seq,
    at,
    source: part.fileName === null ? 'camera' : 'file',
    ...part,
    severity: within.ok ? within.severity : inspection.severity,
    threshold: judged.threshold,
    alpha: judged.alpha,
    epsilon: judged.epsilon,
    verdict,
    reason: judged.reason,
    modelId: target.model.id,
    modelSha256,
    imageKept: verdict === 'fail',
  };
  const failure = verdict === 'fail' ? { decisionId: record.id, projectId: record.projectId, shiftId: shift.id, at, image: await reduced(blob), heatmap: await reduced(heatmap) } : null;
  const now = get().shift ?? shift;
  const counts = now.counts;
  const after: ShiftRecord = {
    ...now,
    lastAt: at,
    counts: { ...counts, inspected: seq, passed: counts.passed + (verdict === 'pass' ? 1 : 0), failed: counts.failed + (verdict === 'fail' ? 1 : 0), review: counts.review + (verdict === 'review' ? 1 : 0) },
  };
  try {
    await (await audit()).record(record, after, failure);
  } catch (e) {
    set({ error: `Logging stopped: the audit log could not keep decision ${seq} (${failureMessage(e)}). The station is paused so that no decision goes unrecorded; free storage space or export and end old shifts, then go on.` });
    return;
  }
  const reviewable = { frame: blob, severity: inspection.severity, cells: inspection.cells, score: maps.score, mapWidth: maps.width, mapHeight: maps.height, imageWidth: inspection.imageWidth, imageHeight: inspection.imageHeight };
  const failures = failure ? [{ decision: record, image: failure.image, part: reviewable }, ...get().failures].slice(0, FAILURES_SHOWN) : get().failures;
  // Frames dropped and settings changed while the decision was being written stay as they are now.
  const meanwhile = get().shift;
  const counted = meanwhile?.id === after.id ? { ...after, settings: meanwhile.settings, counts: { ...after.counts, frames: meanwhile.counts.frames, dropped: meanwhile.counts.dropped } } : after;
  set({ shift: counted, latest: { record, image: blob, heatmap }, failures });
  if (seq % STORAGE_CHECK_EVERY === 0) await checkStorage();
}

async function reduced(blob: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(blob);
  try {
    return await shrink(bitmap, AUDIT_IMAGE_SIDE);
  } finally {
    bitmap.close();
  }
}

/** Warns, while logging still works, when the site's storage is nearly full. */
async function checkStorage(): Promise<void> {
  const use = await storageUse();
  if (!use || use.quota === 0) return;
  const share = use.usage / use.quota;
  const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en')} MB`;
  set({
    storageWarning:
      share >= STORAGE_WARNING_SHARE
        ? `Storage is ${Math.round(share * 100)}% full (${mb(use.usage)} of ${mb(use.quota)}). The audit log stops, and the station with it, when it is full: export the log and end old shifts, or free space in the browser.`
        : null,
  });
}
