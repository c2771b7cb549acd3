/**
 * What the audit log keeps: a station's shifts and every decision made in one, with a reduced
 * image and heatmap of each failure. Rows are kept for good; failure images follow the retention
 * rule in auditLog.ts.
 */
import type { SeverityNats } from '../core/calibration/score';

/** How the station takes camera frames: continuously or on a trigger. */
export type StationMode = 'continuous' | 'trigger';

export interface StationSettings {
  /** Where parts come from: a camera, or a folder a line camera writes into. */
  readonly source: 'camera' | 'folder';
  /** The camera's deviceId; '' for the browser's default camera. */
  readonly deviceId: string;
  /** Frame height asked of the camera, pixels. */
  readonly height: number;
  readonly mode: StationMode;
  /** Continuous mode: parts offered per second. */
  readonly framesPerSecond: number;
  /** Sound and colour on a fail. */
  readonly cue: boolean;
  /** The manifest URL of a published model the station follows; '' for none (a followed folder is picked again after a reload). */
  readonly followUrl: string;
  /** Seconds at least between two looks at a followed model's manifest. */
  readonly followEverySeconds: number;
}

export const DEFAULT_STATION_SETTINGS: StationSettings = { source: 'camera', deviceId: '', height: 480, mode: 'trigger', framesPerSecond: 1, cue: true, followUrl: '', followEverySeconds: 30 };

/** A station's verdict: 'review' is a pass from a weak model, 'none' a model without image calibration. */
export type StationVerdict = 'pass' | 'fail' | 'review' | 'none';

export interface ShiftCounts {
  /** Frames the source offered, inspected or dropped: the next frame's number. */
  readonly frames: number;
  readonly inspected: number;
  readonly passed: number;
  readonly failed: number;
  readonly review: number;
  /** Frames offered while one was still being inspected: dropped, not queued. */
  readonly dropped: number;
}

export const NO_COUNTS: ShiftCounts = { frames: 0, inspected: 0, passed: 0, failed: 0, review: 0, dropped: 0 };

export interface ShiftRecord {
  readonly id: string;
  readonly projectId: string;
  /** ISO 8601. */
  readonly startedAt: string;
  /** ISO 8601; null while the shift runs (a reload resumes it). */
  readonly endedAt: string | null;
  /** ISO 8601 of the latest decision; null before the first. */
  readonly lastAt: string | null;
  readonly counts: ShiftCounts;
  readonly settings: StationSettings;
}

export interface DecisionRecord {
  readonly id: string;
  readonly projectId: string;
  readonly shiftId: string;
  /** 1 for the shift's first decision. */
  readonly seq: number;
  /** ISO 8601. */
  readonly at: string;
  readonly source: 'camera' | 'file';
  /** Camera: the frame's number in the shift (dropped frames count too); null for a file. */
  readonly frame: number | null;
  /** File: its name; null for a camera frame. */
  readonly fileName: string | null;
  readonly severity: SeverityNats;
  /** The severity threshold at α; null without an image calibration. */
  readonly threshold: SeverityNats | null;
  readonly alpha: number;
  readonly epsilon: number;
  readonly verdict: StationVerdict;
  readonly reason: string;
  readonly modelId: string;
  /** SHA-256 of the model's content (modelContentSha256 in core/formats/bundle.ts), hex. */
  readonly modelSha256: string;
  /** A failure whose reduced image and heatmap are still kept (the retention rule drops the oldest). */
  readonly imageKept: boolean;
}

/** A failure's reduced image and heatmap, keyed by its decision. */
export interface FailureImageRecord {
  readonly decisionId: string;
  readonly projectId: string;
  readonly shiftId: string;
  readonly at: string;
  /** JPEG, longer side AUDIT_IMAGE_SIDE px. */
  readonly image: Blob;
  /** JPEG, the score map in colour, longer side AUDIT_IMAGE_SIDE px. */
  readonly heatmap: Blob;
}

/** Pixels, longer side, of a failure's kept image and heatmap. */
export const AUDIT_IMAGE_SIDE = 160;
