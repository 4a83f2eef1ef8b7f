import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['aaaaaaaaaa', /repeats too few/],
    ['ababababab12', /repeated pattern/],
    ['abcdabcdabcd', /repeated pattern/],
    ['abcdefghij!!', /sequence/],
    ['1234567890', /sequence|most common/],
    ['zyxwvutsrqpo', /sequence/],
    ['qwertyuiop', /most common/],
    ['password123!', /most common/],
    ['iloveyou2024', /most common/],
    ['short', /at least 10/],
    ['x'.repeat(1025), /at most 1024/],
    ['analyst-is-my-name', /email name/],
  ])('refuses %j', (password, why) => {
    expect(passwordProblem(password, 'analyst@test')).toMatch(why);
  });

  it.each(['correct horse battery', 'openphm-demo', 'a long password', 'team password 1', 'Tr0ub4dor&3xx'])('accepts %j', (password) => {
    expect(passwordProblem(password, 'someone@test')).toBeNull();
  });
});
