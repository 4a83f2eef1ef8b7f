/**
 * Strategies as the API shows them: the stored strategies (latest version of each), each one's
 * published scorecard, its versions (what changed, why, and as plan files), the values owners record
 * for manual measures, and the changes programme leads make in the app (each a new version).
 */
import {
  INDICATOR_CATALOGUE,
  MEASURE_STATUSES,
  STATUS_LABEL,
  UserError,
  applyStrategyChange,
  areaPlace,
  disclosureStatement,
  editMeasure,
  fromPublished,
  isOverdue,
  newStrategy,
  riskBand,
  riskScore,
  strategyChanges,
  strategyMeasures,
  type MeasureEdit,
  type MeasureEditResult,
  type NewStrategyRequest,
  type Role,
  type Strategy,
  type StrategyChangeRequest,
} from '@openphm/core';
import { ScorecardResponse, type MeasureEditResponseT, type MeasureLinksResponseT, type ScorecardResponseT, type StrategiesResponseT, type StrategyVersionsResponseT } from '@openphm/api-contract';
import { cached, freshStamp, type ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { cachedJson, type PreparedJson } from '../json.js';
import { referralsStamp } from '../operational/care.js';
import {
  createStrategy,
  latestMeasureCommentary,
  latestStrategies,
  listActions,
  listRisks,
  measureValuesStamp,
  recordMeasureValue,
  saveStrategyEdit,
  strategiesStamp,
  strategyVersions,
  type StoredStrategy,
  type StrategyVersionRow,
  writeMeasureCommentary,
} from '../operational/delivery.js';
import type { Queryable } from '../operational/types.js';
import { geoNames, type GeoNames } from './features.js';
import type { PublishedPoint } from './referral-reach.js';
import { strategyScorecard, type ScorecardMeasure } from './scorecard.js';

/** The stored strategies, parsed once per change to them (kept with the data version). */
export const storedStrategies = async (ctx: ServerContext): Promise<StoredStrategy[]> => {
  const stamp = await freshStamp(ctx, 'strategies', () => strategiesStamp(ctx.ops));
  return cached(ctx, 'strategies', { stamp }, () => latestStrategies(ctx.ops, INDICATOR_CATALOGUE));
};

/** The latest version of a strategy (not-found when there is none). */
export const strategyById = async (ctx: ServerContext, id: string): Promise<StoredStrategy> => {
  const found = (await storedStrategies(ctx)).find((s) => s.strategy.id === id);
  if (!found) throw new UserError(`no strategy '${id}'`, 'not-found');
  return found;
};

export const strategyOut = (s: StoredStrategy, geo: GeoNames): StrategiesResponseT['strategies'][number] => {
  const place = areaPlace(s.strategy.area);
  return {
    id: s.strategy.id,
    version: s.strategy.version,
    title: s.strategy.title,
    board: s.strategy.board,
    area: s.strategy.area,
    areaName: place === null ? geo.icsName : (geo.places.get(place) ?? place),
    period: s.strategy.period,
    description: s.strategy.description,
    priorities: s.strategy.priorities.map((p) => ({ id: p.id, title: p.title, ambitions: p.ambitions.map((a) => ({ id: a.id, title: a.title, description: a.description ?? null, measures: a.measures.map((m) => ({ id: m.id, title: m.title })) })) })),
    source: s.source,
    loadedAt: s.loadedAt,
  };
};

/** The strategies the boards hold: the partnership's own first, then places' in title order; and the plan files that could not be loaded. */
export const strategyList = async (ctx: ServerContext): Promise<StrategiesResponseT> => {
  const geo = await geoNames(ctx);
  const strategies = [...(await storedStrategies(ctx))].sort((a, b) => Number(b.strategy.area === 'ics') - Number(a.strategy.area === 'ics') || a.strategy.title.localeCompare(b.strategy.title));
  return { strategies: strategies.map((s) => strategyOut(s, geo)), problems: [...ctx.planProblems] };
};

/**
 * A measure as the scorecard publishes it. Its points are published figures already (indicators,
 * inequality, referral rates through the publication module; reported values as reported); what
 * core's assessment computes from them (baseline, target, trajectory, expected value, change) is
 * a statistic of published figures, marked as such with fromPublished.
 */
const measureOut = (m: ScorecardMeasure) => {
  const a = m.assessment;
  const point = (p: PublishedPoint) => ({ date: p.date, label: p.label, value: p.value, lower95: p.lower95 ?? null, upper95: p.upper95 ?? null, suppressed: p.suppressed ?? false });
  const latest = a.latest === null ? null : (m.points.find((p) => p.date === a.latest!.date && p.label === a.latest!.label) ?? null);
  return {
    id: m.id,
    title: m.title,
    priorityId: m.priorityId,
    ambitionId: m.ambitionId,
    area: m.area,
    areaName: m.areaName,
    source: m.source,
    sourceLabel: m.sourceLabel,
    unit: m.unit,
    polarity: m.polarity,
    owner: m.owner,
    note: m.note,
    agreed: { baseline: m.agreed.baseline ? { ...m.agreed.baseline } : null, target: m.agreed.target ? { ...m.agreed.target } : null, polarity: m.agreed.polarity },
    points: m.points.map(point),
    trajectory: m.trajectory.map((p) => ({ date: p.date, value: fromPublished(p.value)! })),
    status: a.status,
    statusLabel: STATUS_LABEL[a.status],
    rag: a.rag,
    baseline: a.baseline ? { ...a.baseline, value: fromPublished(a.baseline.value)! } : null,
    target: a.target ? { ...a.target, value: fromPublished(a.target.value)! } : null,
    latest: latest ? point(latest) : null,
    expected: fromPublished(a.expected),
    changeSinceBaseline: fromPublished(a.changeSinceBaseline),
    significantChange: a.significantChange,
    reasons: [...a.reasons],
  };
};

/** A strategy's scorecard: the response, and the measures it was made from (for the board report). */
export const scorecardOf = async (ctx: ServerContext, stored: StoredStrategy): Promise<{ out: ScorecardResponseT; measures: ScorecardMeasure[] }> => {
  const measures = await strategyScorecard(ctx, stored.strategy);
  const geo = await geoNames(ctx);
  return {
    measures,
    out: {
      strategy: strategyOut(stored, geo),
      summary: Object.fromEntries(MEASURE_STATUSES.map((s) => [s, measures.filter((m) => m.assessment.status === s).length])) as ScorecardResponseT['summary'],
      measures: measures.map(measureOut),
      disclosure: disclosureStatement(measures.reduce((n, m) => n + m.points.filter((p) => p.suppressed).length, 0)),
    },
  };
};

/**
 * A strategy's scorecard, validated, serialised and compressed once per version, as the dashboard
 * is: kept per data version, strategy version and reported values (indicator values only change
 * with the data; referral rates with the referrals, for strategies that measure them).
 */
export const preparedScorecard = async (ctx: ServerContext, strategyId: string): Promise<PreparedJson> => {
  const stored = await strategyById(ctx, strategyId);
  const values = await freshStamp(ctx, `measure-values:${stored.strategy.id}`, () => measureValuesStamp(ctx.ops, stored.strategy.id));
  const computesReferrals = strategyMeasures(stored.strategy).some((m) => m.measure.source.kind === 'social-prescribing');
  const referrals = computesReferrals ? await freshStamp(ctx, 'referrals', () => referralsStamp(ctx.ops)) : null;
  const params = { id: stored.strategy.id, version: stored.strategy.version, values, referrals };
  return cachedJson(ctx, 'scorecard', params, ScorecardResponse, async () => (await scorecardOf(ctx, stored)).out);
};

/** A measure of a strategy (not-found when the strategy has none of that id). */
const measureOf = (strategy: Strategy, measureId: string) => {
  const measure = strategyMeasures(strategy).find((m) => m.measure.id === measureId)?.measure;
  if (!measure) throw new UserError(`no measure '${measureId}' in ${strategy.id}`, 'not-found');
  return measure;
};

/** Records (or corrects) the value of a manual measure for a period; only manual measures take recorded values. */
export const recordValue = async (
  ctx: ServerContext,
  strategyId: string,
  measureId: string,
  value: { readonly periodLabel: string; readonly periodEnd: string; readonly value: number; readonly note: string },
  by: string,
) => {
  const { strategy } = await strategyById(ctx, strategyId);
  const measure = measureOf(strategy, measureId);
  if (measure.source.kind !== 'manual') throw new UserError(`measure '${measure.id}' comes from the data (${measure.source.kind}); only manual measures take recorded values`, 'usage');
  const v = await recordMeasureValue(ctx.ops, { strategyId: strategy.id, measureId: measure.id, ...value, recordedBy: by });
  return {
    value: { measureId: v.measureId, periodLabel: v.periodLabel, periodEnd: v.periodEnd, value: v.value, note: v.note, recordedBy: v.recordedBy, recordedAt: v.recordedAt },
    audit: `${v.periodLabel}: ${v.value}`,
  };
};

/** Records a measure owner's commentary on a measure of the strategy (any measure; every one kept, the latest shown). */
export const recordCommentary = async (ctx: ServerContext, strategyId: string, measureId: string, body: { readonly commentary: string }, by: string) => {
  const { strategy } = await strategyById(ctx, strategyId);
  const measure = measureOf(strategy, measureId);
  const c = await writeMeasureCommentary(ctx.ops, { strategyId: strategy.id, measureId: measure.id, commentary: body.commentary, writtenBy: by });
  return { value: { measureId: c.measureId, commentary: { text: c.commentary, writtenBy: c.writtenBy, writtenAt: c.writtenAt } }, audit: `commentary on ${measure.id}` };
};

/** For each measure of a strategy: the actions and risks that name it (each risk with the actions that address it), and its owner's latest commentary. */
export const measureLinks = async (ctx: ServerContext, strategyId: string): Promise<MeasureLinksResponseT> => {
  const { strategy } = await strategyById(ctx, strategyId);
  const today = ctx.today();
  const [actions, risks, commentary] = await Promise.all([listActions(ctx.ops, strategy.id), listRisks(ctx.ops, strategy.id), latestMeasureCommentary(ctx.ops, strategy.id)]);
  return {
    measures: strategyMeasures(strategy).map(({ measure }) => {
      const c = commentary.get(measure.id);
      return {
        measureId: measure.id,
        actions: actions.filter((a) => a.measureIds.includes(measure.id)).map((a) => ({ id: a.id, title: a.title, lead: a.lead, rag: a.rag, status: a.status, overdue: isOverdue(a, today) })),
        risks: risks
          .filter((r) => r.measureIds.includes(measure.id))
          .map((r) => ({
            id: r.id,
            title: r.title,
            owner: r.owner,
            score: riskScore(r.likelihood, r.impact),
            band: riskBand(riskScore(r.likelihood, r.impact)),
            status: r.status,
            addressedBy: r.actionIds.flatMap((id) => actions.filter((a) => a.id === id).map((a) => a.title)),
          })),
        commentary: c ? { text: c.commentary, writtenBy: c.writtenBy, writtenAt: c.writtenAt } : null,
      };
    }),
  };
};

/**
 * Stores the next version of a strategy made by `make` (a 409 naming who made the current version
 * when the request names an older one; a 400 naming each bad field), and says what changed.
 */
export const saveNewVersion = async (
  ctx: ServerContext,
  stored: StoredStrategy,
  edit: { readonly strategyVersion: number; readonly reason: string },
  by: string,
  make: () => MeasureEditResult,
): Promise<{ value: MeasureEditResponseT; audit: string }> => {
  const { strategy } = stored;
  const { ops } = ctx;
  if (edit.strategyVersion !== strategy.version) {
    const current = (await strategyVersions(ops, strategy.id)).at(-1);
    const who = current?.editedBy ?? current?.source ?? 'someone else';
    throw new UserError(`the strategy changed: version ${strategy.version} was made by ${who} at ${current?.loadedAt ?? stored.loadedAt} (you edited version ${edit.strategyVersion}); reload and edit again`, 'conflict');
  }
  const result = make();
  if (!result.ok) throw invalidRequest('body', result.problems);
  await saveStrategyEdit(ops, result.strategy, by, edit.reason);
  return {
    value: { strategyId: strategy.id, version: result.strategy.version, changes: [...result.changes] },
    audit: `version ${result.strategy.version}: ${result.changes.join(' ')}`.slice(0, 1000),
  };
};

/** Changes a measure's baseline, target, polarity, owner or note: a new version of the strategy. */
export const editStrategyMeasure = async (ctx: ServerContext, strategyId: string, measureId: string, edit: MeasureEdit, by: string): Promise<{ value: MeasureEditResponseT; audit: string }> => {
  const stored = await strategyById(ctx, strategyId);
  measureOf(stored.strategy, measureId);
  return saveNewVersion(ctx, stored, edit, by, () => editMeasure(stored.strategy, measureId, edit, INDICATOR_CATALOGUE));
};

/** Changes the shape of a strategy (measures, ambitions and priorities added, renamed or removed; its title, board, description and period): a new version. */
export const changeStrategy = async (ctx: ServerContext, strategyId: string, change: StrategyChangeRequest, by: string): Promise<{ value: MeasureEditResponseT; audit: string }> => {
  const stored = await strategyById(ctx, strategyId);
  const [actions, risks] = await Promise.all([listActions(ctx.ops, stored.strategy.id), listRisks(ctx.ops, stored.strategy.id)]);
  const context = {
    indicators: INDICATOR_CATALOGUE,
    actionsUnder: (ambitionId: string) => actions.filter((a) => a.ambitionId === ambitionId).map((a) => a.title),
    namingPriority: (priorityId: string) => [...actions.filter((a) => a.priorityId === priorityId).map((a) => a.title), ...risks.filter((r) => r.priorityId === priorityId).map((r) => `Risk: ${r.title}`)],
  };
  return saveNewVersion(ctx, stored, change, by, () => applyStrategyChange(stored.strategy, change, context));
};

/**
 * A new strategy for any board (version 1, made in the app): a 400 naming each bad field of the
 * definition (`strategy.period.end`), a 409 when its id is already a strategy's.
 */
export const createBoardStrategy = async (ctx: ServerContext, request: NewStrategyRequest, by: string): Promise<{ value: MeasureEditResponseT; audit: string }> => {
  const result = newStrategy(request, INDICATOR_CATALOGUE);
  if (!result.ok) throw invalidRequest('body', result.problems);
  const { strategy } = await createStrategy(ctx.ops, result.strategy, by, request.reason);
  return { value: { strategyId: strategy.id, version: strategy.version, changes: [...result.changes] }, audit: `${strategy.id} version 1 for ${strategy.board} (${strategy.area})`.slice(0, 1000) };
};

/** What version i of a strategy changed from the one before, in words. */
export const changesOf = (rows: readonly StrategyVersionRow[], i: number): string[] => (i === 0 ? ['First version.'] : strategyChanges(rows[i - 1]!.definition as Strategy, rows[i]!.definition as Strategy));

/** Every stored version of a strategy (not-found when there is none), oldest first. */
const versionRowsOf = async (ctx: ServerContext, strategyId: string): Promise<StrategyVersionRow[]> => {
  const rows = await strategyVersions(ctx.ops, strategyId);
  if (rows.length === 0) throw new UserError(`no strategy '${strategyId}'`, 'not-found');
  return rows;
};

/** Every version of a strategy, oldest first, with what changed; who made it only for signed-in staff and board members. */
export const strategyVersionList = async (ctx: ServerContext, strategyId: string, role: Role): Promise<StrategyVersionsResponseT> => {
  const rows = await versionRowsOf(ctx, strategyId);
  const staff = role !== 'public' && role !== 'admin';
  return {
    strategyId,
    versions: rows.map((r, i) => ({
      version: r.version,
      source: r.source,
      loadedAt: r.loadedAt,
      editedBy: staff ? r.editedBy : null,
      reason: r.reason,
      changes: changesOf(rows, i),
    })),
  };
};

/**
 * One version of a strategy as its plan file (JSON, plans/<id>.json): its file name, text and
 * version; the latest when no version is given. The one writer of plan files: the app's "plan file
 * (JSON)" link (GET /api/strategies/:id/versions/:version) and `phm plan export` both use it.
 */
export const planFileOf = async (ops: Queryable, strategyId: string, version?: number): Promise<{ fileName: string; text: string; version: number }> => {
  const rows = await strategyVersions(ops, strategyId);
  if (rows.length === 0) throw new UserError(`no strategy '${strategyId}' in the operational store`, 'not-found');
  const row = version === undefined ? rows[rows.length - 1]! : rows.find((r) => r.version === version);
  if (row === undefined) throw new UserError(`no version ${version} of strategy '${strategyId}' (it has versions 1 to ${rows[rows.length - 1]!.version})`, 'not-found');
  return { fileName: `${strategyId}.json`, text: `${JSON.stringify(row.definition, null, 2)}\n`, version: row.version };
};

/** One version of a strategy as its plan file (JSON): its file name and text. */
export const strategyVersionFile = (ctx: ServerContext, strategyId: string, version: number): Promise<{ fileName: string; text: string; version: number }> => planFileOf(ctx.ops, strategyId, version);
