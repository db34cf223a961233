/** How figures print in bench/RESULTS.md: number formats, markdown tables, targets and their verdicts. */

export const fmt = {
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—'),
  ms: (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—'),
  us: (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—'),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—'),
  pct: (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—'),
  kb: (v: number) => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KB` : '—'),
  bytes: (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} B` : '—'),
};

export const passText = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A target and whether this run met it; the summary lists them all. */
export interface Verdict {
  target: string;
  ok: boolean;
}

/** Collects the verdicts of a run, in the order the tables show them. */
export class Verdicts {
  readonly all: Verdict[] = [];

  /** Records `ok` against `target` and returns the text for a table's result column. */
  judge(target: string, ok: boolean): string {
    this.all.push({ target, ok });
    return passText(ok);
  }

  summary(): string {
    const passed = this.all.filter((v) => v.ok).length;
    const lines = this.all.map((v) => `- ${v.ok ? 'pass' : '**FAIL**'}: ${v.target}`);
    return `## Targets: ${passed}/${this.all.length} pass\n\n${lines.join('\n')}`;
  }
}

/** One figure of noex-client against the floor: the shape of most tables below the request cells. */
export interface Figure {
  figure: string;
  floor?: string;
  noex: string;
  ratio?: number;
  /** The bound as printed, e.g. `≤ 2×`; with `ok`, the row is judged and the verdict recorded. */
  target?: string;
  ok?: boolean;
}

/** A table of figures; each one with a target is judged in `verdicts` under `figure`'s text. */
export function figureTable(figures: Figure[], verdicts: Verdicts, floorName = 'floor'): string {
  return markdownTable(
    ['figure', floorName, 'noex-client', `noex ÷ ${floorName}`, 'target', 'result'],
    figures.map((f) => [
      f.figure,
      f.floor ?? '',
      f.noex,
      f.ratio === undefined ? '' : fmt.ratio(f.ratio),
      f.target ?? '',
      f.target !== undefined && f.ok !== undefined
        ? verdicts.judge(`${f.figure} ${f.target}`, f.ok)
        : '',
    ]),
  );
}
