import { describe, expect, it } from "vitest";
import { barChartLayout, percentAxis, type ChartInput } from "../../src/lib/bar-chart";

/** Every bar and the target line lie inside the drawing, and inside the plot area. */
function expectInside(input: ChartInput) {
  const layout = barChartLayout(input);
  const { plot } = layout;
  expect(plot.left).toBeGreaterThanOrEqual(0);
  expect(plot.right).toBeLessThanOrEqual(layout.width);
  expect(plot.top).toBeGreaterThanOrEqual(0);
  expect(plot.bottom).toBeLessThanOrEqual(layout.height);
  for (const bar of layout.bars) {
    const where = `${bar.category} ${bar.series} ${bar.value}: ${JSON.stringify(bar)}`;
    expect(bar.x, where).toBeGreaterThanOrEqual(plot.left);
    expect(bar.x + bar.width, where).toBeLessThanOrEqual(plot.right);
    expect(bar.y, where).toBeGreaterThanOrEqual(plot.top);
    expect(bar.height, where).toBeGreaterThanOrEqual(0);
    expect(bar.y + bar.height, where).toBeLessThanOrEqual(plot.bottom + 1e-9);
  }
  for (const y of [layout.targetY ?? plot.top, ...layout.ticks.map((tick) => tick.y)]) {
    expect(y).toBeGreaterThanOrEqual(plot.top);
    expect(y).toBeLessThanOrEqual(plot.bottom);
  }
  return layout;
}

/** The top of the bar that draws `value` on an availability chart with `target`. */
function barTop(value: number, values: number[], target?: number) {
  const layout = barChartLayout({ categories: values.map(String), series: [{ label: "availability", values, tone: "c" }], stacked: true, target, axis: percentAxis(values, target) });
  return { top: layout.bars.find((bar) => bar.value === value)!.y, plotHeight: layout.plot.bottom - layout.plot.top, layout };
}

const availability = (values: number[], target?: number): ChartInput => ({
  categories: values.map((_, i) => `m${i}`),
  series: [{ label: "availability", values, tone: "c" }],
  stacked: true,
  target,
  axis: percentAxis(values, target),
});

describe("availability chart", () => {
  it.each([
    ["the audit's months, target 99.5", [100, 99.78, 99.61], 99.5],
    ["every month perfect, target 99.5", [100, 100, 100], 99.5],
    ["every month perfect, no agreement", [100, 100], undefined],
    ["a bad month, target 99.9", [100, 97.2, 99.95], 99.9],
    ["a disastrous month, target 99.5", [12.5, 100], 99.5],
    ["a month at zero", [0, 100], undefined],
    ["one month", [99.99], 99],
  ])("draws inside its box: %s", (_label, values, target) => {
    expectInside(availability(values, target));
  });

  it.each([
    ["target 99.5, months at 100 and 99.5", [100, 99.5], 99.5],
    ["target 99.5, months near it", [100, 99.78, 99.61, 99.5], 99.5],
    ["target 99.5, a month at 95", [100, 99.5, 95], 99.5],
    ["no agreement, months at 100 and 99.5", [100, 99.5], undefined],
    ["target 99, months at 100 and 99.5", [100, 99.5], 99],
  ])("shows 99.5 %% and 100 %% at least a fifth of the plot apart: %s", (_label, values, target) => {
    const full = barTop(100, values, target);
    const lower = barTop(99.5, values, target);
    expect(lower.top - full.top).toBeGreaterThanOrEqual(0.2 * full.plotHeight);
  });

  it.each([
    [[100, 99.78, 99.61], 99.5, { min: 99.2, max: 100 }],
    [[100, 100], 99.5, { min: 99.2, max: 100 }],
    [[100, 100], undefined, { min: 99.85, max: 100 }],
    [[100, 95], 99.5, { min: 97.5, max: 100 }],
    [[50, 100], undefined, { min: 20, max: 100 }],
  ])("percentAxis(%j, target %s) is %j: never from 0 near 100, below the lowest value and the target", (values, target, expected) => {
    expect(percentAxis(values, target)).toEqual(expected);
  });

  it("marks a month below the axis as a stub at its foot, not a bar", () => {
    const layout = barChartLayout(availability([100, 95], 99.5));
    const below = layout.bars.find((bar) => bar.value === 95)!;
    expect(below.belowAxis).toBe(true);
    expect(below.y + below.height).toBe(layout.plot.bottom);
    expect(below.height).toBeLessThan(0.05 * (layout.plot.bottom - layout.plot.top));
  });

  it("labels the axis range with its first and last tick", () => {
    const { layout } = barTop(100, [100, 99.78], 99.5);
    expect(layout.ticks.at(0)).toEqual({ value: layout.axis.min, y: layout.plot.bottom });
    expect(layout.ticks.at(-1)).toEqual({ value: 100, y: layout.plot.top });
  });
});

describe("other charts", () => {
  it("start at 0 and end at a round value above the largest stack or the target", () => {
    const layout = expectInside({ categories: ["a", "b"], series: [{ label: "x", values: [3, 4], tone: "a" }, { label: "y", values: [2, 3], tone: "b" }], stacked: true, target: 9 });
    expect(layout.axis).toEqual({ min: 0, max: 10 });
    const [first, second] = layout.bars;
    expect(second!.y + second!.height).toBeCloseTo(first!.y);
  });

  it.each([
    ["grouped", false],
    ["stacked", true],
  ])("keep %s bars inside their slots", (_label, stacked) => {
    expectInside({ categories: ["a", "b", "c"], series: [{ label: "x", values: [30, 0, 12], tone: "a" }, { label: "y", values: [25, 37, 0], tone: "d" }], stacked, target: 30 });
  });

  it("keep bars inside even when a caller's axis is narrower than the values", () => {
    expectInside({ categories: ["a"], series: [{ label: "x", values: [150], tone: "a" }], stacked: true, axis: { min: 99, max: 100 } });
  });
});
