import { describe, expect, it } from 'vitest';
import { conditionLabel, eventLabel, featureLabel, segmentLabel } from './labels.js';

describe('the cohort builder in words', () => {
  it('names features, condition registers, and an unknown feature by its id', () => {
    expect(['age', 'core20', 'condition:heart_failure', 'somethingNew'].map(featureLabel)).toEqual([
      'Age (years)',
      "Core20: lives in England's most deprived 20%",
      'On the heart failure register',
      'somethingNew',
    ]);
  });

  it('writes initialisms in capitals and other conditions as words', () => {
    expect(['copd', 'ckd', 'heart_failure', 'diabetes'].map(conditionLabel)).toEqual(['COPD', 'CKD', 'Heart failure', 'Diabetes']);
  });

  it('counts events in words, and an unknown event by its id', () => {
    expect(['aeAttendance', 'emergencyAdmission', 'unknownEvent'].map(eventLabel)).toEqual(['A&E attendances', 'emergency admissions', 'unknownEvent']);
  });

  it('names segments from their ids', () => {
    expect(['high-need', 'frailty', 'end-of-life-care'].map(segmentLabel)).toEqual(['High need', 'Frailty', 'End of life care']);
  });
});
