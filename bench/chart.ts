/** Line charts as standalone SVG, for bench/RESULTS.md: a logarithmic x axis; a y axis linear from 0, or logarithmic. */

export interface Series {
  name: string;
  points: [x: number, y: number][];
  colour: string;
  /** Drawn dashed (a reference line, such as the ceiling). */
  dashed?: boolean;
}

/** One colour per level in every chart. */
export const COLOURS = { ceiling: '#888888', floor: '#1f77b4', noex: '#d62728' } as const;

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Ticks on the x axis (where the points are). */
  xTicks: number[];
  formatY?: (v: number) => string;
  /** A logarithmic y axis (gridlines at 1, 2 and 5 × 10^k), for figures spanning decades. */
  yLog?: boolean;
}

const WIDTH = 680;
const HEIGHT = 360;
const PAD = { left: 72, right: 200, top: 40, bottom: 52 };

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A step of 1, 2 or 5 × 10^k giving about five gridlines up to `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw)!;
}

const compact = (v: number) =>
  v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(Math.round(v * 100) / 100);

export function lineChart(chart: Chart): string {
  const { series, xTicks } = chart;
  const formatY = chart.formatY ?? compact;
  const xs = series.flatMap((s) => s.points.map(([x]) => x)).concat(xTicks);
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (v: number) =>
    PAD.left + (xMax === xMin ? plotW / 2 : (Math.log(v / xMin) / Math.log(xMax / xMin)) * plotW);
  let yTicks: number[];
  let yShare: (v: number) => number;
  if (chart.yLog) {
    const lo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
    yTicks = [];
    for (let decade = lo; decade < hi; decade *= 10) yTicks.push(decade, 2 * decade, 5 * decade);
    yTicks.push(hi);
    yShare = (v) => Math.log(v / lo) / Math.log(hi / lo);
  } else {
    const step = niceStep(Math.max(...ys, 1e-9) * 1.05);
    const top = Math.ceil((Math.max(...ys, 1e-9) * 1.05) / step) * step;
    yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
    yShare = (v) => v / top;
  }
  const y = (v: number) => PAD.top + plotH - yShare(v) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`,
  ];
  for (const v of yTicks) {
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 8}" y="${y(v) + 4}" text-anchor="end">${escape(formatY(v))}</text>`,
    );
  }
  for (const tick of xTicks) {
    out.push(
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#f0f0f0"/>`,
      `<text x="${x(tick)}" y="${PAD.top + plotH + 18}" text-anchor="middle">${compact(tick)}</text>`,
    );
  }
  out.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444444"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const colour = s.colour;
    const points = s.points.filter(([, v]) => Number.isFinite(v));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')}"/>`,
      ...points.map(
        ([px, py]) =>
          `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3.5" fill="${colour}"/>`,
      ),
      `<line x1="${WIDTH - PAD.right + 14}" x2="${WIDTH - PAD.right + 38}" y1="${PAD.top + 14 + i * 22}" y2="${PAD.top + 14 + i * 22}" stroke="${colour}" stroke-width="2"${dash}/>`,
      `<text x="${WIDTH - PAD.right + 44}" y="${PAD.top + 18 + i * 22}">${escape(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
