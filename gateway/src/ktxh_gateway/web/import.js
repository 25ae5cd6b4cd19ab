// Import of an indicator set from an XLSX (or JSON) file in two steps: "Kiểm tra tệp" runs a
// dry run that lists every error by row and column; "Nhập" is enabled only once the file has
// no error, and writes everything in one transaction.

import { BY_KEY } from './catalogs.js';
import { h } from './dom.js';
import { historyFieldLabel } from './labels.js';
import { formatDate, numberFormat } from './text.js';

const KIND_LABELS = {
  indicator: 'Chỉ số',
  indicator_set: 'Bộ chỉ số',
  calendar: 'Lịch báo cáo',
  key_task: 'Nhiệm vụ',
  thematic_plan: 'Kế hoạch',
  criteria_set: 'Bộ tiêu chí',
  period_target: 'Chỉ tiêu 5 năm',
  report_template: 'Mẫu báo cáo',
};
const ACTION_LABELS = { create: 'Thêm mới', revise: 'Sửa đổi', unchanged: 'Không đổi' };

export class ImportScreen {
  constructor(screens) {
    this.screens = screens;
  }

  render(token) {
    const s = this.screens;
    const catalog = BY_KEY['indicator-sets'];
    if (!s.canEdit) {
      s.setRoot(s.breadcrumb(catalog, null, 'Nhập từ Excel'),
        h('div', { class: 'card message-card message-card-left', role: 'alert' },
          h('h1', { class: 'message-title' }, 'Bạn không có quyền nhập bộ chỉ số'),
          h('p', { class: 'muted' }, 'Chỉ cán bộ kế hoạch và quản trị của đơn vị chủ quản được thay đổi danh mục.')));
      return;
    }
    const file = h('input', {
      type: 'file', id: 'import-file', class: 'file-input', 'data-testid': 'import-file',
      accept: '.xlsx,.json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/json',
    });
    const fileName = h('span', { class: 'file-name muted', 'data-testid': 'import-file-name' }, 'Chưa chọn tệp');
    const effective = h('input', { type: 'date', class: 'input', id: 'import-effective', 'data-testid': 'import-effective-from' });
    const reason = h('input', { class: 'input', id: 'import-reason', 'data-testid': 'import-reason', maxlength: 1000, placeholder: 'Ví dụ: Ban hành theo QĐ 2081/QĐ-UBND' });
    const check = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'import-check', disabled: true }, 'Kiểm tra tệp');
    const apply = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'import-apply', disabled: true }, 'Nhập');
    const result = h('div', { class: 'import-result', 'data-testid': 'import-result', 'aria-live': 'polite' });
    const steps = [
      h('li', { class: 'step is-current', 'data-step': 'choose' }, h('span', { class: 'step-no' }, '1'), 'Chọn tệp'),
      h('li', { class: 'step', 'data-step': 'check' }, h('span', { class: 'step-no' }, '2'), 'Kiểm tra (chạy thử)'),
      h('li', { class: 'step', 'data-step': 'apply' }, h('span', { class: 'step-no' }, '3'), 'Nhập vào danh mục'),
    ];
    const setStep = (name, done = []) => {
      for (const li of steps) {
        li.classList.toggle('is-current', li.dataset.step === name);
        li.classList.toggle('is-done', done.includes(li.dataset.step));
      }
    };

    let checked = null; // the File the last dry run accepted
    const options = () => ({ effectiveFrom: effective.value || undefined, reason: reason.value.trim() || undefined });
    const invalidate = () => {
      checked = null;
      apply.disabled = true;
    };

    file.addEventListener('change', () => {
      const f = file.files?.[0];
      fileName.textContent = f ? `${f.name} (${numberFormat.format(Math.ceil(f.size / 1024))} KB)` : 'Chưa chọn tệp';
      fileName.classList.toggle('muted', !f);
      check.disabled = !f;
      invalidate();
      result.replaceChildren();
      setStep(f ? 'check' : 'choose', f ? ['choose'] : []);
    });
    effective.addEventListener('change', invalidate);

    check.addEventListener('click', async () => {
      const f = file.files?.[0];
      if (!f) return;
      invalidate();
      check.disabled = true;
      check.textContent = 'Đang kiểm tra…';
      result.replaceChildren(h('div', { class: 'tree-state' }, h('div', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), ' Đang kiểm tra tệp…'));
      try {
        const r = await s.api.importIndicatorSet(f, { ...options(), dryRun: true });
        if (!s.isCurrent(token)) return;
        this.showResult(result, r, f);
        if (r.valid) {
          checked = f;
          apply.disabled = false;
          setStep('apply', ['choose', 'check']);
        } else {
          setStep('check', ['choose']);
        }
      } catch (err) {
        s.onApiError(err);
        this.showProblem(result, err);
      } finally {
        check.disabled = !file.files?.[0];
        check.textContent = 'Kiểm tra lại';
      }
    });

    apply.addEventListener('click', async () => {
      const f = file.files?.[0];
      if (!f || f !== checked) return;
      apply.disabled = true;
      check.disabled = true;
      apply.textContent = 'Đang nhập…';
      try {
        const r = await s.api.importIndicatorSet(f, { ...options(), dryRun: false });
        s.invalidate(catalog);
        s.invalidate(BY_KEY.indicators);
        const setCode = r.plan.find((p) => p.kind === 'indicator_set')?.code;
        setStep('done', ['choose', 'check', 'apply']);
        result.replaceChildren(h('div', { class: 'alert alert-success', role: 'status', 'data-testid': 'import-done' },
          h('strong', {}, 'Đã nhập xong. '),
          `Thêm mới ${r.created_count}, sửa đổi ${r.revised_count}, không đổi ${r.unchanged_count} mục`,
          effective.value ? `, hiệu lực từ ${formatDate(effective.value)}.` : '.',
          setCode ? h('div', {}, h('a', { class: 'btn btn-sm', href: `#/${catalog.route}/${encodeURIComponent(setCode)}`, 'data-testid': 'import-open-set' }, `Mở bộ chỉ số ${setCode}`)) : null));
        s.toast('Đã nhập bộ chỉ số.');
        checked = null;
      } catch (err) {
        s.onApiError(err);
        if (err.problem?.import) {
          this.showResult(result, err.problem.import, f);
        } else {
          this.showProblem(result, err);
        }
        apply.disabled = true;
      } finally {
        apply.textContent = 'Nhập';
        check.disabled = !file.files?.[0];
      }
    });

    const template = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'import-template', hidden: true }, 'Tải tệp mẫu');
    s.options('indicator-sets').then((sets) => {
      const sample = sets[0];
      if (!sample) return;
      template.hidden = false;
      template.title = `Tệp Excel của bộ chỉ số ${sample.code}, dùng làm mẫu`;
      template.addEventListener('click', (e) => s.export(e.currentTarget, sample, 'xlsx'));
    }, () => {});

    s.setRoot(
      s.breadcrumb(catalog, null, 'Nhập từ Excel'),
      h('div', { class: 'page-head' }, h('div', {},
        h('h1', { id: 'page-title' }, 'Nhập bộ chỉ số'),
        h('p', { class: 'muted page-lead' }, 'Nhập bộ chỉ số cùng các chỉ số từ tệp Excel theo mẫu (xuất từ một bộ chỉ số có sẵn để có mẫu) hoặc tệp JSON. Hệ thống kiểm tra toàn bộ tệp trước; chỉ khi không còn lỗi mới nhập được.'))),
      h('ol', { class: 'steps', 'aria-label': 'Các bước' }, ...steps),
      h('section', { class: 'card form-card' },
        h('div', { class: 'form-grid form-grid-3' },
          h('div', { class: 'field field-wide' },
            h('span', { class: 'field-label' }, 'Tệp Excel (.xlsx) hoặc JSON'),
            h('div', { class: 'file-pick' },
              h('label', { class: 'btn', for: 'import-file' }, 'Chọn tệp…'), file, fileName,
              h('span', { class: 'file-template' }, template))),
          h('div', { class: 'field' }, h('label', { for: 'import-effective' }, 'Hiệu lực từ ngày'), effective,
            h('span', { class: 'hint' }, 'Trống: từ hôm nay')),
          h('div', { class: 'field field-span-2' }, h('label', { for: 'import-reason' }, 'Lý do'), reason)),
        h('div', { class: 'form-actions form-actions-left' }, check, apply)),
      result);
  }

  showProblem(result, err) {
    result.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'import-failed' },
      h('strong', {}, err.title || 'Không kiểm tra được tệp'), ' ', err.detail || '',
      (err.problem?.errors ?? []).length ? h('ul', {}, ...err.problem.errors.map((e) => h('li', {}, e.message))) : null));
  }

  showResult(result, r, f) {
    if (!r.valid) {
      const rows = new Set(r.errors.filter((e) => e.row).map((e) => e.row));
      result.replaceChildren(h('section', { class: 'card import-errors', 'data-testid': 'import-errors' },
        h('div', { class: 'import-errors-head' },
          h('h2', {}, `Tệp có ${numberFormat.format(r.errors.length)} lỗi`),
          h('p', { class: 'muted' }, `${rows.size ? `Ở ${numberFormat.format(rows.size)} dòng. ` : ''}Chưa có gì được nhập. Sửa các lỗi dưới đây trong tệp “${f.name}”, lưu lại rồi chọn tệp và bấm “Kiểm tra lại”.`)),
        h('ol', { class: 'error-list', 'data-testid': 'import-error-list' }, ...r.errors.map((e, i) => h('li', { 'data-testid': `import-error-${i}` },
          e.location ? h('span', { class: 'error-where' }, `${e.location}: `) : null,
          h('span', {}, e.message))))));
      return;
    }
    const counts = [
      ['create', r.created_count], ['revise', r.revised_count], ['unchanged', r.unchanged_count],
    ];
    const plan = r.plan ?? [];
    const changed = plan.filter((p) => p.action !== 'unchanged');
    const unchanged = plan.filter((p) => p.action === 'unchanged');
    result.replaceChildren(h('section', { class: 'card import-plan', 'data-testid': 'import-plan' },
      h('div', { class: 'alert alert-success', role: 'status', 'data-testid': 'import-valid' },
        h('strong', {}, 'Tệp hợp lệ, không có lỗi. '), 'Kiểm tra những gì sẽ được nhập rồi bấm “Nhập”.'),
      h('div', { class: 'plan-counts' }, ...counts.map(([k, n]) => h('div', { class: `plan-count plan-${k}` },
        h('span', { class: 'plan-number' }, numberFormat.format(n ?? 0)), h('span', {}, ACTION_LABELS[k])))),
      changed.length ? this.planTable(changed) : h('p', { class: 'muted' }, 'Tệp không thay đổi gì trong danh mục.'),
      unchanged.length
        ? h('details', { class: 'plan-unchanged', 'data-testid': 'import-plan-unchanged' },
          h('summary', {}, `Xem ${numberFormat.format(unchanged.length)} mục không đổi`), this.planTable(unchanged))
        : null));
  }

  planTable(entries) {
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table-compact' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Loại'), h('th', {}, 'Mã'), h('th', {}, 'Tên'), h('th', {}, 'Thao tác'), h('th', {}, 'Thay đổi'))),
      h('tbody', {}, ...entries.map((p) => h('tr', { 'data-testid': `import-plan-${p.code}` },
        h('td', { class: 'nowrap' }, KIND_LABELS[p.kind] ?? p.kind),
        h('td', {}, h('code', {}, p.code)),
        h('td', {}, p.kind === 'indicator' ? (this.screens.ctx.indicatorName(p.code) ?? '') : ''),
        h('td', {}, h('span', { class: `status status-plan-${p.action}` }, ACTION_LABELS[p.action] ?? p.action)),
        h('td', { class: 'muted' }, (p.changed_fields ?? []).map(historyFieldLabel).join(', ')))))));
  }
}
