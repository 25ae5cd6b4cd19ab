// Import an indicator set from an XLSX (or JSON) file: "Kiểm tra tệp" runs a dry run listing
// every error by row and column; "Nhập" is enabled only once the file has no error.
import { Alert, Button, Card, DatePicker, Input, Result, Steps, Upload } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState, type ReactNode } from 'react';
import { download, request, type ImportResult } from '../../lib/api';
import { ApiError, problemText } from '../../lib/problem';
import { formatDate, numberFormat } from '../../lib/vn';
import { href } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { BY_ITEM_KIND, BY_KEY, changedFieldLabel } from './catalogs';
import { catalogOptions, invalidate } from './data';
import type { Ctx } from './fields';

const KIND_LABELS: Record<string, string> = {
  indicator: 'Chỉ số', indicator_set: 'Bộ chỉ số', calendar: 'Lịch báo cáo', key_task: 'Nhiệm vụ',
  thematic_plan: 'Kế hoạch', criteria_set: 'Bộ tiêu chí', period_target: 'Chỉ tiêu 5 năm', report_template: 'Mẫu báo cáo',
};
const ACTION_LABELS: Record<string, string> = { create: 'Thêm mới', revise: 'Sửa đổi', unchanged: 'Không đổi' };

type PlanEntry = ImportResult['plan'][number];

function PlanTable({ entries, ctx }: { entries: PlanEntry[]; ctx: Ctx }) {
  return (
    <div className="table-wrap">
      <table className="data-table data-table-compact">
        <thead><tr><th scope="col">Loại</th><th scope="col">Mã</th><th scope="col">Tên</th><th scope="col">Thao tác</th><th scope="col">Thay đổi</th></tr></thead>
        <tbody>
          {entries.map((p) => (
            <tr key={`${p.kind}-${p.code}`} data-testid={`import-plan-${p.code}`}>
              <td className="nowrap">{KIND_LABELS[p.kind] ?? p.kind}</td>
              <td><code>{p.code}</code></td>
              <td>{p.kind === 'indicator' ? ctx.indicatorName(p.code) ?? '' : ''}</td>
              <td><span className={`status status-plan-${p.action}`}>{ACTION_LABELS[p.action] ?? p.action}</span></td>
              <td className="muted">{(p.changed_fields ?? []).map((f) => changedFieldLabel(BY_ITEM_KIND[p.kind], f)).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ImportPage({ ctx }: { ctx: Ctx }) {
  const { can } = useSession();
  const toast = useToast();
  const catalog = BY_KEY['indicator-sets'];
  const [file, setFile] = useState<File | null>(null);
  const [effective, setEffective] = useState('');
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<File | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [result, setResult] = useState<ReactNode>(null);
  const [step, setStep] = useState(0);
  const [sample, setSample] = useState<string | null>(null);
  useEffect(() => {
    catalogOptions('indicator-sets').then((s) => setSample(s[0]?.code ?? null), () => {});
  }, []);

  if (!can.editCatalogs) {
    return <Result status="403" title={<h1 className="result-title">Bạn không có quyền nhập bộ chỉ số</h1>}
      subTitle="Chỉ cán bộ kế hoạch và quản trị của đơn vị chủ quản được thay đổi danh mục." />;
  }

  const send = (dryRun: boolean) => {
    const form = new FormData();
    form.append('file', file!, file!.name);
    if (reason.trim()) form.append('reason', reason.trim());
    return request<ImportResult>('POST', '/api/v1/indicator-sets/import', {
      query: { dry_run: dryRun ? 'true' : 'false', effective_from: effective || undefined }, form,
    });
  };
  const showProblem = (err: unknown) => setResult(
    <Alert type="error" showIcon data-testid="import-failed" message={problemText(err, 'Không kiểm tra được tệp')}
      description={err instanceof ApiError && err.fieldErrors.length ? <ul>{err.fieldErrors.map((e, i) => <li key={i}>{e.message}</li>)}</ul> : undefined} />,
  );
  const showResult = (r: ImportResult, f: File) => {
    if (!r.valid) {
      const rows = new Set(r.errors.filter((e) => e.row).map((e) => e.row));
      setResult(
        <Card className="import-errors" data-testid="import-errors" title={<h2 className="card-title">Tệp có {numberFormat.format(r.errors.length)} lỗi</h2>}>
          <p className="muted">{rows.size ? `Ở ${numberFormat.format(rows.size)} dòng. ` : ''}Chưa có gì được nhập. Sửa các lỗi dưới đây trong tệp “{f.name}”, lưu lại rồi chọn tệp và bấm “Kiểm tra lại”.</p>
          <ol className="error-list" data-testid="import-error-list">
            {r.errors.map((e, i) => <li key={i} data-testid={`import-error-${i}`}>{e.location ? <span className="error-where">{e.location}: </span> : null}<span>{e.message}</span></li>)}
          </ol>
        </Card>,
      );
      return;
    }
    const changed = r.plan.filter((p) => p.action !== 'unchanged');
    const unchanged = r.plan.filter((p) => p.action === 'unchanged');
    setResult(
      <Card className="import-plan" data-testid="import-plan">
        <Alert type="success" showIcon data-testid="import-valid" message={<><strong>Tệp hợp lệ, không có lỗi.</strong> Kiểm tra những gì sẽ được nhập rồi bấm “Nhập”.</>} />
        <div className="plan-counts">
          {([['create', r.created_count], ['revise', r.revised_count], ['unchanged', r.unchanged_count]] as const).map(([k, n]) => (
            <div key={k} className={`plan-count plan-${k}`}><span className="plan-number">{numberFormat.format(n ?? 0)}</span><span>{ACTION_LABELS[k]}</span></div>
          ))}
        </div>
        {changed.length ? <PlanTable entries={changed} ctx={ctx} /> : <p className="muted">Tệp không thay đổi gì trong danh mục.</p>}
        {unchanged.length ? (
          <details className="plan-unchanged" data-testid="import-plan-unchanged">
            <summary>Xem {numberFormat.format(unchanged.length)} mục không đổi</summary>
            <PlanTable entries={unchanged} ctx={ctx} />
          </details>
        ) : null}
      </Card>,
    );
  };
  const check = async () => {
    if (!file) return;
    setChecked(null);
    setBusy('check');
    setResult(<p className="muted">Đang kiểm tra tệp…</p>);
    try {
      const { data } = await send(true);
      showResult(data, file);
      if (data.valid) {
        setChecked(file);
        setStep(2);
      } else setStep(1);
    } catch (err) {
      showProblem(err);
    } finally {
      setBusy(null);
    }
  };
  const apply = async () => {
    if (!file || file !== checked) return;
    setBusy('apply');
    try {
      const { data: r } = await send(false);
      invalidate('indicator-sets');
      invalidate('indicators');
      const setCode = r.plan.find((p) => p.kind === 'indicator_set')?.code;
      setStep(3);
      setChecked(null);
      setResult(
        <Alert type="success" showIcon data-testid="import-done" role="status"
          message={<><strong>Đã nhập xong. </strong>Thêm mới {r.created_count}, sửa đổi {r.revised_count}, không đổi {r.unchanged_count} mục{effective ? `, hiệu lực từ ${formatDate(effective)}.` : '.'}</>}
          description={setCode ? <Button size="small" href={href(catalog.route, setCode)} data-testid="import-open-set">Mở bộ chỉ số {setCode}</Button> : undefined} />,
      );
      toast('Đã nhập bộ chỉ số.');
    } catch (err) {
      const imported = err instanceof ApiError ? (err.problem.import as ImportResult | undefined) : undefined;
      if (imported) showResult(imported, file);
      else showProblem(err);
      setChecked(null);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="view" aria-labelledby="page-title">
      <nav aria-label="Vị trí" className="breadcrumb"><a href={href(catalog.route)}>{catalog.title}</a> › <span aria-current="page">Nhập từ Excel</span></nav>
      <div className="page-head"><div>
        <h1 id="page-title">Nhập bộ chỉ số</h1>
        <p className="muted page-lead">Nhập bộ chỉ số cùng các chỉ số từ tệp Excel theo mẫu (xuất từ một bộ chỉ số có sẵn để có mẫu) hoặc tệp JSON. Hệ thống kiểm tra toàn bộ tệp trước; chỉ khi không còn lỗi mới nhập được.</p>
      </div></div>
      <Steps className="steps" current={step} items={[{ title: 'Chọn tệp' }, { title: 'Kiểm tra (chạy thử)' }, { title: 'Nhập vào danh mục' }]} />
      <Card className="form-card">
        <div className="form-grid form-grid-3">
          <div className="field field-wide">
            <span className="field-label" id="import-file-label">Tệp Excel (.xlsx) hoặc JSON</span>
            <div className="file-pick">
              <Upload data-testid="import-file" accept=".xlsx,.json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/json" maxCount={1} showUploadList={false}
                beforeUpload={(f) => {
                  setFile(f);
                  setChecked(null);
                  setResult(null);
                  setStep(1);
                  return false;
                }}>
                <Button data-testid="import-pick" aria-describedby="import-file-label">Chọn tệp…</Button>
              </Upload>
              <span className={`file-name${file ? '' : ' muted'}`} data-testid="import-file-name">
                {file ? `${file.name} (${numberFormat.format(Math.ceil(file.size / 1024))} KB)` : 'Chưa chọn tệp'}
              </span>
              {sample ? <Button size="small" data-testid="import-template" title={`Tệp Excel của bộ chỉ số ${sample}, dùng làm mẫu`}
                onClick={() => download(`/api/v1/indicator-sets/${encodeURIComponent(sample)}/export`, { format: 'xlsx' }).then((n) => toast(`Đã xuất “${n}”.`), (e) => toast(problemText(e, 'Không xuất được tệp')))}>Tải tệp mẫu</Button> : null}
            </div>
          </div>
          <div className="field">
            <label htmlFor="import-effective">Hiệu lực từ ngày</label>
            <DatePicker id="import-effective" data-testid="import-effective-from" value={effective ? dayjs(effective) : null} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
              placeholder="Từ hôm nay" onChange={(d) => { setEffective(d ? d.format('YYYY-MM-DD') : ''); setChecked(null); }} />
            <span className="hint">Trống: từ hôm nay</span>
          </div>
          <div className="field field-span-2">
            <label htmlFor="import-reason">Lý do</label>
            <Input id="import-reason" data-testid="import-reason" maxLength={1000} placeholder="Ví dụ: Ban hành theo QĐ 2081/QĐ-UBND" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
        </div>
        <div className="form-actions form-actions-left">
          <Button type="primary" data-testid="import-check" disabled={!file} loading={busy === 'check'} onClick={check}>{result ? 'Kiểm tra lại' : 'Kiểm tra tệp'}</Button>
          <Button type="primary" data-testid="import-apply" disabled={!file || file !== checked || busy !== null} loading={busy === 'apply'} onClick={apply}>Nhập</Button>
        </div>
      </Card>
      <div className="import-result" data-testid="import-result" aria-live="polite">{result}</div>
    </section>
  );
}
