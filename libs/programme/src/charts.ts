/**
 * Geometry of the status report's bar charts. The page draws them as inline SVG from these
 * numbers in a Liquid template (libs/pages: markup only in templates, no script), so they are
 * rendered on the server, print as they show and need nothing from the Content-Security-Policy.
 */

export interface Bar {
  label: string;
  value: number;
  /** A second value drawn as a marker on the same row (the 90th percentile beside the median). */
  marker?: number | null;
}

export interface BarRow {
  label: string;
  value: number;
  marker: number | null;
  /** Baseline of the row's texts. */
  textY: number;
  barX: number;
  barY: number;
  barWidth: number;
  barHeight: number;
  /** Where the value is written: just after the bar (or the marker, when it lies further). */
  valueX: number;
  markerX: number | null;
}

export interface BarChart {
  width: number;
  height: number;
  labelX: number;
  rows: BarRow[];
}

export const CHART_ROW_HEIGHT = 24;
const LABEL_WIDTH = 200;
const BAR_SPACE = 320;

/**
 * A horizontal bar chart: one row per bar, the label right-aligned before the bar, the value
 * after it. Bars are to scale from 0 to the largest value or marker; all-zero data draws empty
 * rows rather than dividing by zero. Negative values are drawn as 0.
 */
export function barChart(bars: readonly Bar[]): BarChart {
  const max = Math.max(1, ...bars.map((bar) => Math.max(bar.value, bar.marker ?? 0)));
  const scale = (value: number) => Math.round((Math.max(0, value) / max) * BAR_SPACE);
  const rows = bars.map((bar, index): BarRow => {
    const top = 4 + index * CHART_ROW_HEIGHT;
    const barWidth = scale(bar.value);
    const markerX = bar.marker != null ? LABEL_WIDTH + scale(bar.marker) : null;
    return {
      label: bar.label,
      value: bar.value,
      marker: bar.marker ?? null,
      textY: top + 15,
      barX: LABEL_WIDTH,
      barY: top + 4,
      barWidth,
      barHeight: CHART_ROW_HEIGHT - 10,
      valueX: Math.max(LABEL_WIDTH + barWidth, markerX ?? 0) + 8,
      markerX,
    };
  });
  return {
    width: LABEL_WIDTH + BAR_SPACE + 90,
    height: Math.max(1, bars.length) * CHART_ROW_HEIGHT + 8,
    labelX: LABEL_WIDTH - 8,
    rows,
  };
}
