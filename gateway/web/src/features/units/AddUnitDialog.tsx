// "Thêm đơn vị": code, kind, name, short name, effective date, parent (searchable tree);
// required fields checked before sending; the service's field errors shown on their fields;
// one Idempotency-Key per distinct request, so a retried click never creates two units.
import { Alert, Button, DatePicker, Form, Input, Modal, Select, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { client, unwrap, type OrgUnit, type Schemas } from '../../lib/api';
import { DEFAULT_CHILD_KIND, KIND_LABELS } from '../../lib/labels';
import { ApiError, fieldMessages } from '../../lib/problem';
import { fold } from '../../lib/vn';
import type { TreeModel } from './tree-model';

type Kind = Schemas['OrgUnitKind'];
const FIELDS = ['code', 'kind', 'name', 'short_name', 'valid_from', 'parent_id'];

function FieldError({ name, errors }: { name: string; errors: Record<string, string[]> }) {
  const m = errors[name];
  return m?.length ? <span data-testid={`field-error-${name}`} id={`add-${name}-error`}>{m.join(' ')}</span> : null;
}

export function AddUnitDialog({ model, parent, onClose, onAdded }: {
  model: TreeModel; parent: OrgUnit | null; onClose: () => void; onAdded: (u: OrgUnit) => void;
}) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [shortName, setShortName] = useState('');
  const [kind, setKind] = useState<Kind>((DEFAULT_CHILD_KIND[parent?.kind ?? ''] ?? 'office') as Kind);
  const [parentId, setParentId] = useState<string | null>(parent?.id ?? null);
  const [validFrom, setValidFrom] = useState<Dayjs | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ signature: string; key: string } | null>(null);
  useEffect(() => {
    // the dialog opens with an animation: focus the first field once it is there
    const t = window.setTimeout(() => document.getElementById('add-code')?.focus(), 150);
    return () => window.clearTimeout(t);
  }, []);

  const parents = useMemo(() => {
    interface Opt { value: string; title: string; children: Opt[] }
    const build = (id: string): Opt => {
      const e = model.entries.get(id)!;
      return { value: id, title: `${e.unit.name} (${e.unit.code})`, children: e.childIds.map(build) };
    };
    return model.rootIds.map(build);
  }, [model]);

  const submit = async () => {
    const local: Record<string, string[]> = {};
    if (!code.trim()) local.code = ['Vui lòng nhập mã đơn vị.'];
    if (!name.trim()) local.name = ['Vui lòng nhập tên đơn vị.'];
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    const body: Schemas['OrgUnitCreate'] = { code: code.trim(), name: name.trim(), kind } as Schemas['OrgUnitCreate'];
    if (shortName.trim()) body.short_name = shortName.trim();
    if (parentId) body.parent_id = parentId;
    if (validFrom) body.valid_from = validFrom.format('YYYY-MM-DD');
    const signature = JSON.stringify(body);
    if (attempt.current?.signature !== signature) attempt.current = { signature, key: crypto.randomUUID() };
    setBusy(true);
    try {
      const unit = await unwrap(client.POST('/api/v1/org-units', { body, headers: { 'Idempotency-Key': attempt.current.key } }));
      onAdded(unit);
    } catch (err) {
      const { byField, other } = fieldMessages(err, FIELDS);
      setErrors(byField);
      setFormError([err instanceof ApiError ? err.title : 'Không thêm được đơn vị', ...other].join(' '));
    } finally {
      setBusy(false);
    }
  };

  const item = (field: string, label: string, required = false) => ({
    label, htmlFor: ({ short_name: 'add-short-name', valid_from: 'add-valid-from', parent_id: 'add-parent' } as Record<string, string>)[field] ?? `add-${field}`, required,
    validateStatus: errors[field]?.length ? ('error' as const) : undefined,
    help: <FieldError name={field} errors={errors} />,
  });
  const invalid = (field: string) => (errors[field]?.length ? true : undefined);

  return (
    <Modal open title="Thêm đơn vị" onCancel={onClose} width={640} destroyOnHidden maskClosable={false}
      modalRender={(node) => <div data-testid="add-unit-dialog">{node}</div>}
      footer={[
        <Button key="cancel" data-testid="add-cancel" onClick={onClose}>Hủy</Button>,
        <Button key="ok" type="primary" data-testid="add-submit" loading={busy} onClick={submit}>Thêm đơn vị</Button>,
      ]}>
      <Form layout="vertical" component="div"
        requiredMark={(text, { required }) => <>{text}{required ? <span className="req" aria-hidden="true"> *</span> : null}</>}>
        {formError ? <Alert type="error" showIcon data-testid="form-error" role="alert" message={formError} className="form-alert" /> : null}
        <div className="form-grid">
          <Form.Item {...item('code', 'Mã', true)}>
            <Input id="add-code" data-testid="add-code" autoFocus maxLength={64} autoComplete="off" spellCheck={false}
              value={code} onChange={(e) => setCode(e.target.value)} aria-invalid={invalid('code')} onPressEnter={submit} />
          </Form.Item>
          <Form.Item {...item('kind', 'Loại', true)}>
            <Select id="add-kind" data-testid="add-kind" value={kind} onChange={(v) => setKind(v)}
              options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item {...item('name', 'Tên', true)} className="field-wide">
            <Input id="add-name" data-testid="add-name" maxLength={255} autoComplete="off"
              value={name} onChange={(e) => setName(e.target.value)} aria-invalid={invalid('name')} onPressEnter={submit} />
          </Form.Item>
          <Form.Item {...item('short_name', 'Tên viết tắt')}>
            <Input id="add-short-name" data-testid="add-short-name" maxLength={64} value={shortName} onChange={(e) => setShortName(e.target.value)} />
          </Form.Item>
          <Form.Item {...item('valid_from', 'Hiệu lực từ ngày')}>
            <DatePicker id="add-valid-from" data-testid="add-valid-from" value={validFrom} onChange={setValidFrom}
              format={['DD/MM/YYYY', 'YYYY-MM-DD']} placeholder="Từ hôm nay" />
          </Form.Item>
          <Form.Item {...item('parent_id', 'Đơn vị cha')} className="field-wide">
            <TreeSelect id="add-parent" data-testid="add-parent" value={parentId ?? undefined} allowClear showSearch
              treeData={parents} onChange={(v) => setParentId((v as string) ?? null)} placeholder="Cấp cao nhất"
              treeNodeFilterProp="title" popupMatchSelectWidth
              filterTreeNode={(input, node) => fold(String(node.title)).includes(fold(input))}
              treeDefaultExpandedKeys={parentId ? [parentId] : []} listHeight={300} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
