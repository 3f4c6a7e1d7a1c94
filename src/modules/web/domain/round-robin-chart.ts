/** Target-versus-actual bars of a round-robin type (issue #19): two bars per host, their lengths the two shares. */
export interface RoundRobinShareRow {
  name: string;
  bookings: number;
  targetShare: number;
  actualShare: number;
}

export interface RoundRobinShareChart {
  width: number;
  height: number;
  barLeft: number;
  barMax: number;
  rows: {
    name: string;
    labelY: number;
    targetY: number;
    actualY: number;
    targetWidth: number;
    actualWidth: number;
    target: string;
    actual: string;
    targetLabelX: number;
    actualLabelX: number;
  }[];
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
const round = (n: number) => Math.round(n * 10) / 10;

/** Names on their own line above the bars, so a narrow screen keeps the whole chart readable when scrolled. */
export function roundRobinShareChart(rows: RoundRobinShareRow[]): RoundRobinShareChart {
  const barLeft = 70;
  const barMax = 360;
  const rowHeight = 64;
  return {
    width: barLeft + barMax + 70,
    height: Math.max(1, rows.length) * rowHeight + 28,
    barLeft,
    barMax,
    rows: rows.map((r, i) => {
      const top = 28 + i * rowHeight;
      const targetWidth = round(barMax * r.targetShare);
      const actualWidth = round(barMax * r.actualShare);
      return {
        name: r.name,
        labelY: top + 12,
        targetY: top + 20,
        actualY: top + 40,
        targetWidth,
        actualWidth,
        target: percent(r.targetShare),
        actual: percent(r.actualShare),
        targetLabelX: barLeft + targetWidth + 6,
        actualLabelX: barLeft + actualWidth + 6,
      };
    }),
  };
}

export { percent as sharePercent };
