/**
 * Risk-stratification definitions now live in core (packages/core/src/phm/risk.ts: pure data and
 * meaning); re-exported here so existing imports of @openphm/store-duckdb keep working. risk.ts
 * compiles them to SQL.
 */
export {
  ADMISSION_RISK_BANDS,
  CORE20_QUINTILE,
  DEFAULT_PLUS_GROUP_IDS,
  ETHNIC_MINORITY_GROUPS,
  MULTIMORBIDITY_BANDS,
  MULTIMORBIDITY_SCORE_VERSION,
  MULTIMORBIDITY_WEIGHTS,
  PLUS_GROUPS,
  inPlusGroup,
  isCore20,
  multimorbidityBand,
  multimorbidityScore,
  type MultimorbidityBand,
  type PlusGroup,
} from '@openphm/core';
