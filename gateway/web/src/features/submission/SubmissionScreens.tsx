// The report screens (loaded when first opened): `#/bao-cao` (list, open), `#/bao-cao/{id}`
// (data entry, workflow, history), `#/cho-duyet` (approval queue), `#/tinh-hinh-gui-bao-cao` (board).
import type { Route } from '../../app/route';
import Board from './Board';
import DataEntry from './DataEntry';
import { ApprovalQueue, ReportList } from './ReportLists';

export default function SubmissionScreens({ route }: { route: Route }) {
  if (route.section === 'cho-duyet') return <ApprovalQueue />;
  if (route.section === 'tinh-hinh-gui-bao-cao') return <Board />;
  if (route.code) return <DataEntry key={route.code} id={route.code} />;
  return <ReportList />;
}
