/**
 * The quarterly board report: the template partnership boards use (purpose, background, main
 * issues, governance, conclusions, recommendations), filled from the strategy's measures, actions
 * and risks and reporting by exception: measures off track or worse than baseline, red and overdue
 * actions, critical and serious risks and risks past their review date, and measures still lacking
 * a baseline or target. Pure: the caller passes the assessed measures, the registers and "today".
 */
import type { Action, Rag } from './actions.js';
import { RAG_MEANING, isOverdue } from './actions.js';
import type { Quarter } from './quarters.js';
import { RISK_BANDS, isReviewOverdue, riskBand, riskScore, type Risk, type RiskBand } from './risks.js';
import type { StrategyMeasure, Strategy } from './strategy.js';
import { MEASURE_STATUSES, NEEDS_RECOVERY, STATUS_LABEL, STATUS_RAG, type MeasureAssessment, type MeasureStatus } from './trajectory.js';

export interface AssessedMeasure {
  readonly priorityId: string;
  readonly priorityTitle: string;
  readonly ambitionId: string;
  readonly ambitionTitle: string;
  readonly measure: StrategyMeasure;
  /** The unit values are shown in (%, per 100,000, years, or a manual measure's unit). */
  readonly unit: string;
  readonly assessment: MeasureAssessment;
  /** The measure owner's latest commentary on it, when there is one. */
  readonly commentary?: { readonly text: string; readonly writtenBy: string; readonly writtenAt: string } | null;
}

export interface BoardReportInput {
  readonly strategy: Strategy;
  readonly quarter: Quarter;
  /** The day the report is prepared (ISO). */
  readonly today: string;
  readonly measures: readonly AssessedMeasure[];
  readonly actions: readonly Action[];
  readonly risks: readonly Risk[];
  /** Where the figures come from, e.g. "synthetic data; latest period 2025/26". */
  readonly dataNote: string;
  /** Versions of the strategy after the first stored, each a change (any time; those made in the quarter are reported). */
  readonly versions?: readonly PlanVersionChange[];
}

/** A version of the strategy: when it was made, why (if said) and what changed, in words. */
export interface PlanVersionChange {
  readonly version: number;
  /** ISO day it was made. */
  readonly date: string;
  readonly reason: string | null;
  readonly changes: readonly string[];
}

export type IssueKind = 'measure' | 'action' | 'risk';
export interface ReportIssue {
  readonly kind: IssueKind;
  /** red: needs the board's decision; amber: for noting. */
  readonly severity: 'red' | 'amber';
  readonly title: string;
  readonly detail: string;
  readonly owner: string;
  /** The measure an issue of kind 'measure' is about (for its chart). */
  readonly measureId?: string;
}

export interface BoardReport {
  readonly title: string;
  readonly board: string;
  readonly quarter: Quarter;
  readonly preparedOn: string;
  readonly dataNote: string;
  readonly summary: {
    readonly measures: Readonly<Record<MeasureStatus, number>>;
    readonly actions: Readonly<Record<Rag, number>> & { readonly open: number; readonly overdue: number; readonly complete: number; readonly updatedInQuarter: number };
    readonly risks: Readonly<Record<RiskBand, number>> & { readonly open: number; readonly reviewOverdue: number };
  };
  readonly purpose: string;
  readonly background: string;
  readonly mainIssues: readonly ReportIssue[];
  readonly incompleteMeasures: readonly { readonly title: string; readonly reasons: readonly string[] }[];
  readonly governance: string;
  /** Versions of the strategy made in the quarter (changed baselines, targets, owners…), oldest first. */
  readonly planChanges: readonly PlanVersionChange[];
  readonly conclusions: readonly string[];
  readonly recommendations: readonly string[];
}

/** A value in its unit, as a board paper shows it. */
export const formatMeasureValue = (value: number | null | undefined, unit: string): string => {
  if (value === null || value === undefined) return 'n/a';
  const n = value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (unit === '%') return `${n}%`;
  return `${n} ${unit}`;
};

/** Text ending with a full stop (one, not two). */
const sentence = (text: string): string => {
  const t = text.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
};
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const count = <K extends string>(keys: readonly K[], of: (k: K) => number): Record<K, number> => Object.fromEntries(keys.map((k) => [k, of(k)])) as Record<K, number>;

/** What is being done about a measure: the open actions and risks that name it, and its owner's commentary. */
const measureResponse = (m: AssessedMeasure, actions: readonly Action[], risks: readonly Risk[], today: string): string[] => {
  const id = m.measure.id;
  const linked = actions.filter((x) => x.status === 'open' && x.measureIds.includes(id));
  const threats = risks.filter((r) => r.status === 'open' && r.measureIds.includes(id));
  return [
    linked.length > 0
      ? `actions: ${linked.map((x) => `${x.title} (${x.rag}${isOverdue(x, today) ? ', overdue' : ''}, ${x.lead})`).join('; ')}`
      : NEEDS_RECOVERY[m.assessment.status] ? 'no open action is linked to this measure' : null,
    threats.length > 0 ? `risks: ${threats.map((r) => `${r.title} (${riskScore(r.likelihood, r.impact)})`).join('; ')}` : null,
    m.commentary ? `the owner's commentary (${m.commentary.writtenBy}, ${m.commentary.writtenAt.slice(0, 10)}): "${m.commentary.text}"` : null,
  ].filter((x): x is string => x !== null);
};

/** The priority a risk threatens and the actions that address it, as sentences (nothing when it names neither). */
const riskLinks = (r: Risk, strategy: Strategy, actions: readonly Action[], today: string): string => {
  const priority = r.priorityId === null ? undefined : strategy.priorities.find((p) => p.id === r.priorityId);
  const linked = r.actionIds.map((id) => actions.find((a) => a.id === id)).filter((a): a is Action => a !== undefined);
  return [
    priority ? ` Priority: ${priority.title}.` : '',
    linked.length > 0 ? ` Actions: ${linked.map((x) => `${x.title} (${x.status === 'open' ? `${x.rag}${isOverdue(x, today) ? ', overdue' : ''}` : x.status}, ${x.lead})`).join('; ')}.` : '',
  ].join('');
};

const measureIssue = (m: AssessedMeasure, response: readonly string[] = []): ReportIssue => {
  const a = m.assessment;
  const latest = a.latest;
  const parts = [
    `${formatMeasureValue(latest?.value, m.unit)} in ${latest?.label ?? 'the latest period'}`,
    a.expected !== null ? `trajectory ${formatMeasureValue(a.expected, m.unit)}` : null,
    a.target ? `target ${formatMeasureValue(a.target.value, m.unit)} by ${a.target.date}` : null,
    a.baseline ? `baseline ${formatMeasureValue(a.baseline.value, m.unit)} (${a.baseline.label})` : null,
    a.significantChange === true ? 'the change from baseline is statistically significant' : a.significantChange === false ? 'the change from baseline is within the 95% confidence interval' : null,
    ...a.reasons,
    ...response,
  ].filter((x): x is string => x !== null);
  return {
    kind: 'measure',
    severity: STATUS_RAG[a.status] === 'red' ? 'red' : 'amber',
    title: `${m.measure.title}: ${STATUS_LABEL[a.status].toLowerCase()}`,
    detail: `${parts.join('; ')}. Ambition: ${m.ambitionTitle}.`,
    owner: m.measure.owner ?? '',
    measureId: m.measure.id,
  };
};

/** Builds the report for a quarter from what the board holds on `today`. */
export const buildBoardReport = (input: BoardReportInput): BoardReport => {
  const { strategy, quarter, today, measures, actions, risks } = input;
  const own = (x: { strategyId: string }) => x.strategyId === strategy.id;
  const myActions = actions.filter(own);
  const myRisks = risks.filter(own);
  const openActions = myActions.filter((a) => a.status === 'open');
  const openRisks = myRisks.filter((r) => r.status === 'open');
  const bandOf = (r: Risk) => riskBand(riskScore(r.likelihood, r.impact));
  const updatedInQuarter = myActions.filter((a) => a.updatedAt.slice(0, 10) >= quarter.start && a.updatedAt.slice(0, 10) <= quarter.end).length;
  const summary: BoardReport['summary'] = {
    measures: count(MEASURE_STATUSES, (s) => measures.filter((m) => m.assessment.status === s).length),
    actions: {
      ...count(['green', 'amber', 'red'] as const, (g) => openActions.filter((a) => a.rag === g).length),
      open: openActions.length,
      overdue: openActions.filter((a) => isOverdue(a, today)).length,
      complete: myActions.filter((a) => a.status === 'complete').length,
      updatedInQuarter,
    },
    risks: {
      ...count(
        RISK_BANDS.map((b) => b.id),
        (b) => openRisks.filter((r) => bandOf(r) === b).length,
      ),
      open: openRisks.length,
      reviewOverdue: openRisks.filter((r) => isReviewOverdue(r, today)).length,
    },
  };

  const issues: ReportIssue[] = [];
  const issueOf = (m: AssessedMeasure) => measureIssue(m, measureResponse(m, myActions, myRisks, today));
  for (const m of measures.filter((x) => x.assessment.status === 'missed' || x.assessment.status === 'worsening')) issues.push(issueOf(m));
  for (const a of openActions.filter((x) => x.rag === 'red')) {
    issues.push({ kind: 'action', severity: 'red', title: `Action: ${a.title}`, detail: `${RAG_MEANING.red}. Due ${a.dueDate}${isOverdue(a, today) ? ' (overdue)' : ''}. ${a.progressNote || 'No progress note.'}`, owner: `${a.lead} (${a.ownerGroup})` });
  }
  for (const r of [...openRisks].filter((x) => bandOf(x) === 'critical' || bandOf(x) === 'serious').sort((a, b) => riskScore(b.likelihood, b.impact) - riskScore(a.likelihood, a.impact))) {
    const score = riskScore(r.likelihood, r.impact);
    const target = r.targetLikelihood !== null && r.targetImpact !== null ? `; target ${riskScore(r.targetLikelihood, r.targetImpact)} after mitigation` : '';
    issues.push({
      kind: 'risk',
      severity: bandOf(r) === 'critical' ? 'red' : 'amber',
      title: `Risk: ${r.title} (${RISK_BANDS.find((b) => b.id === bandOf(r))!.label.toLowerCase()}, ${score})`,
      detail: `Likelihood ${r.likelihood} × impact ${r.impact}${target}. Mitigations: ${sentence(r.mitigations) || 'none recorded.'}${riskLinks(r, strategy, myActions, today)}${isReviewOverdue(r, today) ? ` Review overdue since ${r.reviewDate}.` : ''}`,
      owner: r.owner,
    });
  }
  for (const m of measures.filter((x) => x.assessment.status === 'off-track')) issues.push(issueOf(m));
  for (const a of openActions.filter((x) => x.rag !== 'red' && isOverdue(x, today))) {
    issues.push({ kind: 'action', severity: 'amber', title: `Action overdue: ${a.title}`, detail: `Due ${a.dueDate}, rated ${a.rag}. ${a.progressNote || 'No progress note.'}`, owner: `${a.lead} (${a.ownerGroup})` });
  }
  for (const r of openRisks.filter((x) => isReviewOverdue(x, today) && bandOf(x) !== 'critical' && bandOf(x) !== 'serious')) {
    issues.push({ kind: 'risk', severity: 'amber', title: `Risk review overdue: ${r.title}`, detail: `Review was due ${r.reviewDate}; scored ${riskScore(r.likelihood, r.impact)}.`, owner: r.owner });
  }
  const incompleteMeasures = measures.filter((m) => m.assessment.status === 'incomplete').map((m) => ({ title: m.measure.title, reasons: m.assessment.reasons }));
  const planChanges = (input.versions ?? []).filter((v) => v.date >= quarter.start && v.date <= quarter.end).sort((a, b) => a.version - b.version);

  const s = summary;
  const judged = measures.length - s.measures.incomplete;
  const recovery = MEASURE_STATUSES.filter((st) => NEEDS_RECOVERY[st]).reduce((n, st) => n + s.measures[st], 0);
  const conclusions = [
    `${plural(s.measures.met + s.measures['on-track'], 'measure')} of ${judged} with a baseline, target and recent value ${s.measures.met + s.measures['on-track'] === 1 ? 'is' : 'are'} on track or met; ${plural(s.measures['off-track'], 'measure')} significantly off track, ${s.measures.worsening} significantly worse than baseline and ${s.measures.missed} past ${s.measures.missed === 1 ? 'its' : 'their'} target date without meeting it.`,
    ...(s.measures['no-significant-change'] > 0
      ? [`${plural(s.measures['no-significant-change'], 'measure')} ${s.measures['no-significant-change'] === 1 ? 'is' : 'are'} behind the trajectory on the value alone, but the change is not statistically significant: no recovery plan is asked for on this evidence.`]
      : []),
    `${plural(s.actions.open, 'open action')}: ${s.actions.green} green, ${s.actions.amber} amber, ${s.actions.red} red; ${s.actions.overdue} overdue; ${s.actions.updatedInQuarter} updated in ${quarter.label}.`,
    `${plural(s.risks.open, 'open risk')}: ${RISK_BANDS.map((b) => `${s.risks[b.id]} ${b.label.toLowerCase()}`).join(', ')}; ${s.risks.reviewOverdue} past their review date.`,
    ...(incompleteMeasures.length > 0 ? [`${plural(incompleteMeasures.length, 'measure')} cannot yet be judged (no baseline, target or recent value).`] : []),
  ];
  const recommendations = [
    `Note progress against the ${strategy.title} in ${quarter.label}.`,
    ...(s.actions.red > 0 ? [`Challenge the leads of the ${plural(s.actions.red, 'red action')} and agree what the board will do to unblock them.`] : []),
    ...(recovery > 0 ? [`Ask the owners of the ${plural(recovery, 'measure')} significantly off track, significantly worse than baseline or past their target date for a recovery plan by the next meeting.`] : []),
    ...(s.risks.critical + s.risks.serious > 0 ? [`Review the ${plural(s.risks.critical + s.risks.serious, 'critical or serious risk')} and confirm the mitigations are sufficient.`] : []),
    ...(s.actions.overdue + s.risks.reviewOverdue > 0
      ? [
          `Ask for ${[s.actions.overdue > 0 ? `revised dates for ${plural(s.actions.overdue, 'overdue action')}` : null, s.risks.reviewOverdue > 0 ? `reviews of ${plural(s.risks.reviewOverdue, 'risk')} past their review date` : null]
            .filter((x) => x !== null)
            .join(' and ')}.`,
        ]
      : []),
    ...(incompleteMeasures.length > 0 ? [`Agree baselines and targets for the ${plural(incompleteMeasures.length, 'incomplete measure')}.`] : []),
    ...(planChanges.length > 0 ? [`Confirm the ${plural(planChanges.length, 'change')} to the strategy made in ${quarter.label} (section 4).`] : []),
  ];

  return {
    title: `${strategy.title}: progress report, ${quarter.label}`,
    board: strategy.board,
    quarter,
    preparedOn: today,
    dataNote: input.dataNote,
    summary,
    purpose: `To update the ${strategy.board} on delivery of the ${strategy.title} (${strategy.period.start.slice(0, 4)}-${strategy.period.end.slice(0, 4)}) in ${quarter.label}, reporting by exception, and to ask the board to review, challenge and unblock where progress is off track.`,
    background: strategy.description,
    mainIssues: issues,
    incompleteMeasures,
    governance: `Actions are rated by their leads (${RAG_MEANING.green.toLowerCase()}; ${RAG_MEANING.amber.toLowerCase()}; ${RAG_MEANING.red.toLowerCase()}). Risks are scored likelihood × impact on a 5 × 5 matrix (critical 20-25, serious 15-16, high 8-12, moderate 4-6, low 1-3). Measures are judged against a straight-line trajectory from baseline to target. Figures are published with small-number suppression.`,
    planChanges,
    conclusions,
    recommendations,
  };
};

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report as Markdown (for board papers and the CLI). */
export const renderBoardReportMarkdown = (r: BoardReport): string => {
  const lines = [
    `# ${r.title}`,
    '',
    `**Board:** ${r.board}  `,
    `**Period:** ${r.quarter.label} (${r.quarter.start} to ${r.quarter.end})  `,
    `**Prepared:** ${r.preparedOn}  `,
    `**Data:** ${r.dataNote}`,
    '',
    '## 1. Purpose',
    '',
    r.purpose,
    '',
    '## 2. Background',
    '',
    r.background,
    '',
    '## 3. Main issues',
    '',
    '| Measures | Number |',
    '|---|---:|',
    ...MEASURE_STATUSES.map((s) => `| ${STATUS_LABEL[s]} | ${r.summary.measures[s]} |`),
    '',
    r.mainIssues.length === 0 ? 'Nothing to report by exception this quarter.' : 'By exception, most serious first:',
    '',
    ...(r.mainIssues.length > 0 ? ['| | Issue | Detail | Owner |', '|---|---|---|---|', ...r.mainIssues.map((i) => `| ${i.severity === 'red' ? 'RED' : 'AMBER'} | ${escapeCell(i.title)} | ${escapeCell(i.detail)} | ${escapeCell(i.owner)} |`), ''] : []),
    ...(r.incompleteMeasures.length > 0 ? ['Measures that cannot yet be judged:', '', ...r.incompleteMeasures.map((m) => `- ${m.title}: ${m.reasons.join('; ')}`), ''] : []),
    '## 4. Governance',
    '',
    r.governance,
    '',
    ...(r.planChanges.length > 0
      ? [`Changes to the strategy in ${r.quarter.label}:`, '', ...r.planChanges.flatMap((v) => [`- **Version ${v.version}** (${v.date})${v.reason ? `: ${v.reason}` : ''}`, ...v.changes.map((c) => `  - ${c}`)]), '']
      : []),
    '## 5. Conclusions',
    '',
    ...r.conclusions.map((c) => `- ${c}`),
    '',
    '## 6. Recommendations',
    '',
    'The board is asked to:',
    '',
    ...r.recommendations.map((c, i) => `${i + 1}. ${c}`),
    '',
  ];
  return `${lines.join('\n')}`;
};
