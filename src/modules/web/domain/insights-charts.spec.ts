import { heatmap, niceMax, percent, roundRobinCharts, shortDate, weekBarChart } from './insights-charts.js';

describe('insights charts', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [11, 20],
    [120, 200],
    [501, 1000],
  ])('niceMax(%i) = %i', (value, expected) => expect(niceMax(value)).toBe(expected));

  it('formats dates and rates', () => {
    expect(shortDate('2027-03-22')).toBe('22 Mar');
    expect(percent(null)).toBe('—');
    expect(percent(0.2)).toBe('20%');
    expect(percent(1.6667)).toBe('166.7%');
  });

  it('scales week bars to the axis and labels at most ~13 weeks', () => {
    const weeks = Array.from({ length: 26 }, (_, i) => ({ weekStart: '2027-01-04', created: i === 3 ? 8 : 1, cancelled: 0, noShows: 0 }));
    const chart = weekBarChart(weeks);
    expect(chart.ticks.map((t) => t.label)).toEqual(['0', '5', '10']);
    const tallest = chart.groups[3].bars[0];
    expect(tallest.y + tallest.height).toBeCloseTo(chart.baseline, 0);
    expect(tallest.height).toBeCloseTo((chart.baseline - 28) * 0.8, 0);
    expect(chart.groups[3].bars[1]).toMatchObject({ height: 0, title: 'Week of 4 Jan: 0 cancelled' });
    expect(chart.groups.filter((g) => g.showLabel)).toHaveLength(13);
    expect(chart.groups.at(-1)!.bars.at(-1)!.x).toBeLessThan(chart.plotRight);
  });

  it('shades heatmap cells in levels of the busiest', () => {
    const hours = (h: number, n: number) => Array.from({ length: 24 }, (_, i) => (i === h ? n : 0));
    const rows = [1, 2, 3, 4, 5, 6, 0].map((weekday) => ({
      weekday,
      hours: weekday === 4 ? hours(14, 8) : hours(9, weekday === 1 ? 1 : 0),
    }));
    const map = heatmap(rows, 8);
    expect(map.rows[0]).toMatchObject({ label: 'Mon', name: 'Monday' });
    expect(map.rows[0].cells[9]).toMatchObject({ level: 1, count: 1, title: 'Monday 09:00: 1 meeting' });
    expect(map.rows[3].cells[14]).toMatchObject({ level: 4, count: 8 });
    expect(map.rows[3].cells[13].level).toBe(0);
    expect(map.description).toBe('Busiest: Thursday 14:00 with 8.');
    expect(map.table[6]).toEqual({ name: 'Sunday', hours: hours(0, 0) });
  });

  it('draws round-robin shares as bar lengths', () => {
    const [chart] = roundRobinCharts([
      {
        meetingTypeId: 't',
        meetingTypeName: 'Demo',
        teamId: 'x',
        teamName: 'Sales',
        total: 4,
        hosts: [
          { userId: 'a', name: 'Ann', bookings: 3, share: 0.75 },
          { userId: 'b', name: 'Bo', bookings: 1, share: 0.25 },
        ],
      },
    ]);
    expect(chart.rows.map((r) => [r.name, r.barWidth, r.share])).toEqual([
      ['Ann', 315, '75%'],
      ['Bo', 105, '25%'],
    ]);
  });
});
