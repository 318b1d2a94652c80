import { type ReactNode, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { t } from '../i18n';
import { type CsatBar, formatCount, formatRatio, type VolumePoint } from '../lib/reports';

/** The theme's colours as values (an SVG attribute takes no var()), read again when the theme changes. */
function readColours() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { ink: v('--ink'), ink2: v('--ink-2'), ink3: v('--ink-3'), line: v('--line'), raised: v('--raised'), accent: v('--accent'), ok: v('--ok'), warn: v('--warn'), danger: v('--danger'), hover: v('--hover') };
}

export type Colours = ReturnType<typeof readColours>;

const wide = window.matchMedia('(min-width: 640px)');

/** Whether the window is wider than a phone: the axes take less room on one. */
function useWide() {
  return useSyncExternalStore(
    (l) => {
      wide.addEventListener('change', l);
      return () => wide.removeEventListener('change', l);
    },
    () => wide.matches,
  );
}

export function useChartColours(): Colours {
  const [colours, setColours] = useState(readColours);
  useEffect(() => {
    // The theme is a class on <html> (lib/theme.ts): the light/dark switch and the system's setting both land there.
    const observer = new MutationObserver(() => setColours(readColours()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return colours;
}

/**
 * A chart in its card: a heading, a line of what it shows, the picture (hidden from screen
 * readers) and the same numbers as a table they read instead.
 */
export function ChartCard({ title, description, actions, table, children }: { title: string; description?: string; actions?: ReactNode; table: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="min-w-0 rounded-lg border border-line bg-surface p-3 sm:p-4">
      <header className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`${id}-title`} className="text-sm font-semibold text-ink">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-xs text-ink-2">{description}</p>}
        </div>
        {actions}
      </header>
      <div aria-hidden="true">{children}</div>
      <div className="sr-only">{table}</div>
    </section>
  );
}

function tooltipStyle(c: Colours) {
  return {
    contentStyle: { background: c.raised, border: `1px solid ${c.line}`, borderRadius: 6, fontSize: 12, color: c.ink },
    labelStyle: { color: c.ink, fontWeight: 600 },
    itemStyle: { color: c.ink2 },
    cursor: { fill: c.hover },
  };
}

const axis = (c: Colours) => ({ stroke: c.line, tick: { fill: c.ink3, fontSize: 11 }, tickLine: false });

/** Created and solved as bars per bucket, the backlog at the end of each as a line. */
export function VolumeChart({ points }: { points: VolumePoint[] }) {
  const c = useChartColours();
  const roomy = useWide();
  return (
    <ResponsiveContainer width="100%" height={roomy ? 260 : 220}>
      <ComposedChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: roomy ? -12 : -18 }} barCategoryGap={roomy ? '20%' : '10%'} barGap={roomy ? 4 : 0}>
        <CartesianGrid vertical={false} stroke={c.line} />
        <XAxis dataKey="label" {...axis(c)} minTickGap={16} />
        <YAxis {...axis(c)} allowDecimals={false} axisLine={false} width={roomy ? 44 : 38} />
        <Tooltip {...tooltipStyle(c)} />
        <Legend iconType="circle" iconSize={8} itemSorter={null} wrapperStyle={{ fontSize: 12, color: c.ink2 }} />
        <Bar dataKey="created" name={t('reports.volume.created')} fill={c.accent} radius={[2, 2, 0, 0]} maxBarSize={18} isAnimationActive={false} />
        <Bar dataKey="solved" name={t('reports.volume.solved')} fill={c.ok} radius={[2, 2, 0, 0]} maxBarSize={18} isAnimationActive={false} />
        <Line dataKey="backlog" name={t('reports.volume.backlog')} type="monotone" stroke={c.warn} strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export function VolumeTable({ points }: { points: VolumePoint[] }) {
  return (
    <table>
      <caption>{t('reports.chartData')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.volume.bucket')}</th>
          <th scope="col">{t('reports.volume.created')}</th>
          <th scope="col">{t('reports.volume.solved')}</th>
          <th scope="col">{t('reports.volume.backlog')}</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.bucket}>
            <th scope="row">{p.label}</th>
            <td>{formatCount(p.created)}</td>
            <td>{formatCount(p.solved)}</td>
            <td>{formatCount(p.backlog)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Good, okay and bad stacked in one bar per period, as shares of its ratings. */
export function CsatChart({ bars }: { bars: CsatBar[] }) {
  const c = useChartColours();
  const roomy = useWide();
  const shares = bars.map((b) => ({ ...b, goodShare: b.total ? b.good / b.total : 0, okayShare: b.total ? b.okay / b.total : 0, badShare: b.total ? b.bad / b.total : 0 }));
  const rating = (key: 'good' | 'okay' | 'bad', fill: string) => (
    <Bar dataKey={`${key}Share`} name={t(`reports.csat.${key}`)} stackId="csat" fill={fill} isAnimationActive={false} barSize={22} />
  );
  return (
    <ResponsiveContainer width="100%" height={150}>
      <BarChart data={shares} layout="vertical" margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid horizontal={false} stroke={c.line} />
        <XAxis type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => formatRatio(v)} {...axis(c)} />
        <YAxis type="category" dataKey="name" {...axis(c)} axisLine={false} width={roomy ? 104 : 64} />
        <Tooltip
          {...tooltipStyle(c)}
          formatter={(value, name, item) => {
            const key = String(item.dataKey).replace('Share', '') as 'good' | 'okay' | 'bad';
            return [`${formatCount((item.payload as CsatBar)[key])} (${formatRatio(Number(value))})`, name];
          }}
        />
        <Legend iconType="circle" iconSize={8} itemSorter={null} wrapperStyle={{ fontSize: 12, color: c.ink2 }} />
        {rating('good', c.ok)}
        {rating('okay', c.warn)}
        {rating('bad', c.danger)}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CsatTable({ bars }: { bars: CsatBar[] }) {
  return (
    <table>
      <caption>{t('reports.chartData')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.period.label')}</th>
          <th scope="col">{t('reports.csat.good')}</th>
          <th scope="col">{t('reports.csat.okay')}</th>
          <th scope="col">{t('reports.csat.bad')}</th>
          <th scope="col">{t('reports.csat.total')}</th>
        </tr>
      </thead>
      <tbody>
        {bars.map((b) => (
          <tr key={b.name}>
            <th scope="row">{b.name}</th>
            <td>{formatCount(b.good)}</td>
            <td>{formatCount(b.okay)}</td>
            <td>{formatCount(b.bad)}</td>
            <td>{formatCount(b.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
