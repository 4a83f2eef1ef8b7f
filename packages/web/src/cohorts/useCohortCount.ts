/**
 * The cohort's count, kept up to date as the criteria change: asked for once typing pauses
 * (debounced), and an answer that has been overtaken by newer criteria is dropped (aborted).
 */
import { useEffect, useState } from 'react';
import { api, type CohortCountResponse, type CohortDefinition } from '../api.js';

export interface CountState {
  readonly data?: CohortCountResponse;
  readonly error?: Error;
  readonly loading: boolean;
}

export const useCohortCount = (definition: CohortDefinition | null, by: readonly string[], delay = 400): CountState => {
  const [state, setState] = useState<CountState>({ loading: false });
  // The request as text: a new object with the same criteria (every render builds one) is not a change.
  const text = definition ? JSON.stringify({ definition, by }) : '';
  useEffect(() => {
    if (!definition) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.cohortCount(definition, by, controller.signal).then(
        (data) => setState({ data, loading: false }),
        (error: Error) => {
          if (!controller.signal.aborted) setState({ error, loading: false });
        },
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return state;
};
