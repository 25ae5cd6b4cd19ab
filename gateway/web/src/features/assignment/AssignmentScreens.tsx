// The assignment screens (loaded when first opened): decisions (`#/quyet-dinh-giao`, `/moi`,
// `/{id}`) and what a unit received (`#/duoc-giao`, `/{assignment_id}`).
import type { Route } from '../../app/route';
import DecisionEditor from './DecisionEditor';
import DecisionList from './DecisionList';
import { ReceivedItem, ReceivedList } from './Received';


export default function AssignmentScreens({ route }: { route: Route }) {
  if (route.section === 'duoc-giao') return route.code ? <ReceivedItem key={route.code} id={route.code} /> : <ReceivedList />;
  if (route.action === 'new') return <DecisionEditor key={`new-${window.location.hash}`} id={null} />;
  if (route.code) return <DecisionEditor key={route.code} id={route.code} />;
  return <DecisionList />;
}
