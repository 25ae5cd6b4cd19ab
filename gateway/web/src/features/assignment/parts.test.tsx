import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CascadePanel, SignatureStatusView } from './parts';

const names: Record<string, string> = { 'HP.01': 'Tổng sản phẩm', 'HP.02': 'Tỷ lệ hộ nghèo', o1: 'Phòng Kinh tế', o2: 'Văn phòng' };

describe('CascadePanel', () => {
  it('shows the own target beside the sum of sub-targets and highlights the shortfall', () => {
    render(<CascadePanel indicatorName={(c) => names[c]} unitName={(u) => names[u]} rows={[
      {
        key: { indicator_code: 'HP.01' }, unit_of_measure: 'tỷ đồng', aggregation: 'sum', own_target: '1234.5', sub_total: '1000',
        sub_targets: [{ assignee_unit_id: 'o1', target_value: '600' }, { assignee_unit_id: 'o2', target_value: '400' }],
        shortfall: '234.5', warning: 'Tổng chỉ tiêu giao tiếp (1.000) thấp hơn chỉ tiêu được giao (1.234,5): còn thiếu 234,5.',
      },
      {
        key: { indicator_code: 'HP.02' }, unit_of_measure: '%', aggregation: 'compared', own_target: '2.5', sub_total: '',
        sub_targets: [{ assignee_unit_id: 'o1', target_value: '2' }], shortfall: '', warning: '',
      },
    ]} />);
    expect(screen.getByTestId('cascade-warning-summary')).toHaveTextContent('1 chỉ tiêu giao tiếp chưa đủ');
    const [sum, rate] = screen.getAllByTestId('cascade-row');
    expect(sum).toHaveClass('cascade-row-warning');
    expect(within(sum).getByRole('rowheader')).toHaveTextContent('Tổng sản phẩm (tỷ đồng)');
    expect(sum).toHaveTextContent('1.234,5');
    expect(sum).toHaveTextContent('1.000');
    expect(sum).toHaveTextContent('Phòng Kinh tế: 600; Văn phòng: 400');
    expect(within(sum).getByTestId('cascade-warning')).toHaveTextContent('còn thiếu 234,5');
    expect(rate).not.toHaveClass('cascade-row-warning');
    expect(rate).toHaveTextContent('So sánh từng đơn vị');
    expect(within(rate).getByTestId('cascade-warning')).toHaveTextContent('Đủ');
  });

  it('says so when nothing is there to compare', () => {
    render(<CascadePanel rows={[]} indicatorName={(c) => c} unitName={(u) => u} />);
    expect(screen.getByTestId('cascade-empty')).toBeInTheDocument();
    expect(screen.queryByTestId('cascade-panel')).toBeNull();
  });
});

describe('SignatureStatusView', () => {
  it('names the signer and time, and never shows a modified PDF as valid', () => {
    const { rerender } = render(<SignatureStatusView verification={{
      status: 'valid', status_label: 'Chữ ký số hợp lệ', signatures: [{ signer_name: 'Trần Văn Tâm', signing_time: '2026-01-05T02:30:00Z', modified_after_signing: false, trusted: true, status: 'valid' }],
    }} />);
    expect(screen.getByTestId('signature-status-tag')).toHaveTextContent('Chữ ký số hợp lệ');
    expect(screen.getByTestId('signature-signer')).toHaveTextContent('Trần Văn Tâm');
    expect(screen.getByTestId('signature-time')).toHaveTextContent('09:30 05/01/2026');
    rerender(<SignatureStatusView verification={{
      status: 'modified', signatures: [{ signer_name: 'Trần Văn Tâm', signing_time: null, modified_after_signing: true, trusted: true, status: 'modified' }],
    }} />);
    expect(screen.getByTestId('signature-status-tag')).toHaveTextContent('Văn bản đã bị sửa sau khi ký');
    rerender(<SignatureStatusView verification={null} />);
    expect(screen.getByTestId('signature-status-tag')).toHaveTextContent('Chưa ký số');
  });
});
