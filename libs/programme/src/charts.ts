/**
 * Charts for the printable status report, drawn as SVG on the server: no script runs in the
 * page, so the page keeps a strict Content-Security-Policy and prints as it shows.
 */

export interface Bar {
  label: string;
  value: number;
  /** A second value drawn as a thin marker on the same row (e.g. p90 beside the median). */
  marker?: number | null;
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A horizontal bar chart: one row per bar, the label on the left, the value at the bar's end.
 * `title` becomes the SVG's accessible name. Values are drawn to scale from 0 to the largest
 * value (or marker); all-zero data draws empty rows rather than dividing by zero.
 */
export function horizontalBarChart(
  title: string,
  bars: readonly Bar[],
  options: { unit?: string } = {},
): string {
  const rowHeight = 22;
  const labelWidth = 190;
  const barWidth = 300;
  const width = labelWidth + barWidth + 70;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const max = Math.max(1, ...bars.map((bar) => Math.max(bar.value, bar.marker ?? 0)));
  const unit = options.unit ? ` ${escapeXml(options.unit)}` : '';
  const rows = bars.map((bar, index) => {
    const y = 4 + index * rowHeight;
    const length = Math.round((bar.value / max) * barWidth);
    const marker =
      bar.marker != null
        ? `<rect class="marker" x="${labelWidth + Math.round((bar.marker / max) * barWidth) - 1}" y="${y + 1}" width="3" height="${rowHeight - 6}"/>`
        : '';
    return (
      `<g class="row" data-label="${escapeXml(bar.label)}" data-value="${bar.value}">` +
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>` +
      `<rect class="bar" x="${labelWidth}" y="${y + 3}" width="${length}" height="${rowHeight - 10}"/>` +
      marker +
      `<text x="${labelWidth + length + 6}" y="${y + 14}">${bar.value}${unit}</text></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}"><title>${escapeXml(title)}</title>${rows.join('')}</svg>`
  );
}
