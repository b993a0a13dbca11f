import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  explainMismatch,
  explainServiceMismatch,
  formatLabelSelector,
  LabelSelector,
  Labels,
  matchesLabelSelector,
  matchesServiceSelector,
  validateLabelSelector,
} from '../../../lib/k8s/selector';

const web: Labels = { app: 'web', tier: 'front' };

describe('matchesLabelSelector', () => {
  const cases: Array<[string, LabelSelector | undefined, Labels, boolean]> = [
    ['empty selector matches everything', {}, web, true],
    ['empty selector matches no labels', {}, {}, true],
    ['absent selector matches nothing', undefined, web, false],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, web, true],
    ['matchLabels different value', { matchLabels: { app: 'db' } }, web, false],
    ['matchLabels key missing', { matchLabels: { env: 'prod' } }, web, false],
    ['matchLabels empty value needs the key', { matchLabels: { env: '' } }, web, false],
    ['matchLabels empty value with the key', { matchLabels: { env: '' } }, { env: '' }, true],
    ['In with the value', { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] }, web, true],
    ['In without the value', { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, web, false],
    ['In with the key absent', { matchExpressions: [{ key: 'env', operator: 'In', values: ['a'] }] }, web, false],
    ['NotIn with another value', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, web, true],
    ['NotIn with the value', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, web, false],
    ['NotIn with the key absent', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['a'] }] }, web, true],
    ['Exists present', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, web, true],
    ['Exists absent', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, web, false],
    ['DoesNotExist absent', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, web, true],
    ['DoesNotExist present', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, web, false],
    [
      'matchLabels AND matchExpressions, both hold',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      web,
      true,
    ],
    [
      'matchLabels AND matchExpressions, one fails',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      web,
      false,
    ],
    ['an invalid operator selects nothing', { matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] }, web, false],
    ['NotIn without values selects nothing', { matchExpressions: [{ key: 'app', operator: 'NotIn' }] }, web, false],
    ['a key inherited from Object is not a label', { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {}, false],
  ];
  for (const [name, selector, labels, expected] of cases) {
    it(name, () => assert.equal(matchesLabelSelector(selector, labels), expected));
  }
});

describe('matchesServiceSelector', () => {
  const cases: Array<[string, Labels | undefined, Labels, boolean]> = [
    ['absent selector selects nothing', undefined, web, false],
    ['empty selector selects nothing', {}, web, false],
    ['subset of the labels', { app: 'web' }, web, true],
    ['all the labels', web, web, true],
    ['a different value', { app: 'db' }, web, false],
    ['a missing key', { app: 'web', env: 'prod' }, web, false],
  ];
  for (const [name, selector, labels, expected] of cases) {
    it(name, () => assert.equal(matchesServiceSelector(selector, labels), expected));
  }
});

describe('validateLabelSelector', () => {
  const cases: Array<[LabelSelector, string[]]> = [
    [{}, []],
    [{ matchLabels: { 'app.kubernetes.io/name': 'web' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }, []],
    [
      { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
      ["matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      { matchExpressions: [{ key: 'app', operator: 'NotIn' }] },
      ["matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      ["matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      [
        'matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator ' +
          '(one of In, NotIn, Exists, DoesNotExist)',
      ],
    ],
    [
      { matchLabels: { 'bad key!': 'x' } },
      [
        'matchLabels: Invalid value: "bad key!": a label key must be a name of at most 63 alphanumeric characters, ' +
          "'-', '_' or '.' (starting and ending alphanumeric), with an optional DNS subdomain prefix and '/'",
      ],
    ],
    [
      { matchLabels: { app: '-web' } },
      [
        'matchLabels: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric ' +
          "characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)",
      ],
    ],
  ];
  for (const [selector, expected] of cases) {
    it(`${JSON.stringify(selector)} → ${expected.length} problem(s)`, () => {
      assert.deepEqual(validateLabelSelector(selector), expected);
    });
  }
});

describe('explainMismatch', () => {
  const cases: Array<[LabelSelector | undefined, Labels, string]> = [
    [{ matchLabels: { app: 'db' } }, { app: 'web' }, 'matchLabels app=db but template labels have app=web'],
    [{ matchLabels: { app: 'db' } }, {}, 'matchLabels app=db but template labels have no app'],
    [{ matchLabels: { app: 'web' } }, { app: 'web' }, ''],
    [
      { matchLabels: { app: 'db', tier: 'back' }, matchExpressions: [{ key: 'env', operator: 'Exists' }] },
      { app: 'web', tier: 'back' },
      'matchLabels app=db but template labels have app=web; matchExpressions env Exists but template labels have no env',
    ],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] },
      { tier: 'web' },
      'matchExpressions tier In (db, cache) but template labels have tier=web',
    ],
    [
      { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      { tier: 'web' },
      'matchExpressions tier DoesNotExist but template labels have tier=web',
    ],
    [undefined, {}, 'there is no selector, so it selects nothing'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      {},
      "the selector is invalid and selects nothing: matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
  ];
  for (const [selector, labels, expected] of cases) {
    it(expected || 'matching labels explain nothing', () => {
      assert.equal(explainMismatch(selector, labels, 'template labels'), expected);
    });
  }

  it('explains a Service selector', () => {
    assert.equal(explainServiceMismatch({ app: 'db' }, { app: 'web' }), 'selector app=db but pod labels have app=web');
    assert.equal(explainServiceMismatch({}, { app: 'web' }), 'the Service has no selector, so it selects no pods');
    assert.equal(explainServiceMismatch({ app: 'web' }, { app: 'web' }), '');
  });

  it('formats a selector', () => {
    assert.equal(
      formatLabelSelector({
        matchLabels: { app: 'db' },
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['a', 'b'] },
          { key: 'x', operator: 'Exists' },
        ],
      }),
      'app=db, tier NotIn (a, b), x Exists',
    );
  });
});

const keys = fc.constantFrom('app', 'tier', 'env');
const values = fc.constantFrom('a', 'b', 'c');
const labelSets = fc.dictionary(keys, values);

describe('selector properties', () => {
  it('matchLabels is equivalent to matchExpressions In with single values', () => {
    fc.assert(
      fc.property(labelSets, labelSets, (wanted, labels) => {
        const asExpressions = Object.entries(wanted).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
        assert.equal(
          matchesLabelSelector({ matchLabels: wanted }, labels),
          matchesLabelSelector({ matchExpressions: asExpressions }, labels),
        );
      }),
    );
  });

  it('NotIn is the negation of In, and DoesNotExist of Exists', () => {
    fc.assert(
      fc.property(keys, fc.array(values, { minLength: 1 }), labelSets, (key, vals, labels) => {
        const match = (operator: string, v?: string[]) =>
          matchesLabelSelector({ matchExpressions: [{ key, operator, ...(v ? { values: v } : {}) }] }, labels);
        assert.equal(match('NotIn', vals), !match('In', vals));
        assert.equal(match('DoesNotExist'), !match('Exists'));
      }),
    );
  });

  it('a Service selector matches exactly when the same non-empty matchLabels does', () => {
    fc.assert(
      fc.property(labelSets, labelSets, (selector, labels) => {
        const expected = Object.keys(selector).length > 0 && matchesLabelSelector({ matchLabels: selector }, labels);
        assert.equal(matchesServiceSelector(selector, labels), expected);
      }),
    );
  });

  it('explains a mismatch exactly when there is one', () => {
    fc.assert(
      fc.property(labelSets, labelSets, (selector, labels) => {
        const explanation = explainMismatch({ matchLabels: selector }, labels);
        assert.equal(explanation === '', matchesLabelSelector({ matchLabels: selector }, labels));
      }),
    );
  });
});
