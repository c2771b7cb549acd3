/**
 * Cosine interpolation from `start` (progress 0) to `end` (progress 1), as torch's
 * CosineAnnealingLR does for a learning rate and the official code for the softmin β.
 */
export function cosineSchedule(start: number, end: number, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  return end + ((start - end) * (1 + Math.cos(Math.PI * p))) / 2;
}
