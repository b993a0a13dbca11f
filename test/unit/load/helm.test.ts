/** Helm markers (lib/load/helm.ts): whether a text is `helm template` output, as the expression it stands for says. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasSourceComments } from '../../../lib/load/helm';
import { seededRandom } from '../../bench/corpus';

describe('hasSourceComments', () => {
  it('answers as /^# Source: \\S/m on hand-picked and 20,000 seeded texts', () => {
    const pieces = ['# Source: ', '# Source:', 'chart/templates/sts.yaml', ' ', '\t', '\n', '\r', '\u2028', '\u2029', '\u00a0', 'a', '#', '---\n', '\ufeff'];
    const random = seededRandom(11);
    const texts = ['# Source: x', 'a\n# Source: x', 'a # Source: x', '# Source: ', '# Source:  x', '# Source: \u00a0', 'a\r# Source: b', '# Source:'];
    for (let i = 0; i < 20_000; i++) texts.push(Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
    let yes = 0;
    for (const text of texts) {
      const expected = /^# Source: \S/m.test(text);
      assert.equal(hasSourceComments(text), expected, JSON.stringify(text));
      if (expected) yes++;
    }
    assert.ok(yes > 500 && yes < texts.length - 500, `${yes} of ${texts.length} texts were helm output: the comparison tested little`);
  });
});
