// #/tong-hop/<unit>?ky=<period>: the dashboard of a unit (the province by default) for a period:
// completeness of the units' reports, every indicator beside its target (% of plan), the same
// period last year and the growth, % of plan as a chart, the chosen indicator compared across
// the child units (each one opens its own dashboard: province → commune → indicator) and its
// trend month by month. The numbers are those of GET /rollups, hence of the XLSX/PDF files
// downloaded from here.
import { Alert, Button, Empty, Input, Space, Spin, Table, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Chart } from '../../components/Chart';
import { ACHIEVEMENT_LABELS } from '../../lib/labels';
import { problemText } from '../../lib/problem';
import { formatNumber } from '../../lib/vn';
import { downloadReport, getProgress, getRollup, getSeries, type Progress, type Rollup, type RollupRow, type Series } from './api';
import { FulfilmentPanel, KeyTasksPanel } from './KeyTasksPanel';
import { childrenOf, keyText, lastMonth, membersParam, num, periodYear, rankWithValues, totals } from './model';

const COMPARE_LIMIT = 30;

function readHash(): { unit: string; period: string } {
  const [path, search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const unit = decodeURIComponent(path.split('/')[1] ?? '') || '31';
  return { unit, period: new URLSearchParams(search).get('ky') || lastMonth() };
}

export function dashboardHref(unit: string, period: string): string {
  return `#/tong-hop/${encodeURIComponent(unit)}?ky=${encodeURIComponent(period)}`;
}

const ACHIEVEMENT: Record<string, [string, string]> = {
  achieved: [ACHIEVEMENT_LABELS.achieved, 'green'], on_track: [ACHIEVEMENT_LABELS.on_track, 'blue'],
  at_risk: [ACHIEVEMENT_LABELS.at_risk, 'orange'], missed: [ACHIEVEMENT_LABELS.missed, 'red'],
};

export function DashboardPage() {
  const [{ unit, period }, setTarget] = useState(readHash);
  const [unitText, setUnitText] = useState(unit);
  const [periodText, setPeriodText] = useState(period);
  const [rollup, setRollup] = useState<Rollup | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [selected, setSelected] = useState<string>('');
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const on = () => {
      const t = readHash();
      setTarget(t);
      setUnitText(t.unit);
      setPeriodText(t.period);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [r, p] = await Promise.all([getRollup(unit, period), getProgress(unit, period).catch(() => null)]);
      setRollup(r);
      setProgress(p);
      setError('');
      setSelected((s) => (s && r.rows.some((row) => keyText(row) === s) ? s : (totals(r.rows)[0] ? keyText(totals(r.rows)[0]) : '')));
    } catch (err) {
      setRollup(null);
      setError(problemText(err, 'Không tải được số liệu tổng hợp.'));
    } finally {
      setLoading(false);
    }
  }, [unit, period]);

  useEffect(() => {
    document.title = 'Tổng hợp số liệu · Theo dõi chỉ tiêu KT-XH';
    void load();
  }, [load]);

  const own = useMemo(() => (rollup ? totals(rollup.rows) : []), [rollup]);
  const chosen = own.find((r) => keyText(r) === selected) ?? null;

  useEffect(() => {
    if (!chosen) {
      setSeries(null);
      return;
    }
    const year = periodYear(period);
    getSeries(unit, chosen.key.indicator_code, membersParam(chosen), year - 1, year)
      .then(setSeries).catch(() => setSeries(null));
  }, [unit, period, chosen]);

  const planOption = useMemo(() => {
    const withPlan = own.filter((r) => num(r.plan_percent) !== null);
    return {
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', name: '% kế hoạch' },
      yAxis: { type: 'category', data: withPlan.map((r) => r.indicator_name || r.key.indicator_code), axisLabel: { width: 220, overflow: 'truncate' } },
      series: [{ type: 'bar', name: '% kế hoạch', data: withPlan.map((r) => num(r.plan_percent)) }],
    };
  }, [own]);

  const children = useMemo(() => (rollup && selected ? childrenOf(rollup.rows, selected) : []), [rollup, selected]);
  const compared = useMemo(() => rankWithValues(children, COMPARE_LIMIT), [children]);
  const compareOption = useMemo(() => ({
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: chosen?.unit ?? '' },
    yAxis: { type: 'category', inverse: true, data: compared.map((r) => r.org_unit_name), axisLabel: { interval: 0 } },
    series: [{ type: 'bar', name: chosen?.indicator_name ?? '', data: compared.map((r) => num(r.value)),
      label: { show: true, position: 'right', formatter: (p: { value: number }) => formatNumber(p.value, 2) } }],
  }), [compared, chosen]);

  const trendOption = useMemo(() => ({
    grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
    legend: { top: 0 },
    xAxis: { type: 'category', data: (series?.points ?? []).map((p) => p.period_code) },
    yAxis: { type: 'value', name: chosen?.unit ?? '' },
    series: [
      { type: 'line', name: 'Thực hiện', connectNulls: false, data: (series?.points ?? []).map((p) => num(p.value)) },
      { type: 'line', name: 'Kế hoạch', lineStyle: { type: 'dashed' }, data: (series?.points ?? []).map((p) => num(p.target_value)) },
    ],
  }), [series, chosen]);

  const go = () => {
    window.location.hash = dashboardHref(unitText.trim() || '31', periodText.trim() || lastMonth()).slice(1);
  };
  const fileOf = (format: 'xlsx' | 'pdf', kind: 'indicators' | 'matrix') => async () => {
    try {
      await downloadReport(unit, period, format, kind);
    } catch (err) {
      setError(problemText(err, 'Không tải được tệp báo cáo.'));
    }
  };

  const accepted = progress?.accepted_units ?? 0;
  const expected = progress?.expected_units ?? 0;

  return (
    <section className="page" aria-labelledby="dashboard-title" data-testid="dashboard">
      <header className="page-header">
        <h1 id="dashboard-title">Tổng hợp số liệu {own[0]?.org_unit_name ? `· ${own[0].org_unit_name}` : ''}</h1>
        <Space wrap>
          <label>Đơn vị <Input data-testid="dashboard-unit" value={unitText} onChange={(e) => setUnitText(e.target.value)} style={{ width: 140 }} onPressEnter={go} /></label>
          <label>Kỳ <Input data-testid="dashboard-period" value={periodText} onChange={(e) => setPeriodText(e.target.value)} style={{ width: 120 }} onPressEnter={go} placeholder="2026-M10" /></label>
          <Button type="primary" onClick={go} data-testid="dashboard-show">Xem</Button>
          <Button onClick={fileOf('xlsx', 'indicators')} data-testid="dashboard-xlsx">Tải XLSX</Button>
          <Button onClick={fileOf('pdf', 'indicators')} data-testid="dashboard-pdf">Tải PDF</Button>
          <Button onClick={fileOf('xlsx', 'matrix')} data-testid="dashboard-matrix">Phụ lục theo đơn vị (XLSX)</Button>
        </Space>
      </header>
      {error ? <Alert type="error" showIcon message={error} data-testid="dashboard-error" /> : null}
      {loading && !rollup ? <div className="view-center"><Spin /><p>Đang tải…</p></div> : null}
      {progress ? (
        <p data-testid="dashboard-completeness">
          {expected > 0
            ? <>Báo cáo đã được tiếp nhận: <strong>{accepted}/{expected}</strong> đơn vị</>
            : <>Báo cáo của đơn vị: <strong>{own.some((r) => r.reporting_units > 0) ? 'đã được tiếp nhận' : 'chưa được tiếp nhận'}</strong></>}
          {progress.late_units ? <> · trễ hạn: <strong>{progress.late_units}</strong></> : null}
          {rollup?.as_of ? <> · số liệu tính đến {new Date(rollup.as_of).toLocaleString('vi-VN')}</> : null}
        </p>
      ) : null}
      <Tabs data-testid="dashboard-tabs" items={[
        { key: 'figures', label: 'Chỉ tiêu', children: (
          <>
      {rollup && own.length === 0 ? <Empty description="Chưa có số liệu được tiếp nhận cho kỳ này" /> : null}
      {own.length > 0 ? (
        <>
          <Table<RollupRow>
            data-testid="dashboard-table" size="small" pagination={false} rowKey={(r) => keyText(r)} dataSource={own}
            rowClassName={(r) => (keyText(r) === selected ? 'is-selected' : '')}
            onRow={(r) => ({ onClick: () => setSelected(keyText(r)), 'data-testid': `row-${keyText(r)}` } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: 'Chỉ tiêu', key: 'name', render: (_, r) => <a>{r.indicator_name || r.key.indicator_code}{r.key.members?.length ? ` (${r.key.members.map((m) => m.member_code).join(', ')})` : ''}</a> },
              { title: 'Đơn vị tính', dataIndex: 'unit' },
              { title: 'Thực hiện', key: 'value', align: 'right', render: (_, r) => <span data-testid="cell-value">{formatNumber(r.value, 2)}</span> },
              { title: 'Kế hoạch', key: 'target', align: 'right', render: (_, r) => (r.target_from_children
                ? <span title="Không giao trực tiếp: tổng kế hoạch giao cho các đơn vị trực thuộc" data-testid="target-from-children">{formatNumber(r.target_value, 2)} (*)</span>
                : formatNumber(r.target_value, 2)) },
              { title: '% kế hoạch', key: 'plan', align: 'right', render: (_, r) => formatNumber(r.plan_percent, 1) },
              { title: 'Cùng kỳ năm trước', key: 'prev', align: 'right', render: (_, r) => formatNumber(r.previous_year_value, 2) },
              { title: 'Tăng/giảm (%)', key: 'growth', align: 'right', render: (_, r) => formatNumber(r.growth_percent, 1) },
              { title: 'Đánh giá', key: 'achievement', render: (_, r) => (ACHIEVEMENT[r.achievement] ? <Tag color={ACHIEVEMENT[r.achievement][1]}>{ACHIEVEMENT[r.achievement][0]}</Tag> : null) },
              { title: 'Đơn vị đã báo cáo', key: 'units', align: 'right', render: (_, r) => `${r.reporting_units}/${r.expected_units}` },
            ]}
          />
          {own.some((r) => r.target_from_children)
            ? <p>(*) Kế hoạch không giao trực tiếp cho đơn vị: bằng tổng kế hoạch giao cho các đơn vị trực thuộc (hoặc theo quy tắc tổng hợp của chỉ tiêu).</p>
            : null}
          <div className="dashboard-charts">
            {planOption.series[0].data.length ? <Chart testid="chart-plan" label="Tỷ lệ thực hiện so với kế hoạch của từng chỉ tiêu" option={planOption} height={Math.max(160, 28 * planOption.series[0].data.length)} /> : null}
            {chosen ? (
              <>
                <h2>{chosen.indicator_name || chosen.key.indicator_code} theo đơn vị trực thuộc</h2>
                {compared.length ? (
                  <>
                    <Chart testid="chart-compare" label={`So sánh ${chosen.indicator_name} giữa các đơn vị trực thuộc`} option={compareOption}
                      height={Math.max(120, 28 * compared.length + 24)} />
                    <p>{`${compared.length} trong ${children.length} đơn vị trực thuộc có số liệu`}{children.length > compared.length ? ' (đơn vị chưa có số liệu không hiện)' : ''}. Xem chi tiết:{' '}
                      {compared.map((c) => (
                        <a key={c.org_unit_code} href={dashboardHref(c.org_unit_code, period)} data-testid={`drill-${c.org_unit_code}`} style={{ marginRight: 12 }}>{c.org_unit_name}</a>
                      ))}
                    </p>
                  </>
                ) : <p>Không có đơn vị trực thuộc có số liệu.</p>}
                <h2>Diễn biến theo tháng</h2>
                {series && series.points.length ? <Chart testid="chart-trend" label={`Diễn biến ${chosen.indicator_name} theo tháng`} option={trendOption} /> : <p>Chưa có số liệu theo tháng.</p>}
              </>
            ) : null}
          </div>
        </>
      ) : null}
          </>
        ) },
        { key: 'key-tasks', label: 'Nhiệm vụ trọng tâm', children: <KeyTasksPanel unit={unit} period={period} /> },
        { key: 'fulfilment', label: 'Mức độ hoàn thành chỉ tiêu', children: <FulfilmentPanel unit={unit} period={period} /> },
      ]} />
    </section>
  );
}

export default DashboardPage;
