// Who may do what in the UI (the gateway and the services enforce the same rules).

export const UNIT_EDITOR_ROLES = ['province_admin', 'system_admin'];
/** Only the managing unit's roles change catalogs. */
export const CATALOG_EDITOR_ROLES = ['planning_officer', 'province_admin', 'system_admin'];
/** Roles that draft, issue and revoke assignment decisions (a commune's leader cascades to its offices). */
export const ASSIGNMENT_MANAGER_ROLES = ['planning_officer', 'province_admin', 'system_admin', 'unit_leader'];
/** Roles that see what their unit received (and acknowledge it). */
export const ASSIGNMENT_RECEIVER_ROLES = ['data_entry', 'consolidator', 'unit_leader', 'planning_officer', 'province_admin', 'leadership'];
/** Roles that answer the Front's comments and recommendations for their unit (docs/oversight.md). */
export const OVERSIGHT_ANSWER_ROLES = ['consolidator', 'unit_leader', 'province_admin', 'planning_officer', 'leadership'];
/** The Front committee's users: the items opened to it, read-only. */
export const FRONT_ROLES = ['front_member'];
/** Roles that read and work on their units' periodic reports (báo cáo kỳ). */
export const REPORT_ROLES = ['data_entry', 'consolidator', 'unit_leader', 'planning_officer', 'province_admin', 'system_admin', 'leadership'];
/** Roles that open a unit's report for a period (the consolidating office, the leader, the upper level). */
export const REPORT_OPENER_ROLES = ['consolidator', 'unit_leader', 'planning_officer', 'province_admin', 'system_admin'];
/** Roles with a queue of reports waiting for their step ("Chờ duyệt"). */
export const REPORT_APPROVER_ROLES = ['consolidator', 'unit_leader', 'planning_officer', 'province_admin', 'system_admin'];
/** The upper level, which follows who sent their report ("Tình hình gửi báo cáo"). */
export const REPORT_BOARD_ROLES = ['planning_officer', 'province_admin', 'system_admin', 'leadership'];
/** Roles that take part in evaluations (the unit's chain and the managing unit). */
export const EVALUATION_ROLES = ['consolidator', 'unit_leader', 'planning_officer', 'province_admin', 'leadership'];

export interface Policies {
  editUnits: boolean;
  editCatalogs: boolean;
  manageAssignments: boolean;
  receiveAssignments: boolean;
  overseeAssignments: boolean;
  answerOversight: boolean;
  readReports: boolean;
  openReports: boolean;
  approveReports: boolean;
  followReports: boolean;
  evaluate: boolean;
}

export function policiesFor(roles: string[] | undefined): Policies {
  const has = (list: string[]) => (roles ?? []).some((r) => list.includes(r));
  return {
    editUnits: has(UNIT_EDITOR_ROLES),
    editCatalogs: has(CATALOG_EDITOR_ROLES),
    manageAssignments: has(ASSIGNMENT_MANAGER_ROLES),
    receiveAssignments: has(ASSIGNMENT_RECEIVER_ROLES),
    overseeAssignments: has(FRONT_ROLES),
    answerOversight: has(OVERSIGHT_ANSWER_ROLES),
    readReports: has(REPORT_ROLES),
    openReports: has(REPORT_OPENER_ROLES),
    approveReports: has(REPORT_APPROVER_ROLES),
    followReports: has(REPORT_BOARD_ROLES),
    evaluate: has(EVALUATION_ROLES),
  };
}
