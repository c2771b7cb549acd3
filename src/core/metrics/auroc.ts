/**
 * Area under the ROC curve of a scored, labelled sample: the probability that a random
 * positive scores above a random negative, ties counting half (the Mann–Whitney U statistic
 * divided by P·N, which equals scikit-learn's roc_auc_score).
 *
 * @param scores higher means more anomalous; NaN is rejected
 * @param labels 1 = positive (anomalous), 0 = negative (normal), same length as scores
 * @returns AUROC in [0, 1]
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`auroc needs one label per score, got ${labels.length} labels for ${n} scores`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`auroc: score ${i} is NaN`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`auroc: label ${i} is ${labels[i]}, expected 0 or 1`);
    order[i] = i;
  }
  order.sort((a, b) => scores[a] - scores[b]);

  let negativesBelow = 0;
  let positives = 0;
  let wins = 0;
  for (let start = 0; start < n; ) {
    let groupPositives = 0;
    let end = start;
    while (end < n && scores[order[end]] === scores[order[start]]) groupPositives += labels[order[end++]];
    const groupNegatives = end - start - groupPositives;
    wins += groupPositives * (negativesBelow + 0.5 * groupNegatives);
    negativesBelow += groupNegatives;
    positives += groupPositives;
    start = end;
  }
  if (positives === 0 || negativesBelow === 0) {
    throw new RangeError(`auroc needs both classes, got ${positives} positives and ${negativesBelow} negatives`);
  }
  return wins / (positives * negativesBelow);
}
