/** A choice among preset rates (ε, α), shown as percentages; the choice applies at once. */
import { percent } from '../format';

interface RateSelectProps {
  readonly value: number;
  readonly rates: readonly number[];
  readonly onChoose: (rate: number) => Promise<void>;
  readonly id?: string;
  readonly label?: string;
  readonly describedBy?: string;
  /** Words after each percentage. */
  readonly meaning?: (rate: number) => string;
}

export function RateSelect({ value, rates, onChoose, id, label, describedBy, meaning }: RateSelectProps) {
  // A rate chosen another way (α set by a catch rate) is offered beside the presets, so the menu shows it.
  const offered = rates.includes(value) ? rates : [...rates, value].sort((a, b) => a - b);
  return (
    <select id={id} aria-label={label} aria-describedby={describedBy} value={value} onChange={(e) => void onChoose(Number(e.currentTarget.value))}>
      {offered.map((rate) => (
        <option key={rate} value={rate}>
          {percent(rate)}
          {meaning?.(rate)}
        </option>
      ))}
    </select>
  );
}
