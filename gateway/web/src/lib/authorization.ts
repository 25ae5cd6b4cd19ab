// Who may do what in the UI (the gateway and the services enforce the same rules).

export const UNIT_EDITOR_ROLES = ['province_admin', 'system_admin'];
/** Only the managing unit's roles change catalogs. */
export const CATALOG_EDITOR_ROLES = ['planning_officer', 'province_admin', 'system_admin'];

export interface Policies {
  editUnits: boolean;
  editCatalogs: boolean;
}

export function policiesFor(roles: string[] | undefined): Policies {
  const has = (list: string[]) => (roles ?? []).some((r) => list.includes(r));
  return { editUnits: has(UNIT_EDITOR_ROLES), editCatalogs: has(CATALOG_EDITOR_ROLES) };
}
