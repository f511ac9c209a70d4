/**
 * Geometry of the project pages' bar charts, kept out of the component so a test can check that
 * everything lands inside the drawing and that the scale shows the differences that matter.
 */

export type ChartTone = "a" | "b" | "c" | "d" | "e";

export interface ChartSeries {
  label: string;
  values: number[];
  /** Colour slot a–e (see the chart colours in global.css). */
  tone: ChartTone;
}

export interface ChartInput {
  categories: string[];
  series: ChartSeries[];
  /** Stack the series (a total per category) or set them side by side. */
  stacked: boolean;
  /** A value drawn as a horizontal line, e.g. the SLA target. */
  target?: number | undefined;
  /** Axis range; without it, from 0 to a round value above the largest bar or the target. */
  axis?: { min: number; max: number } | undefined;
}

export type ChartBar = {
  x: number;
  y: number;
  width: number;
  height: number;
  tone: ChartTone;
  category: string;
  series: string;
  value: number;
  /** The value lies below the axis, so the bar is only a stub at its foot. */
  belowAxis: boolean;
};

export type ChartLayout = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  axis: { min: number; max: number };
  ticks: { value: number; y: number }[];
  bars: ChartBar[];
  targetY: number | undefined;
  labels: { x: number; y: number; text: string }[];
};

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 56;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 36;
/** Height of the stub that stands for a value below the axis: visible, yet clearly not a bar. */
const STUB = 3;

/** A round top for a zero-based axis: 1, 2 or 5 × 10^n at or above `value`. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].find((m) => m * magnitude >= value)! * magnitude;
}

/**
 * The axis of a percentage that lives near 100 (availability): from a round floor a little below
 * the lowest value and the target up to 100, so that 99.5 % and 100 % differ visibly. With a target
 * the floor never drops below `100 − 5 × (100 − target)`: the target's distance from 100 keeps at
 * least a fifth of the height, and a far worse month is drawn as a stub below the axis instead of
 * flattening every other bar.
 */
export function percentAxis(values: readonly number[], target?: number): { min: number; max: number } {
  const lowest = Math.min(100, target ?? 100, ...values);
  const gap = Math.max(100 - lowest, 0.1);
  const wanted = 100 - gap * 1.25;
  const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50].find((s) => (100 - wanted) / s <= 5) ?? 100;
  let min = Math.floor(wanted / step) * step;
  if (target !== undefined && target < 100) min = Math.max(min, 100 - 5 * (100 - target));
  return { min: Math.max(0, Number(min.toFixed(4))), max: 100 };
}

/** Where every bar, tick, label and the target line go in a 640 × 220 drawing. */
export function barChartLayout({ categories, series, stacked, target, axis }: ChartInput): ChartLayout {
  const plot = { left: LEFT, right: WIDTH - RIGHT, top: TOP, bottom: HEIGHT - BOTTOM };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const totals = categories.map((_, i) =>
    stacked ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const range = axis ?? { min: 0, max: niceCeiling(Math.max(...totals, target ?? 0)) };
  // Clamped, so no value can draw outside the plot, whatever the caller passes.
  const y = (value: number) => {
    const share = (Math.min(Math.max(value, range.min), range.max) - range.min) / (range.max - range.min);
    return plot.bottom - share * plotHeight;
  };
  const slot = plotWidth / Math.max(categories.length, 1);
  const barWidth = Math.min(48, slot * 0.6);
  const groupWidth = stacked ? barWidth : Math.min(slot * 0.8, barWidth * series.length);

  const bars: ChartBar[] = [];
  categories.forEach((category, i) => {
    const left = plot.left + slot * i + (slot - groupWidth) / 2;
    let base = 0;
    series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      if (value <= 0 && stacked) return;
      // Bars stand on zero: a stack adds up from 0 even when the axis starts above it.
      const from = stacked ? base : 0;
      const to = from + value;
      if (stacked) base = to;
      const width = stacked ? barWidth : groupWidth / series.length;
      const belowAxis = to < range.min;
      const top = belowAxis ? plot.bottom - STUB : y(to);
      bars.push({
        x: stacked ? left : left + k * width,
        y: top,
        width: Math.max(width - (stacked ? 0 : 1), 1),
        height: belowAxis ? STUB : Math.max(y(from) - top, 0),
        tone: s.tone,
        category,
        series: s.label,
        value,
        belowAxis,
      });
    });
  });

  return {
    width: WIDTH,
    height: HEIGHT,
    plot,
    axis: range,
    ticks: [range.min, (range.min + range.max) / 2, range.max].map((value) => ({ value, y: y(value) })),
    bars,
    targetY: target === undefined ? undefined : y(target),
    labels: categories.map((text, i) => ({ x: plot.left + slot * i + slot / 2, y: HEIGHT - 14, text })),
  };
}
