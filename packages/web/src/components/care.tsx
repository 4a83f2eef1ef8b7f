/** Shared pieces of the social prescribing pages: the ONS4 wellbeing inputs and status badges. */
import { useId, useState } from 'react';
import type { Ons4 } from '../api.js';

export const ONS4_QUESTIONS: readonly { id: keyof Ons4; label: string; question: string }[] = [
  { id: 'lifeSatisfaction', label: 'Life satisfaction', question: 'Overall, how satisfied are you with your life nowadays?' },
  { id: 'worthwhile', label: 'Worthwhile', question: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?' },
  { id: 'happiness', label: 'Happiness', question: 'Overall, how happy did you feel yesterday?' },
  { id: 'anxiety', label: 'Anxiety', question: 'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", overall, how anxious did you feel yesterday?' },
];

/** The four ONS personal wellbeing questions, 0-10 each; `value` null means not asked. */
export const Ons4Inputs = ({ value, onChange, legend }: { value: Ons4 | null; onChange: (v: Ons4 | null) => void; legend: string }) => {
  const id = useId().replace(/:/g, '');
  const [asked, setAsked] = useState(value !== null);
  const current: Ons4 = value ?? { lifeSatisfaction: 5, worthwhile: 5, happiness: 5, anxiety: 5 };
  return (
    <fieldset className="ons4">
      <legend>{legend}</legend>
      <label>
        <input type="checkbox" checked={asked} onChange={(e) => (setAsked(e.target.checked), onChange(e.target.checked ? current : null))} /> Asked the four ONS wellbeing questions
      </label>
      {asked &&
        ONS4_QUESTIONS.map((q) => (
          <div key={q.id} className="ons4-item">
            <label htmlFor={`${id}-${q.id}`}>
              {q.label} <span className="note">{q.question}</span>
            </label>
            <select id={`${id}-${q.id}`} value={current[q.id]} onChange={(e) => onChange({ ...current, [q.id]: Number(e.target.value) })}>
              {Array.from({ length: 11 }, (_, i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </div>
        ))}
    </fieldset>
  );
};

export const REFERRAL_STATUS_STYLE: Record<string, { fill: string; text: string }> = {
  referred: { fill: '#e8e8e8', text: '#1a1a1a' },
  accepted: { fill: '#bed2ff', text: '#1a1a1a' },
  attending: { fill: '#92d050', text: '#1a1a1a' },
  completed: { fill: '#00703c', text: '#ffffff' },
  declined: { fill: '#ffc000', text: '#1a1a1a' },
  'did-not-attend': { fill: '#f47738', text: '#1a1a1a' },
  withdrawn: { fill: '#505a5f', text: '#ffffff' },
};

export const ReferralStatusBadge = ({ status, label }: { status: string; label: string }) => {
  const s = REFERRAL_STATUS_STYLE[status] ?? { fill: '#ffffff', text: '#1a1a1a' };
  return (
    <span className="badge" style={{ background: s.fill, color: s.text }} data-testid={`referral-status-${status}`}>
      {label}
    </span>
  );
};
