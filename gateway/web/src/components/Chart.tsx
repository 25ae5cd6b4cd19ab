// The one chart wrapper every screen uses (loaded when a chart is first shown): Apache ECharts
// with its Vietnamese language pack, `aria` on (a text description for screen readers and
// decal patterns), numbers and dates through Intl vi-VN, SVG output (crisp, small, printable).
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
// @ts-expect-error the language pack is a UMD file without types
import * as langVI from 'echarts/i18n/langVI-obj.js';
import { useEffect, useRef } from 'react';
import { chartFormat } from './chart-format';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);
echarts.registerLocale('VI', (langVI as { default?: object }).default ?? langVI);


export interface ChartProps {
  /** an ECharts option; aria, locale and number formatting are added here */
  option: echarts.EChartsCoreOption;
  /** what the chart shows, for screen readers and the figure caption */
  label: string;
  height?: number;
  testid?: string;
}

export function Chart({ option, label, height = 260, testid = 'chart' }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg', locale: 'VI' });
    chart.setOption({
      aria: { enabled: true, label: { description: label }, decal: { show: true } },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => chartFormat.number(v as number) },
      textStyle: { fontFamily: '"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif', color: '#1f2328' },
      ...option,
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, label]);
  return (
    <figure className="chart" data-testid={testid}>
      <div ref={el} style={{ height }} role="img" aria-label={label} />
      <figcaption className="visually-hidden">{label}</figcaption>
    </figure>
  );
}

export default Chart;
