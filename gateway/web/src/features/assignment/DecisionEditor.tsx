// The decision editor (`#/quyet-dinh-giao/moi`, `#/quyet-dinh-giao/{id}`): the header, the units ×
// indicators target grid (paste a block from Excel), key tasks, thematic plans and criteria sets
// per unit, what the Front oversees, the signed PDF with its signature status, issuing, and the
// cascade check against what the issuing unit itself received. An issued decision is read-only;
// "Điều chỉnh" opens a new draft that adjusts it, pre-filled with its content.
import { Alert, Button, Card, DatePicker, Input, Modal, Select, Spin, Tabs, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EditableGridHandle, GridState } from '../../components/EditableGrid';
import type { GridColumn } from '../../components/grid-columns';
import { href, navigate } from '../../app/route';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { request } from '../../lib/api';
import { ApiError, problemText } from '../../lib/problem';
import { formatDate, formatNumber, numberFormat } from '../../lib/vn';
import { catalogOptionsAt, useIndicators } from '../../lib/catalog-data';
import {
  cascadeCheck, createDecision, getDecision, getDocument, issueDecision, listAssignments, listDecisions, loadUnits,
  patchDecision, putAssignments, revokeDecision, uploadDecisionPdf, frontOf, governingUnit, type DocumentInfo, type UnitIndex,
} from './api';
import {
  assignmentInput, axesOfAssignments, decisionHeaderInput, figureKeyId, frontChoiceOf, matrixFromAssignments, milestonesText, parseMilestones, targetColumns, targetsFromMatrix,
  type Assignment, type CascadeRow, type Decision, type FigureKey, type FrontChoice,
} from './model';
import { DecisionStatusTag } from './DecisionList';
import { CascadePanel, fieldLabel, SignatureStatusView } from './parts';

const EditableGrid = lazy(() => import('../../components/EditableGrid'));

const EMPTY_GRID: GridState = { problems: [], dirtyCells: 0, rows: 0 };
const YEARS = Array.from({ length: 8 }, (_, i) => 2024 + i);
const L = (field: string, fallback: string) => fieldLabel('Decision', field, fallback);

type Header = Pick<Decision, 'number' | 'title' | 'issued_on' | 'effective_from' | 'signer' | 'legal_basis' | 'year' | 'plan_period' | 'adjusts_decision_id' | 'issuer_unit_id'>;
const HEADER_FIELDS: Array<keyof Header> = ['number', 'title', 'issued_on', 'effective_from', 'signer', 'legal_basis', 'year', 'plan_period', 'adjusts_decision_id', 'issuer_unit_id'];

function headerOf(d: Partial<Decision>): Header {
  return {
    number: d.number ?? '', title: d.title ?? '', issued_on: d.issued_on ?? '', effective_from: d.effective_from ?? '', signer: d.signer ?? '',
    legal_basis: d.legal_basis ?? '', year: d.year ?? 0, plan_period: d.plan_period ?? '', adjusts_decision_id: d.adjusts_decision_id ?? '',
    issuer_unit_id: d.issuer_unit_id ?? '',
  };
}

/** The query of the hash ("#/quyet-dinh-giao/moi?dieu-chinh=…"). */
function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '');
}

function Field({ id, label, children, error, grow }: { id: string; label: string; children: ReactNode; error?: string; grow?: boolean }) {
  return (
    <div className={`field${grow ? ' field-grow' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? <p className="field-error" id={`${id}-error`} data-testid={`decision-field-error-${id.replace(/^decision-/, '')}`}>{error}</p> : null}
    </div>
  );
}

interface Loaded {
  decision: Decision | null;
  header: Header;
  unitIds: string[];
  keys: FigureKey[];
  assignments: Assignment[];
}

export default function DecisionEditor({ id }: { id: string | null }) {
  const { claims, can } = useSession();
  const toast = useToast();
  const indicators = useIndicators();
  const [index, setIndex] = useState<UnitIndex | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [header, setHeader] = useState<Header>(headerOf({}));
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [keys, setKeys] = useState<FigureKey[]>([]);
  const [targets, setTargets] = useState<Assignment[]>([]);
  const [others, setOthers] = useState<Assignment[]>([]);
  const [front, setFront] = useState<FrontChoice>({ frontUnitId: '', keys: [], unitIds: [] });
  const [generation, setGeneration] = useState(0);
  const [gridState, setGridState] = useState<GridState>(EMPTY_GRID);
  const [taskState, setTaskState] = useState<GridState>(EMPTY_GRID);
  const [planState, setPlanState] = useState<GridState>(EMPTY_GRID);
  const [criteriaState, setCriteriaState] = useState<GridState>(EMPTY_GRID);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [localProblems, setLocalProblems] = useState<string[]>([]);
  const [doc, setDoc] = useState<DocumentInfo | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [issuing, setIssuing] = useState(false);
  const [issueError, setIssueError] = useState<unknown>(null);
  const [cascade, setCascade] = useState<CascadeRow[] | null>(null);
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [revokeReason, setRevokeReason] = useState('');
  const [setCode, setSetCode] = useState<string | undefined>(undefined);
  const [headerDirty, setHeaderDirty] = useState(false);
  const [contentDirty, setContentDirty] = useState(false);
  const [issuedDecisions, setIssuedDecisions] = useState<Decision[]>([]);
  const grid = useRef<EditableGridHandle | null>(null);
  const taskGrid = useRef<EditableGridHandle | null>(null);
  const planGrid = useRef<EditableGridHandle | null>(null);
  const criteriaGrid = useRef<EditableGridHandle | null>(null);
  const idempotency = useRef(crypto.randomUUID());
  const uploadKey = useRef(crypto.randomUUID());
  const [keyTasks, setKeyTasks] = useState<Array<{ code: string; name: string }>>([]);
  const [plans, setPlans] = useState<Array<{ code: string; name: string }>>([]);
  const [criteriaSets, setCriteriaSets] = useState<Array<{ code: string; name: string }>>([]);
  const [indicatorSets, setIndicatorSets] = useState<Array<{ code: string; name: string }>>([]);

  useEffect(() => {
    loadUnits().then(setIndex, setLoadError);
    catalogOptionsAt('/key-tasks', 'title').then(setKeyTasks, () => {});
    catalogOptionsAt('/thematic-plans').then(setPlans, () => {});
    catalogOptionsAt('/criteria-sets').then(setCriteriaSets, () => {});
    catalogOptionsAt('/indicator-sets').then(setIndicatorSets, () => {});
    listDecisions({ status: 'issued', page_size: 200 }).then((p) => setIssuedDecisions(p.items), () => {});
  }, []);

  // Load the decision, or pre-fill a new one (adjusting an issued decision, or cascading what the unit received).
  useEffect(() => {
    if (!index) return;
    let live = true;
    /** rows in the order of the units' codes */
    const byCode = (ids: string[]) => [...ids].sort((a, b) => (index.byId.get(a)?.code ?? a).localeCompare(index.byId.get(b)?.code ?? b, 'vi', { numeric: true }));
    (async (): Promise<Loaded> => {
      if (id) {
        const d = await getDecision(id);
        const axes = axesOfAssignments(d.assignments ?? []);
        return { decision: d, header: headerOf(d), unitIds: byCode(axes.unitIds), keys: axes.keys, assignments: d.assignments ?? [] };
      }
      const params = hashParams();
      const own = governingUnit(index, claims.org_unit);
      const adjusts = params.get('dieu-chinh');
      if (adjusts) {
        const src = await getDecision(adjusts);
        const axes = axesOfAssignments(src.assignments ?? []);
        axes.unitIds = byCode(axes.unitIds);
        const copy = (src.assignments ?? []).map(({ kind, assignee_unit_id, role, target, task, plan, criteria, year, plan_period, front_unit_ids }) => ({
          kind, assignee_unit_id, role, target, task, plan, criteria, year, plan_period, front_unit_ids,
        }));
        return {
          decision: null,
          header: { ...headerOf(src), number: '', issued_on: '', effective_from: '', adjusts_decision_id: src.id ?? '', title: `Điều chỉnh ${src.title ? src.title.charAt(0).toLowerCase() + src.title.slice(1) : `quyết định ${src.number}`}` },
          unitIds: axes.unitIds, keys: axes.keys, assignments: copy,
        };
      }
      const year = Number(params.get('nam')) || new Date().getFullYear();
      if (params.has('giao-tiep') && own) {
        // what the unit received for the year, passed on to its own units
        const received = await listAssignments({ assignee_unit_id: own.id, year, kind: 'indicator_target' });
        const fromDecision = params.get('giao-tiep');
        const axes = axesOfAssignments(received.filter((a) => !fromDecision || a.decision_id === fromDecision));
        const children = byCode((index.children.get(own.id) ?? []).filter((c) => c.kind !== 'front').map((c) => c.id));
        return {
          decision: null,
          header: { ...headerOf({}), issuer_unit_id: own.id, year, title: `Giao chỉ tiêu kinh tế – xã hội năm ${year} cho các đơn vị trực thuộc` },
          unitIds: children, keys: axes.keys, assignments: [],
        };
      }
      return { decision: null, header: { ...headerOf({}), issuer_unit_id: own?.id ?? '', year }, unitIds: [], keys: [], assignments: [] };
    })().then((l) => {
      if (!live) return;
      setLoaded(l);
    }, (err) => live && setLoadError(err));
    return () => {
      live = false;
    };
    // claims are stable for the session
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, index]);

  const info = (code: string) => {
    const i = indicators.get(code);
    return i ? { name: String(i.name ?? ''), unit_of_measure: String(i.unit_of_measure ?? ''), dimensions: i.dimensions } : undefined;
  };
  const columns = useMemo(() => targetColumns(keys, info), [keys, indicators]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!loaded) return;
    setDecision(loaded.decision);
    setHeader(loaded.header);
    setUnitIds(loaded.unitIds);
    setKeys(loaded.keys);
    setTargets(loaded.assignments.filter((a) => a.kind === 'indicator_target'));
    setOthers(loaded.assignments.filter((a) => a.kind !== 'indicator_target'));
    setHeaderDirty(!loaded.decision);
    setContentDirty(!loaded.decision && loaded.assignments.length > 0);
    setGeneration((g) => g + 1);
  }, [loaded]);

  useEffect(() => {
    if (!loaded || !index) return;
    const cols = targetColumns(loaded.keys, info);
    const choice = frontChoiceOf(loaded.assignments, cols, loaded.unitIds);
    // a new decision proposes the Front committee at the issuer's level
    if (!loaded.decision && !choice.frontUnitId) choice.frontUnitId = frontOf(index, loaded.header.issuer_unit_id)?.id ?? '';
    setFront(choice);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, index]);

  useEffect(() => {
    const docId = decision?.document_id;
    if (!docId) return;
    getDocument(docId).then(setDoc, () => {});
  }, [decision?.document_id]);

  const refreshCascade = (d: Decision | null) => {
    if (!d?.id) return;
    cascadeCheck(d.id).then(setCascade, () => setCascade(null));
  };
  useEffect(() => {
    refreshCascade(decision);
  }, [decision?.id, decision?.version]); // eslint-disable-line react-hooks/exhaustive-deps

  const readOnly = !can.manageAssignments || (decision !== null && decision.status !== 'draft');
  const unitName = (uid: string) => index?.byId.get(uid)?.name ?? uid;
  const unitOptions = useMemo(() => {
    const out: Record<string, string> = {};
    index?.byId.forEach((u) => {
      if (u.kind !== 'front') out[u.id] = `${u.name} (${u.code})`;
    });
    return out;
  }, [index]);
  const fronts = useMemo(() => [...(index?.byId.values() ?? [])].filter((u) => u.kind === 'front'), [index]);
  const treeData = useMemo(() => {
    type N = { value: string; title: string; children: N[] };
    const conv = (n: { unit: { id: string; name: string; code: string; kind: string }; children: unknown[] }): N => ({
      value: n.unit.id, title: `${n.unit.name} (${n.unit.code})`,
      children: (n.children as typeof n[]).filter((c) => c.unit.kind !== 'front').map(conv),
    });
    return (index?.roots ?? []).map((r) => conv(r as never));
  }, [index]);

  // ---------------------------------------------------------------- the target grid

  /** The targets the grid holds now (its cells kept when rows or columns change). */
  const snapshotTargets = (): Assignment[] | null => {
    if (!grid.current) return targets;
    try {
      const rows = grid.current.values();
      const { assignments } = targetsFromMatrix(rows, columns, { year: header.year || undefined, front });
      return assignments;
    } catch (err) {
      setLocalProblems([`Hãy sửa các ô chưa hợp lệ trước: ${(err as Error).message}`]);
      return null;
    }
  };
  const reshape = (nextUnits: string[], nextKeys: FigureKey[]) => {
    const kept = snapshotTargets();
    if (!kept) return;
    setLocalProblems([]);
    setTargets(kept);
    setUnitIds(nextUnits);
    setKeys(nextKeys);
    setContentDirty(true);
    setGeneration((g) => g + 1);
  };
  const addKeys = (codes: string[]) => {
    const have = new Set(keys.map(figureKeyId));
    const add = codes.filter((c) => !have.has(c)).map((c) => ({ indicator_code: c, members: [] }));
    if (add.length) reshape(unitIds, [...keys, ...add]);
  };
  const addSet = async (code: string) => {
    setSetCode(code);
    try {
      const { data } = await request<{ items: Array<{ indicator_code: string }> }>('GET', `/api/v1/indicator-sets/${encodeURIComponent(code)}`);
      addKeys(data.items.map((i) => i.indicator_code).filter(Boolean));
    } catch (err) {
      setLocalProblems([problemText(err, 'Không tải được bộ chỉ số')]);
    } finally {
      setSetCode(undefined);
    }
  };

  const gridRows = useMemo(
    () => matrixFromAssignments(unitIds.map((u) => ({ id: u, name: unitName(u) })), columns, targets),
    // rebuilt only with the grid (generation)
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [generation, index],
  );
  const gridColumns: GridColumn[] = useMemo(() => [
    { field: 'unit_name', title: 'Đơn vị nhận', kind: 'text', readOnly: true, width: 220 },
    ...columns,
  ], [columns]);

  // ---------------------------------------------------------------- tasks, plans, criteria

  const keyTaskOptions = useMemo(() => Object.fromEntries(keyTasks.map((k) => [k.code, `${k.code} – ${k.name}`])), [keyTasks]);
  const planOptions = useMemo(() => Object.fromEntries(plans.map((k) => [k.code, `${k.code} – ${k.name}`])), [plans]);
  const criteriaOptions = useMemo(() => Object.fromEntries(criteriaSets.map((k) => [k.code, `${k.code} – ${k.name}`])), [criteriaSets]);

  const taskColumns: GridColumn[] = [
    { field: 'key_task_id', title: 'Nhiệm vụ trọng tâm', kind: 'enum', options: keyTaskOptions, required: true, width: 240 },
    { field: 'assignee_unit_id', title: 'Đơn vị chủ trì', kind: 'enum', options: unitOptions, required: true, width: 200 },
    { field: 'coordinating_unit_ids', title: 'Đơn vị phối hợp', kind: 'enums', options: unitOptions, width: 200 },
    { field: 'deadline', title: 'Thời hạn', kind: 'date', width: 110 },
    { field: 'milestones', title: 'Các mốc (tên: ngày; …)', kind: 'text', width: 220 },
    { field: 'expected_output', title: 'Kết quả dự kiến', kind: 'text', width: 200 },
    { field: 'front', title: 'MTTQ giám sát', kind: 'bool', width: 100 },
  ];
  const planColumns: GridColumn[] = [
    { field: 'thematic_plan_id', title: 'Kế hoạch chuyên đề', kind: 'enum', options: planOptions, required: true, width: 260 },
    { field: 'assignee_unit_id', title: 'Đơn vị thực hiện', kind: 'enum', options: unitOptions, required: true, width: 220 },
    { field: 'responsibilities', title: 'Trách nhiệm của đơn vị', kind: 'text', width: 260 },
    { field: 'deadline', title: 'Thời hạn', kind: 'date', width: 110 },
    { field: 'front', title: 'MTTQ giám sát', kind: 'bool', width: 100 },
  ];
  const criteriaColumns: GridColumn[] = [
    { field: 'assignee_unit_id', title: 'Đơn vị được đánh giá', kind: 'enum', options: unitOptions, required: true, width: 260 },
    { field: 'criteria_set_id', title: 'Bộ tiêu chí đánh giá', kind: 'enum', options: criteriaOptions, required: true, width: 300 },
  ];
  const otherRows = useMemo(() => {
    const opened = (a: Assignment) => (a.front_unit_ids ?? []).length > 0;
    return {
      tasks: others.filter((a) => a.kind === 'key_task' && a.task).map((a) => ({
        key_task_id: a.task!.key_task_id, assignee_unit_id: a.assignee_unit_id, coordinating_unit_ids: a.task!.coordinating_unit_ids ?? [],
        deadline: a.task!.deadline || null, milestones: milestonesText(a.task!.milestones), expected_output: a.task!.expected_output ?? '', front: opened(a),
      })),
      plans: others.filter((a) => a.kind === 'thematic_plan' && a.plan).map((a) => ({
        thematic_plan_id: a.plan!.thematic_plan_id, assignee_unit_id: a.assignee_unit_id, responsibilities: a.plan!.responsibilities ?? '',
        deadline: a.plan!.deadline || null, front: opened(a),
      })),
      criteria: others.filter((a) => a.kind === 'criteria_set' && a.criteria).map((a) => ({
        assignee_unit_id: a.assignee_unit_id, criteria_set_id: a.criteria!.criteria_set_id,
      })),
    };
  }, [others, generation]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Every assignment the editor holds, or the problems that keep it from being saved. */
  const collect = (): { assignments: Assignment[]; problems: string[] } => {
    const problems: string[] = [];
    const year = header.year || undefined;
    const frontIds = front.frontUnitId ? [front.frontUnitId] : [];
    let all: Assignment[] = [];
    try {
      const rows = grid.current ? grid.current.values() : null;
      const t = rows ? targetsFromMatrix(rows, columns, { year, front }) : { assignments: targets, problems: [] };
      all = [...t.assignments];
      problems.push(...t.problems.map((p) => `${p.unitName}, ${p.column}: ${p.message}`));
    } catch (err) {
      problems.push(`Bảng chỉ tiêu: ${(err as Error).message}`);
    }
    const read = (ref: typeof taskGrid, fallback: Array<Record<string, unknown>>, what: string) => {
      try {
        return ref.current ? ref.current.values() : fallback;
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
        return [];
      }
    };
    read(taskGrid, otherRows.tasks, 'Nhiệm vụ trọng tâm').forEach((r, i) => {
      const m = parseMilestones(String(r.milestones ?? ''));
      if (!m.ok) {
        problems.push(`Nhiệm vụ trọng tâm, dòng ${i + 1}: ${m.message}`);
        return;
      }
      all.push({
        kind: 'key_task', assignee_unit_id: String(r.assignee_unit_id), role: 'lead',
        task: {
          key_task_id: String(r.key_task_id), deadline: (r.deadline as string) || '', expected_output: String(r.expected_output ?? ''),
          coordinating_unit_ids: (r.coordinating_unit_ids as string[]) ?? [], milestones: m.value,
        },
        front_unit_ids: r.front ? frontIds : [],
      });
    });
    read(planGrid, otherRows.plans, 'Kế hoạch chuyên đề').forEach((r) => all.push({
      kind: 'thematic_plan', assignee_unit_id: String(r.assignee_unit_id), role: 'lead',
      plan: { thematic_plan_id: String(r.thematic_plan_id), responsibilities: String(r.responsibilities ?? ''), deadline: (r.deadline as string) || '' },
      front_unit_ids: r.front ? frontIds : [],
    }));
    read(criteriaGrid, otherRows.criteria, 'Bộ tiêu chí đánh giá').forEach((r) => all.push({
      kind: 'criteria_set', assignee_unit_id: String(r.assignee_unit_id), role: 'lead',
      criteria: { criteria_set_id: String(r.criteria_set_id) }, front_unit_ids: [],
    }));
    if (!front.frontUnitId && (front.keys.length || front.unitIds.length)) problems.push('Hãy chọn Ủy ban MTTQ giám sát.');
    return { assignments: all, problems: problems.filter(Boolean) };
  };

  const headerErrors: Record<string, string> = {};
  if (saveError instanceof ApiError) {
    for (const fe of saveError.fieldErrors) if ((HEADER_FIELDS as string[]).includes(fe.field)) headerErrors[fe.field] = fe.message;
  }
  if (issueError instanceof ApiError) {
    for (const fe of issueError.fieldErrors) if ((HEADER_FIELDS as string[]).includes(fe.field)) headerErrors[fe.field] = fe.message;
  }

  const save = async (): Promise<Decision | null> => {
    setSaveError(null);
    setIssueError(null);
    const { assignments, problems } = collect();
    if (!header.number.trim() && !header.title.trim()) problems.unshift('Hãy nhập số hiệu hoặc trích yếu của quyết định.');
    setLocalProblems(problems);
    if (problems.length) return null;
    setSaving(true);
    try {
      let d: Decision;
      const body = decisionHeaderInput(header);
      const items = assignments.map(assignmentInput);
      if (!decision?.id) {
        d = await createDecision({ ...body, assignments: items }, idempotency.current);
        idempotency.current = crypto.randomUUID();
      } else {
        d = decision;
        if (headerDirty) d = await patchDecision(d.id!, d.version ?? 0, body);
        d = await putAssignments(d.id!, d.version ?? 0, items);
      }
      setDecision(d);
      setHeaderDirty(false);
      setContentDirty(false);
      grid.current?.markSaved();
      taskGrid.current?.markSaved();
      planGrid.current?.markSaved();
      criteriaGrid.current?.markSaved();
      toast(`Đã lưu dự thảo với ${numberFormat.format(assignments.length)} nội dung giao.`);
      if (!decision?.id && d.id) navigate(href('quyet-dinh-giao', d.id));
      return d;
    } catch (err) {
      setSaveError(err);
      return null;
    } finally {
      setSaving(false);
    }
  };

  const attach = async (file: File) => {
    setUploadError(null);
    let d = decision;
    if (!d?.id) d = await save();
    if (!d?.id || !index) return;
    setUploading(true);
    try {
      const issuer = index.byId.get(d.issuer_unit_id ?? header.issuer_unit_id ?? '');
      const uploaded = await uploadDecisionPdf(file, { id: d.id, number: d.number }, issuer?.code ?? claims.org_unit ?? '', uploadKey.current);
      uploadKey.current = crypto.randomUUID();
      // shown once the draft names it: issuing before that would race the PATCH (412)
      const patched = await patchDecision(d.id, d.version ?? 0, { document_id: uploaded.id });
      setDecision(patched);
      setDoc(uploaded);
    } catch (err) {
      setUploadError(err);
    } finally {
      setUploading(false);
    }
  };

  const issue = async () => {
    if (!decision?.id) return;
    setIssueError(null);
    setIssuing(true);
    try {
      let d: Decision | null = decision;
      if (headerDirty || contentDirty || gridState.dirtyCells || taskState.dirtyCells || planState.dirtyCells || criteriaState.dirtyCells) d = await save();
      if (!d?.id) return;
      const issued = await issueDecision(d.id, d.version ?? 0, doc?.id ?? d.document_id ?? '');
      setDecision(issued);
      toast(`Đã ban hành quyết định ${issued.number}.`);
    } catch (err) {
      setIssueError(err);
    } finally {
      setIssuing(false);
    }
  };

  const revoke = async () => {
    if (!decision?.id) return;
    try {
      const d = await revokeDecision(decision.id, decision.version ?? 0, revokeReason.trim());
      setDecision(d);
      setRevokeOpen(false);
      toast(`Đã thu hồi quyết định ${d.number}.`);
    } catch (err) {
      setIssueError(err);
      setRevokeOpen(false);
    }
  };

  const set = <K extends keyof Header>(k: K, v: Header[K]) => {
    setHeader((h) => ({ ...h, [k]: v }));
    setHeaderDirty(true);
  };

  if (loadError) return <Alert type="error" showIcon data-testid="decision-load-error" message={problemText(loadError, 'Không tải được quyết định')} />;
  if (!loaded || !index) return <div className="view-center"><Spin /><p>Đang tải…</p></div>;

  const dirty = headerDirty || contentDirty || gridState.dirtyCells + taskState.dirtyCells + planState.dirtyCells + criteriaState.dirtyCells > 0;
  const invalidCells = gridState.problems.length + taskState.problems.length + planState.problems.length + criteriaState.problems.length;
  const titleText = decision ? `Quyết định ${decision.number || '(chưa có số)'}` : header.adjusts_decision_id ? 'Soạn quyết định điều chỉnh' : 'Soạn quyết định giao';
  const adjusted = issuedDecisions.find((d) => d.id === header.adjusts_decision_id);
  const problemsList = (state: GridState, testid: string) => (state.problems.length ? (
    <ul className="grid-problems" data-testid={testid}>
      {state.problems.slice(0, 50).map((p) => <li key={`${p.row}-${p.field}`}>Dòng {p.row}, cột {p.title}: {p.message}</li>)}
    </ul>
  ) : null);

  return (
    <section className="view" aria-labelledby="page-title">
      <nav aria-label="Vị trí" className="breadcrumb"><a href={href('quyet-dinh-giao')}>Quyết định giao</a> › <span aria-current="page">{titleText}</span></nav>
      <div className="page-head">
        <div>
          <h1 id="page-title" data-testid="page-title">{titleText}</h1>
          <p className="muted page-lead">
            {decision ? <DecisionStatusTag status={decision.status} testid="decision-status" /> : <DecisionStatusTag status="draft" testid="decision-status" />}
            {decision?.status === 'issued' && decision.issued_at ? ` Ban hành lúc ${formatDate(decision.issued_at)}.` : ''}
            {decision?.status === 'revoked' && decision.revoke_reason ? ` Lý do thu hồi: ${decision.revoke_reason}` : ''}
          </p>
        </div>
        <div className="page-actions">
          {decision?.status === 'issued' && can.manageAssignments ? (
            <>
              <Button data-testid="decision-adjust" onClick={() => navigate(`${href('quyet-dinh-giao', null, 'moi')}?dieu-chinh=${encodeURIComponent(decision.id!)}`)}>Điều chỉnh</Button>
              <Button danger data-testid="decision-revoke" onClick={() => setRevokeOpen(true)}>Thu hồi</Button>
            </>
          ) : null}
        </div>
      </div>

      <Card title={<h2 className="card-title">Thông tin quyết định</h2>}>
        <div className="toolbar-row">
          <Field id="decision-number" label={L('number', 'Số hiệu')} error={headerErrors.number}>
            <Input id="decision-number" data-testid="decision-number" value={header.number} disabled={readOnly} placeholder="Ví dụ: 125/QĐ-UBND"
              aria-invalid={headerErrors.number ? true : undefined} onChange={(e) => set('number', e.target.value)} />
          </Field>
          <Field id="decision-title" label={L('title', 'Trích yếu')} error={headerErrors.title} grow>
            <Input id="decision-title" data-testid="decision-title" value={header.title} disabled={readOnly} onChange={(e) => set('title', e.target.value)} />
          </Field>
        </div>
        <div className="toolbar-row">
          <Field id="decision-issued-on" label={L('issued_on', 'Ngày ký')} error={headerErrors.issued_on}>
            <DatePicker id="decision-issued-on" data-testid="decision-issued-on" disabled={readOnly} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
              value={header.issued_on ? dayjs(header.issued_on) : null} onChange={(d) => set('issued_on', d ? d.format('YYYY-MM-DD') : '')} />
          </Field>
          <Field id="decision-effective-from" label={L('effective_from', 'Hiệu lực từ ngày')} error={headerErrors.effective_from}>
            <DatePicker id="decision-effective-from" data-testid="decision-effective-from" disabled={readOnly} format={['DD/MM/YYYY', 'YYYY-MM-DD']} placeholder="Mặc định: ngày ký"
              value={header.effective_from ? dayjs(header.effective_from) : null} onChange={(d) => set('effective_from', d ? d.format('YYYY-MM-DD') : '')} />
          </Field>
          <Field id="decision-signer" label={L('signer', 'Người ký')} error={headerErrors.signer} grow>
            <Input id="decision-signer" data-testid="decision-signer" value={header.signer} disabled={readOnly} placeholder="Ví dụ: Chủ tịch Trần Văn Tâm" onChange={(e) => set('signer', e.target.value)} />
          </Field>
          <Field id="decision-issuer" label={L('issuer_unit_id', 'Đơn vị ban hành')} error={headerErrors.issuer_unit_id}>
            <Select id="decision-issuer" data-testid="decision-issuer" className="filter-select" value={header.issuer_unit_id || undefined} disabled={readOnly || Boolean(decision)}
              showSearch optionFilterProp="label" popupMatchSelectWidth={false} onChange={(v) => set('issuer_unit_id', v)}
              options={[...index.byId.values()].filter((u) => ['province', 'district', 'commune'].includes(u.kind)).map((u) => ({ value: u.id, label: u.name }))} />
          </Field>
        </div>
        <div className="toolbar-row">
          <Field id="decision-year" label={L('year', 'Năm')} error={headerErrors.year}>
            <Select id="decision-year" data-testid="decision-year" className="filter-select" disabled={readOnly} value={header.year || 0}
              onChange={(v) => set('year', v)} options={[{ value: 0, label: 'Theo giai đoạn' }, ...YEARS.map((y) => ({ value: y, label: String(y) }))]} />
          </Field>
          {!header.year ? (
            <Field id="decision-plan-period" label={L('plan_period', 'Giai đoạn')} error={headerErrors.plan_period}>
              <Input id="decision-plan-period" data-testid="decision-plan-period" className="input-narrow" disabled={readOnly} value={header.plan_period} placeholder="2026-2030"
                onChange={(e) => set('plan_period', e.target.value)} />
            </Field>
          ) : null}
          <Field id="decision-adjusts" label={L('adjusts_decision_id', 'Điều chỉnh quyết định')} error={headerErrors.adjusts_decision_id} grow>
            <Select id="decision-adjusts" data-testid="decision-adjusts" allowClear disabled={readOnly} value={header.adjusts_decision_id || undefined} placeholder="Không (quyết định giao lần đầu)"
              showSearch optionFilterProp="label" onChange={(v) => set('adjusts_decision_id', v ?? '')}
              options={[
                ...issuedDecisions.filter((d) => d.id !== decision?.id).map((d) => ({ value: d.id!, label: `${d.number} – ${d.title}` })),
                ...(header.adjusts_decision_id && !adjusted ? [{ value: header.adjusts_decision_id, label: 'Quyết định đã ban hành' }] : []),
              ]} />
          </Field>
        </div>
        <Field id="decision-legal-basis" label={L('legal_basis', 'Căn cứ pháp lý')} error={headerErrors.legal_basis}>
          <Input.TextArea id="decision-legal-basis" data-testid="decision-legal-basis" rows={2} disabled={readOnly} value={header.legal_basis}
            placeholder="Ví dụ: Nghị quyết số 15/NQ-HĐND ngày 10/12/2025 của HĐND tỉnh" onChange={(e) => set('legal_basis', e.target.value)} />
        </Field>
      </Card>

      <Card title={<h2 className="card-title">Nội dung giao</h2>}>
        <Tabs items={[
          {
            key: 'targets', label: `Chỉ tiêu (${numberFormat.format(unitIds.length)} đơn vị × ${numberFormat.format(keys.length)} chỉ tiêu)`,
            children: (
              <div className="view">
                {readOnly ? null : (
                  <div className="toolbar-row">
                    <Field id="targets-units" label="Đơn vị nhận (chọn trên cây đơn vị)" grow>
                      <TreeSelect id="targets-units" data-testid="targets-units" multiple treeCheckable treeCheckStrictly showSearch treeNodeFilterProp="title"
                        treeData={treeData} value={unitIds.map((u) => ({ value: u, label: unitName(u) }))} maxTagCount={8} placeholder="Chọn các đơn vị nhận"
                        showCheckedStrategy={TreeSelect.SHOW_ALL} popupMatchSelectWidth={false}
                        onChange={(v) => reshape((v as Array<{ value: string }>).map((x) => x.value), keys)} />
                    </Field>
                    <Field id="targets-set" label="Thêm các chỉ tiêu của bộ chỉ số">
                      <Select id="targets-set" data-testid="targets-set" className="filter-select" value={setCode} placeholder="Chọn bộ chỉ số" loading={Boolean(setCode)}
                        showSearch optionFilterProp="label" popupMatchSelectWidth={false}
                        options={indicatorSets.map((s) => ({ value: s.code, label: `${s.code} – ${s.name}` }))} onChange={addSet} />
                    </Field>
                    <Field id="targets-indicator" label="Thêm một chỉ tiêu">
                      <Select id="targets-indicator" data-testid="targets-indicator" className="filter-select" value={null} placeholder="Tìm theo mã hoặc tên"
                        showSearch optionFilterProp="label" popupMatchSelectWidth={false}
                        options={[...indicators.values()].filter((i) => !i.retired).map((i) => ({ value: i.code, label: `${i.code} – ${String(i.name ?? '')}` }))}
                        onChange={(v) => v && addKeys([String(v)])} />
                    </Field>
                    {keys.length ? (
                      <Field id="targets-remove" label="Bỏ chỉ tiêu">
                        <Select id="targets-remove" data-testid="targets-remove" className="filter-select" value={null} placeholder="Chọn chỉ tiêu cần bỏ"
                          popupMatchSelectWidth={false} options={columns.map((c) => ({ value: figureKeyId(c.key), label: c.title }))}
                          onChange={(v) => v && reshape(unitIds, keys.filter((k) => figureKeyId(k) !== v))} />
                      </Field>
                    ) : null}
                  </div>
                )}
                {unitIds.length && keys.length ? (
                  <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
                    <div className="assignment-grid">
                    <EditableGrid key={`targets-${generation}`} ref={grid} columns={gridColumns} rows={gridRows} label="Bảng chỉ tiêu giao: đơn vị × chỉ tiêu"
                      testid="targets-grid" readOnly={readOnly} onState={setGridState} height={Math.min(520, 110 + unitIds.length * 34)} />
                    </div>
                  </Suspense>
                ) : <p className="muted" data-testid="targets-empty">Chọn các đơn vị nhận và các chỉ tiêu để có bảng giao chỉ tiêu.</p>}
                {readOnly ? null : <p className="hint">Dán cả khối ô sao chép từ Excel (Ctrl+V) vào ô đầu tiên; số viết kiểu Việt Nam (1.234,5) hay kiểu Anh (1,234.5) đều được; một khoảng ghi “10 – 12”. Ô để trống là không giao.</p>}
                <div className="grid-status" aria-live="polite" data-testid="targets-status">
                  {gridState.dirtyCells ? `Đã sửa ${numberFormat.format(gridState.dirtyCells)} ô chưa lưu. ` : ''}
                  {gridState.problems.length ? `Còn ${numberFormat.format(gridState.problems.length)} ô chưa hợp lệ.` : ''}
                </div>
                {problemsList(gridState, 'targets-problems')}
              </div>
            ),
          },
          {
            key: 'tasks', label: 'Nhiệm vụ trọng tâm',
            children: (
              <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
                <EditableGrid key={`tasks-${generation}-${keyTasks.length}-${index.byId.size}`} ref={taskGrid} columns={taskColumns} rows={otherRows.tasks}
                  label="Bảng giao nhiệm vụ trọng tâm" testid="tasks-grid" readOnly={readOnly} addable onState={setTaskState} />
                <p className="hint">Các mốc ghi theo dạng “Quý I: 31/03/2026; Hoàn thành: 30/11/2026”. Đơn vị phối hợp cách nhau bằng dấu “/”.</p>
                {problemsList(taskState, 'tasks-problems')}
              </Suspense>
            ),
          },
          {
            key: 'plans', label: 'Kế hoạch chuyên đề',
            children: (
              <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
                <EditableGrid key={`plans-${generation}-${plans.length}-${index.byId.size}`} ref={planGrid} columns={planColumns} rows={otherRows.plans}
                  label="Bảng giao kế hoạch chuyên đề" testid="plans-grid" readOnly={readOnly} addable onState={setPlanState} />
                {problemsList(planState, 'plans-problems')}
              </Suspense>
            ),
          },
          {
            key: 'criteria', label: 'Bộ tiêu chí đánh giá',
            children: (
              <Suspense fallback={<p className="muted">Đang tải bảng…</p>}>
                <EditableGrid key={`criteria-${generation}-${criteriaSets.length}-${index.byId.size}`} ref={criteriaGrid} columns={criteriaColumns} rows={otherRows.criteria}
                  label="Bảng bộ tiêu chí đánh giá theo đơn vị" testid="criteria-grid" readOnly={readOnly} addable onState={setCriteriaState} />
                {problemsList(criteriaState, 'criteria-problems')}
              </Suspense>
            ),
          },
        ]} />
      </Card>

      <Card title={<h2 className="card-title">Mặt trận giám sát</h2>}>
        <p className="muted">Chọn Ủy ban MTTQ cùng cấp được góp ý, giám sát và các chỉ tiêu (theo cột) hoặc đơn vị (theo dòng) mở cho Mặt trận; nhiệm vụ và kế hoạch chọn ở cột “MTTQ giám sát”. Mặt trận chỉ xem, không sửa.</p>
        <div className="toolbar-row">
          <Field id="front-unit" label="Ủy ban MTTQ giám sát">
            <Select id="front-unit" data-testid="front-unit" className="filter-select" allowClear disabled={readOnly} popupMatchSelectWidth={false}
              value={front.frontUnitId || undefined} placeholder="Chọn Ủy ban MTTQ"
              options={fronts.map((f) => ({ value: f.id, label: f.name }))} onChange={(v) => { setFront((f) => ({ ...f, frontUnitId: v ?? '' })); setContentDirty(true); }} />
          </Field>
          <Field id="front-keys" label="Chỉ tiêu mở cho Mặt trận (mọi đơn vị)" grow>
            <Select id="front-keys" data-testid="front-keys" mode="multiple" disabled={readOnly} value={front.keys} popupMatchSelectWidth={false}
              options={columns.map((c) => ({ value: figureKeyId(c.key), label: c.title }))} onChange={(v) => { setFront((f) => ({ ...f, keys: v })); setContentDirty(true); }} />
          </Field>
          <Field id="front-units" label="Đơn vị mở cho Mặt trận (mọi chỉ tiêu)" grow>
            <Select id="front-units" data-testid="front-units" mode="multiple" disabled={readOnly} value={front.unitIds} popupMatchSelectWidth={false}
              options={unitIds.map((u) => ({ value: u, label: unitName(u) }))} onChange={(v) => { setFront((f) => ({ ...f, unitIds: v })); setContentDirty(true); }} />
          </Field>
        </div>
      </Card>

      <Card title={<h2 className="card-title">Văn bản quyết định đã ký số</h2>}>
        {doc ? (
          <div data-testid="decision-document">
            <p>Tệp: <a href={doc.current.content_url} data-testid="decision-document-link">{doc.current.file_name}</a> (phiên bản {doc.current.number})</p>
            <SignatureStatusView verification={doc.current.signature} />
          </div>
        ) : <p className="muted" data-testid="decision-document-none">Chưa đính kèm văn bản. Quyết định chỉ ban hành được khi có bản PDF đã ký số hợp lệ.</p>}
        {readOnly ? null : (
          <div className="field">
            <label htmlFor="decision-pdf">{doc ? 'Đính kèm bản khác (PDF đã ký số)' : 'Đính kèm bản PDF đã ký số'}</label>
            <input id="decision-pdf" data-testid="decision-pdf" type="file" accept="application/pdf,.pdf" disabled={uploading}
              onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) attach(f); }} />
            {uploading ? <span className="hint">Đang tải lên và kiểm tra chữ ký…</span> : null}
          </div>
        )}
        {uploadError ? <Alert type="error" showIcon data-testid="decision-upload-error" message={problemText(uploadError, 'Không tải lên được văn bản')} /> : null}
      </Card>

      {decision?.id && (index.byId.get(decision.issuer_unit_id ?? '')?.kind ?? 'province') !== 'province' ? (
        <Card title={<h2 className="card-title">Đối chiếu với chỉ tiêu đơn vị được giao</h2>}>
          {cascade ? <CascadePanel rows={cascade} indicatorName={(c) => info(c)?.name ?? c} unitName={unitName} /> : <p className="muted">Đang tải…</p>}
        </Card>
      ) : null}

      {localProblems.length ? (
        <Alert type="error" showIcon data-testid="decision-problems" message="Chưa lưu được: còn nội dung chưa hợp lệ."
          description={<ul>{localProblems.map((p) => <li key={p}>{p}</li>)}</ul>} />
      ) : null}
      {saveError ? <Alert type="error" showIcon data-testid="decision-save-error" message={problemText(saveError, 'Không lưu được quyết định')}
        description={saveError instanceof ApiError && saveError.fieldErrors.length
          ? <ul>{saveError.fieldErrors.map((f) => <li key={`${f.field}${f.at}`}>{describeField(f.field, f.at)}: {f.message}</li>)}</ul> : undefined} /> : null}
      {issueError ? <Alert type="error" showIcon data-testid="decision-issue-error" message={problemText(issueError, 'Không ban hành được quyết định')} /> : null}

      {readOnly ? null : (
        <div className="form-actions form-actions-left">
          <Button data-testid="decision-save" loading={saving} disabled={invalidCells > 0 || (!dirty && Boolean(decision))} onClick={save}>Lưu dự thảo</Button>
          <Button type="primary" data-testid="decision-issue" loading={issuing} disabled={!decision?.id || invalidCells > 0 || uploading} onClick={issue}>Ban hành</Button>
          <span className="hint">{invalidCells ? `Còn ${numberFormat.format(invalidCells)} ô chưa hợp lệ.` : dirty ? 'Có thay đổi chưa lưu.' : ''}</span>
        </div>
      )}

      <Modal open={revokeOpen} title="Thu hồi quyết định" okText="Thu hồi" cancelText="Hủy" okButtonProps={{ danger: true, disabled: !revokeReason.trim(), 'data-testid': 'revoke-confirm' } as never}
        onOk={revoke} onCancel={() => setRevokeOpen(false)}>
        <p>Các nội dung giao của quyết định sẽ bị hủy. Quyết định vẫn được lưu để tra cứu.</p>
        <label htmlFor="revoke-reason">Lý do thu hồi</label>
        <Input.TextArea id="revoke-reason" data-testid="revoke-reason" rows={3} value={revokeReason} onChange={(e) => setRevokeReason(e.target.value)} />
      </Modal>
      <p className="muted">{decision?.assignments?.length ? `Quyết định có ${numberFormat.format(decision.assignments.length)} nội dung giao; tổng chỉ tiêu: ${formatNumber(decision.assignments.filter((a) => a.target).length)}.` : ''}</p>
    </section>
  );
}

/** "assignments[3].target.target_value" → "Nội dung giao thứ 4 (đơn vị …)". */
function describeField(field: string, at: string): string {
  const m = /^\[(\d+)\]/.exec(at);
  if (field === 'assignments' && m) return `Nội dung giao thứ ${Number(m[1]) + 1}${at.slice(m[0].length) ? ` (${at.slice(m[0].length).replace(/^\./, '')})` : ''}`;
  return at ? `${field}${at.startsWith('[') ? '' : '.'}${at}` : field;
}
