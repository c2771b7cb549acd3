/** The heatmap's colour scale, labelled by how rarely a normal pixel scores this high. */
import { colour, scoreAtRarity } from '../../core/results/colormap';

const TICKS = [0, 1 / 3, 2 / 3, 1];

export function Legend() {
  const stops = Array.from({ length: 11 }, (_, i) => `rgb(${colour(i / 10).join(' ')}) ${i * 10}%`).join(', ');
  return (
    <figure className="legend-scale">
      <div className="scale-bar" style={{ background: `linear-gradient(to right, ${stops})` }} aria-hidden="true" />
      <div className="scale-ticks">
        {TICKS.map((t) => (
          <span key={t}>{t === 0 ? 'typical' : `1 in ${Math.round(1 / (1 - scoreAtRarity(t)))}`}</span>
        ))}
      </div>
      <figcaption>How rarely a normal pixel looks this unusual. Cyan outlines: the regions flagged at ε.</figcaption>
    </figure>
  );
}
