/**
 * The label of a sample that must not train anything: a patch with no clear majority class,
 * or a pixel the annotator left out. Negative, so it can never be a class index.
 */
export const IGNORE_LABEL = -1;
