// "Tệp đính kèm" of the data-entry screen: the documents attached to the report. A writer of the
// unit (data entry, the consolidating office) uploads a file while the report is editable: it goes
// to the document service (owner: the report, its unit) and is then attached; each file can be
// downloaded (with the user's token) and, while editable, removed from the report (the document
// stays in the document store).
import { Alert, Button, Card, Popconfirm, Table, Upload } from 'antd';
import { useState } from 'react';
import { FIELD_LABELS } from '../../lib/field-labels';
import { problemText } from '../../lib/problem';
import { formatDateTime } from '../../lib/vn';
import * as api from './api';
import { canEditAttachments, type Attachment, type ReportWithContext, type Viewer } from './model';

const L = FIELD_LABELS.ReportAttachment;
const ACCEPT = '.pdf,.docx,.xlsx,.png,.jpg,.jpeg';

export function AttachmentsPanel({ sub, viewer, disabled, onSaved }: {
  sub: ReportWithContext;
  viewer: Viewer;
  /** the screen waits (offline, figures not yet saved) */
  disabled?: boolean;
  onSaved: (s: ReportWithContext) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editable = canEditAttachments(sub, viewer);
  const items = sub.attachments ?? [];

  const run = async (work: () => Promise<ReportWithContext>) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="entry-attachments" title="Tệp đính kèm" data-testid="attachments">
      {editable ? (
        <div className="form-actions form-actions-left">
          <Upload accept={ACCEPT} showUploadList={false} disabled={disabled || busy}
            beforeUpload={(file) => { void run(() => api.attachFile(sub, file, crypto.randomUUID())); return false; }}>
            <Button disabled={disabled || busy} loading={busy} data-testid="attachment-upload">Tải tệp lên và đính kèm…</Button>
          </Upload>
          <span className="muted">PDF, Word (.docx), Excel (.xlsx), ảnh PNG, JPEG</span>
        </div>
      ) : null}
      <Table<Attachment> size="small" rowKey="document_id" pagination={false} dataSource={items} data-testid="attachment-list"
        locale={{ emptyText: <span className="empty-note">Chưa có tệp đính kèm</span> }}
        columns={[
          {
            title: L.title, render: (_, a) => (
              <Button type="link" className="link-button" data-testid="attachment-download"
                onClick={() => api.downloadDocument(a.document_id).catch(setError)}>{a.title || a.file_name}</Button>
            ),
          },
          { title: L.file_name, dataIndex: 'file_name' },
          { title: L.added_by, dataIndex: 'added_by' },
          { title: L.added_at, render: (_, a) => (a.added_at ? formatDateTime(a.added_at) : '') },
          ...(editable ? [{
            title: 'Thao tác', key: 'remove', render: (_: unknown, a: Attachment) => (
              <Popconfirm title={`Gỡ “${a.title || a.file_name}” khỏi báo cáo?`} okText="Gỡ" cancelText="Hủy"
                okButtonProps={{ 'data-testid': 'attachment-remove-confirm' } as never}
                onConfirm={() => run(() => api.removeAttachment(sub.id, a.document_id))}>
                <Button size="small" danger disabled={disabled || busy} data-testid="attachment-remove">Gỡ</Button>
              </Popconfirm>
            ),
          }] : []),
        ]} />
      {error ? <Alert className="form-alert" type="error" showIcon data-testid="attachment-error" message={problemText(error, 'Không đính kèm được tệp')} /> : null}
    </Card>
  );
}
