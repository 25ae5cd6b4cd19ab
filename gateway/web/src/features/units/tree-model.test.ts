import { describe, expect, it } from 'vitest';
import type { OrgUnit, OrgUnitNode } from '../../lib/api';
import { TreeModel } from './tree-model';

const unit = (id: string, name: string, kind: OrgUnit['kind'], parent: string | null): OrgUnit => ({
  id, code: id, name, short_name: '', kind, parent_id: parent, province_code: '31', valid_from: null,
  valid_to: null, version: 1, successor_ids: [], updated_at: null,
});
const node = (u: OrgUnit, children: OrgUnitNode[] = []): OrgUnitNode => ({ unit: u, children });

const model = () => TreeModel.fromNodes([node(unit('31', 'Thành phố Hải Phòng', 'province', null), [
  node(unit('31016', 'Xã Hà Tây', 'commune', '31'), [node(unit('31016-PKT', 'Phòng Kinh tế', 'office', '31016'))]),
  node(unit('31-STC', 'Sở Tài chính', 'agency', '31')),
  { unit: unit('31008', 'Phường Đông Hải', 'commune', '31') } as OrgUnitNode, // children not sent
])]);

describe('TreeModel', () => {
  it('orders children by kind, keeping server order within a kind', () => {
    expect(model().entries.get('31')!.childIds).toEqual(['31-STC', '31016', '31008']);
  });
  it('searches without diacritics, codes by prefix, and knows ancestors', () => {
    const m = model();
    expect(m.search('dong hai')).toEqual(new Set(['31008']));
    expect(m.search('31016')).toEqual(new Set(['31016', '31016-PKT']));
    expect(m.search('  ')).toBeNull();
    expect(m.ancestors('31016-PKT')).toEqual(['31016', '31']);
  });
  it('marks childless non-leaf units for a lazy load and merges loaded children', () => {
    const m = model();
    expect(m.entries.get('31008')!.loaded).toBe(false);
    expect(m.entries.get('31016-PKT')!.loaded).toBe(true);
    const after = m.withChildren('31008', [unit('31008-VP', 'Văn phòng', 'office', '31008')]);
    expect(after.entries.get('31008')).toMatchObject({ loaded: true, childIds: ['31008-VP'] });
    expect(m.entries.get('31008')!.loaded).toBe(false); // unchanged copy
  });
});
