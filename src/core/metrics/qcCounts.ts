/**
 * What a threshold means on a labelled test set, in a QC engineer's terms: the share of good
 * parts it rejects and the share of defective parts it lets through (escapes), overall and per
 * defect type. An image fails when its severity is at least the threshold.
 */

/** One test image: its defect type ('good' for none) and its image severity. */
export interface ScoredTestImage {
  readonly defectType: string;
  readonly severity: number;
}

export interface EscapeCount {
  readonly images: number;
  /** Defective images that pass. */
  readonly escaped: number;
  /** escaped / images; NaN without images. */
  readonly escapeRate: number;
}

export interface QcCounts {
  readonly threshold: number;
  readonly goodImages: number;
  /** Good images that fail. */
  readonly goodRejected: number;
  /** goodRejected / goodImages; NaN without good images. */
  readonly goodRejectRate: number;
  /** Over every defect type. */
  readonly defects: EscapeCount;
  readonly perDefect: Readonly<Record<string, EscapeCount>>;
}

export function qcCounts(images: readonly ScoredTestImage[], threshold: number, goodType = 'good'): QcCounts {
  const good = images.filter((image) => image.defectType === goodType);
  const goodRejected = good.filter((image) => image.severity >= threshold).length;
  const escapes = (set: readonly ScoredTestImage[]): EscapeCount => {
    const escaped = set.filter((image) => image.severity < threshold).length;
    return { images: set.length, escaped, escapeRate: set.length > 0 ? escaped / set.length : NaN };
  };
  const defective = images.filter((image) => image.defectType !== goodType);
  const types = [...new Set(defective.map((image) => image.defectType))].sort();
  return {
    threshold,
    goodImages: good.length,
    goodRejected,
    goodRejectRate: good.length > 0 ? goodRejected / good.length : NaN,
    defects: escapes(defective),
    perDefect: Object.fromEntries(types.map((type) => [type, escapes(defective.filter((image) => image.defectType === type))])),
  };
}
