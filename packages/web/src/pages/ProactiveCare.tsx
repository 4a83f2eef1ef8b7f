/**
 * Proactive care for boards and programme leads: whether taking people onto a neighbourhood
 * team's caseload changed their use of A&E, emergency admissions and GP appointments, against
 * matched people who were never on one. Published, disclosure-controlled figures only; the
 * caseloads themselves (person-level) are on the Caseload page for teams and analysts.
 */
import { CaseloadEvaluation } from '../components/evaluation.js';

export const ProactiveCarePage = () => (
  <>
    <h1>Proactive care: did it change outcomes?</h1>
    <p className="lead">
      Neighbourhood teams take people on for proactive, coordinated care, often after a run of hospital admissions. Admissions usually fall afterwards whatever
      anyone does, so each person is compared with people like them who were not taken on.
    </p>
    <CaseloadEvaluation heading="People taken on compared with matched people who were not" />
  </>
);
