/**
 * The station's state: the shift that runs (its counters and settings, as the audit log keeps
 * them), the latest decision with its image and heatmap, the last failures, and what the person
 * must know (storage nearly full, logging stopped). It only holds state; the station's workflow
 * (src/app/station) changes it.
 */
import { create } from 'zustand';
import { DEFAULT_STATION_SETTINGS, type DecisionRecord, type ShiftRecord, type StationSettings } from '../storage/auditRecords';
import type { CellSeverities, SeverityNats } from '../core/calibration/score';

/** Failures shown in the strip, newest first. */
export const FAILURES_SHOWN = 8;

export interface StationDecision {
  readonly record: DecisionRecord;
  /** The frame or file as inspected. */
  readonly image: Blob;
  /** The score map in colour (PNG of the reduced map). */
  readonly heatmap: Blob;
}

export interface StationFailure {
  readonly decision: DecisionRecord;
  /** The reduced image the log keeps. */
  readonly image: Blob;
  /** The part as inspected, kept only in the session that decided it: what a review adds to the project. */
  readonly part: ReviewablePart | null;
}

export interface ReviewablePart {
  readonly frame: Blob;
  /** Its whole-image severity and cell severities: what joins the held-out good images' when it is marked good. */
  readonly severity: SeverityNats;
  readonly cells: CellSeverities | undefined;
  /** The reduced score map, for a quick defect mask. */
  readonly score: Float32Array;
  readonly mapWidth: number;
  readonly mapHeight: number;
  /** Pixels of the frame. */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

export interface StationState {
  readonly projectId: string | null;
  /** The running shift; null before its first decision or after it ended. */
  readonly shift: ShiftRecord | null;
  readonly settings: StationSettings;
  /** The model the station decides with, by id and content SHA-256 (hex), once the hash is computed; decisions wait for it. */
  readonly model: { readonly id: string; readonly sha256: string } | null;
  readonly latest: StationDecision | null;
  readonly failures: readonly StationFailure[];
  /** A frame is being inspected (at most one at a time). */
  readonly busy: boolean;
  /** Storage is nearly full: what it says and what to do. */
  readonly storageWarning: string | null;
  /** The station cannot go on (logging failed, no model, inspection failed): why. */
  readonly error: string | null;
  /** What a review just did, in words. */
  readonly notice: string | null;
  /** The latest publication of the model from this station, or why it failed. */
  readonly publishing: StatusLine | null;
  /** The published model the station follows, while it follows one. */
  readonly following: Following | null;
}

/** One line for the person; `problem` when it says something went wrong. */
export interface StatusLine {
  readonly text: string;
  readonly problem: boolean;
}

export interface Following {
  /** What is followed, as the station names it: the manifest's URL, or "the folder <name>". */
  readonly source: string;
  /** When the manifest was last looked at (ISO 8601); null before the first look ends. */
  readonly checkedAt: string | null;
  /** What the latest look found. */
  readonly status: StatusLine | null;
}

export const useStation = create<StationState>(() => ({
  projectId: null,
  shift: null,
  settings: DEFAULT_STATION_SETTINGS,
  model: null,
  latest: null,
  failures: [],
  busy: false,
  storageWarning: null,
  error: null,
  notice: null,
  publishing: null,
  following: null,
}));
