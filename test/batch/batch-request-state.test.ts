import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal } from '../../src/batch/batch-request-state.js';
import type { BatchRequestStatus } from '../../src/index.js';

const all: BatchRequestStatus[] = ['initialized', 'commit', 'sent_to_remote', 'ongoing', 'done', 'fail'];
const allowed = new Set([
  'initialized>commit',
  'initialized>done',
  'initialized>fail',
  'commit>commit',
  'commit>sent_to_remote',
  'commit>done',
  'commit>fail',
  'sent_to_remote>ongoing',
  'sent_to_remote>done',
  'sent_to_remote>fail',
  'ongoing>done',
  'ongoing>fail',
]);

describe('batch request state machine', () => {
  for (const from of all) {
    for (const to of all) {
      const expected = allowed.has(`${from}>${to}`);
      it(`${expected ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }
  it('treats done and fail as terminal', () => {
    expect(all.filter(isTerminal)).toEqual(['done', 'fail']);
  });
});
