// Small pieces shared by the assignment screens: field labels, the signature status of the
// attached PDF, and the cascade panel (own target beside the sum of the sub-targets).
import { Alert, Tag } from 'antd';
import { FIELD_LABELS } from '../../lib/field-labels';
import { formatDateTime, formatNumber } from '../../lib/vn';
import type { SignatureVerification } from './api';
import { figureKeyId, SIGNATURE_STATUS, type CascadeRow } from './model';

const LABELS = FIELD_LABELS as unknown as Record<string, Record<string, string> | undefined>;

/** A field's Vietnamese label, declared once in the vocabulary (generated field-labels.ts). */
export function fieldLabel(message: string, field: string, fallback: string): string {
  return LABELS[message]?.[field] ?? fallback;
}

const SIGNATURE_CLASS: Record<string, string> = { valid: 'status-active', unsigned: 'status-retired' };

export function SignatureStatusView({ verification }: { verification: SignatureVerification | null | undefined }) {
  const status = verification?.status ?? 'unsigned';
  // the document service's own Vietnamese label first (declared once there)
  const label = verification?.status_label || SIGNATURE_STATUS[status] || status;
  return (
    <div className="signature-status" data-testid="signature-status" data-status={status}>
      <Tag className={`status ${SIGNATURE_CLASS[status] ?? 'status-danger'}`} data-testid="signature-status-tag">{label}</Tag>
      {(verification?.signatures ?? []).map((s, i) => (
        <dl className="field-list signature-list" key={i}>
          <div><dt>Người ký</dt><dd data-testid="signature-signer">{s.signer_name || '(không rõ)'}{s.signer_organization ? ` – ${s.signer_organization}` : ''}</dd></div>
          <div><dt>Thời điểm ký</dt><dd data-testid="signature-time">{formatDateTime(s.signing_time) || '(không có)'}</dd></div>
          <div className="field-item-wide"><dt>Kết quả kiểm tra</dt><dd>{s.message || SIGNATURE_STATUS[s.status] || s.status}</dd></div>
        </dl>
      ))}
    </div>
  );
}

/** Own target vs the sum of the sub-targets per indicator, shortfalls highlighted. */
export function CascadePanel({ rows, indicatorName, unitName }: {
  rows: CascadeRow[];
  indicatorName: (code: string) => string;
  unitName: (id: string) => string;
}) {
  if (!rows.length) return <p className="muted" data-testid="cascade-empty">Chưa có chỉ tiêu nào để đối chiếu với chỉ tiêu đơn vị được giao.</p>;
  const warnings = rows.filter((r) => r.warning);
  return (
    <div data-testid="cascade-panel">
      {warnings.length ? (
        <Alert type="warning" showIcon data-testid="cascade-warning-summary"
          message={`${warnings.length} chỉ tiêu giao tiếp chưa đủ so với chỉ tiêu đơn vị được giao. Cảnh báo không chặn việc ban hành.`} />
      ) : <Alert type="success" showIcon message="Các chỉ tiêu giao tiếp đã đủ so với chỉ tiêu đơn vị được giao." />}
      <div className="table-wrap">
        <table className="data-table cascade-table">
          <caption className="visually-hidden">Đối chiếu chỉ tiêu được giao với tổng chỉ tiêu giao tiếp</caption>
          <thead>
            <tr><th scope="col">Chỉ tiêu</th><th scope="col">Cách đối chiếu</th><th scope="col">Chỉ tiêu được giao</th><th scope="col">Tổng giao tiếp</th><th scope="col">Giao cho từng đơn vị</th><th scope="col">Cảnh báo</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={figureKeyId(r.key)} className={r.warning ? 'cascade-row-warning' : undefined} data-testid="cascade-row" data-indicator={r.key.indicator_code}>
                <th scope="row">{indicatorName(r.key.indicator_code)}{r.unit_of_measure ? ` (${r.unit_of_measure})` : ''}</th>
                <td>{r.aggregation === 'sum' ? 'Cộng tổng' : 'So sánh từng đơn vị'}</td>
                <td className="num">{formatNumber(r.own_target)}</td>
                <td className="num">{r.aggregation === 'sum' ? formatNumber(r.sub_total) : '—'}</td>
                <td>{r.sub_targets.map((s) => `${unitName(s.assignee_unit_id)}: ${formatNumber(s.target_value)}`).join('; ')}</td>
                <td data-testid="cascade-warning">{r.warning ? <strong className="text-warning">{r.warning}</strong> : 'Đủ'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
