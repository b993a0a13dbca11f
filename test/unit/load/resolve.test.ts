/**
 * Plain-scalar resolution against go-yaml v2's resolve.go (the reader sigs.k8s.io/yaml vendors as goyaml.v2):
 * the resolve table (y/n/on/off, null spellings, .inf/.nan), then ints by strconv.ParseInt/ParseUint with base 0
 * after removing `_`, floats by yamlStyleFloat, `0b`, big integers, timestamps kept as strings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveScalar } from '../../../lib/load/resolve';
import { float32Key, plainKeyText } from '../../../lib/load/decode';

type Expected = [kind: string, value: unknown];

const PLAIN: ReadonlyArray<[string, Expected]> = [
  // The resolve table.
  ['y', ['bool', true]], ['Y', ['bool', true]], ['yes', ['bool', true]], ['YES', ['bool', true]], ['on', ['bool', true]], ['True', ['bool', true]],
  ['n', ['bool', false]], ['N', ['bool', false]], ['no', ['bool', false]], ['Off', ['bool', false]], ['FALSE', ['bool', false]],
  ['yEs', ['str', 'yEs']], ['oN', ['str', 'oN']], ['nO', ['str', 'nO']],
  ['', ['null', null]], ['~', ['null', null]], ['null', ['null', null]], ['Null', ['null', null]], ['NULL', ['null', null]], ['nULL', ['str', 'nULL']],
  ['.inf', ['float', Infinity]], ['+.Inf', ['float', Infinity]], ['-.INF', ['float', -Infinity]], ['.NaN', ['float', NaN]], ['.inF', ['str', '.inF']],
  ['<<', ['str', '<<']],
  // The `.` hint: strconv.ParseFloat or a string (the yaml package reads `.` as NaN).
  ['.', ['str', '.']], ['.5', ['float', 0.5]], ['.5e3', ['float', 500]], ['.e3', ['str', '.e3']], ['._5', ['str', '._5']],
  // Sign and digit hints.
  ['-.', ['str', '-.']], ['+.', ['str', '+.']], ['-', ['str', '-']], ['+', ['str', '+']],
  ['0', ['int', 0]], ['-0', ['int', 0]], ['+12', ['int', 12]], ['1_000', ['int', 1000]], ['0777', ['int', 511]], ['0o17', ['int', 15]],
  ['0x1F', ['int', 31]], ['0X1f', ['int', 31]], ['0b101', ['int', 5]], ['-0b101', ['int', -5]], ['08', ['float', 8]], ['0x', ['str', '0x']],
  ['9223372036854775807', ['int', 9223372036854775807]], ['9223372036854775808', ['int', 9223372036854775808]],
  ['18446744073709551616', ['float', 18446744073709551616]], ['0xFFFFFFFFFFFFFFFFFFFFFFFF', ['int', 79228162514264337593543950335]],
  ['1e3', ['float', 1000]], ['1.', ['float', 1]], ['1.5e-3', ['float', 0.0015]], ['1e309', ['str', '1e309']], ['-1e309', ['str', '-1e309']],
  ['1e-400', ['float', 0]], ['1e', ['str', '1e']], ['1.2.3', ['str', '1.2.3']], ['0x1p-2', ['str', '0x1p-2']],
  ['12:30', ['str', '12:30']], ['1:20:00', ['str', '1:20:00']], ['10Gi', ['str', '10Gi']], ['500m', ['str', '500m']], ['1_', ['int', 1]],
  ['2001-12-14', ['timestamp', '2001-12-14']], ['2001-12-14t21:59:43.10Z', ['timestamp', '2001-12-14t21:59:43.10Z']],
  ['2001-12-14 21:59:43.10', ['timestamp', '2001-12-14 21:59:43.10']], ['2001-12', ['str', '2001-12']],
  // No hint: a string whatever follows.
  ['_1', ['str', '_1']], ['inf', ['str', 'inf']], ['nan', ['str', 'nan']], ['Infinity', ['str', 'Infinity']], ['@x', ['str', '@x']],
];

describe('resolveScalar: plain scalars as go-yaml v2 reads them', () => {
  for (const [text, [kind, value]] of PLAIN) {
    it(`${JSON.stringify(text)} → ${kind} ${String(value)}`, () => {
      const resolution = resolveScalar(text, true, '');
      assert.ok('resolved' in resolution);
      assert.equal(resolution.resolved.kind, kind);
      assert.ok(Object.is(resolution.resolved.value, value) || resolution.resolved.value === value, `${String(resolution.resolved.value)}`);
    });
  }
});

describe('resolveScalar: quoted scalars and explicit tags', () => {
  it('a quoted or block scalar is a string', () => {
    assert.deepEqual(resolveScalar('yes', false, ''), { resolved: { kind: 'str', value: 'yes' } });
  });
  it('!!str keeps the text, !!int and !!bool resolve it, !!float takes an int', () => {
    assert.deepEqual(resolveScalar('12', true, 'tag:yaml.org,2002:str'), { resolved: { kind: 'str', value: '12' } });
    assert.deepEqual(resolveScalar('12', false, 'tag:yaml.org,2002:int'), { resolved: { kind: 'int', value: 12 } });
    assert.deepEqual(resolveScalar('yes', false, 'tag:yaml.org,2002:bool'), { resolved: { kind: 'bool', value: true } });
    assert.deepEqual(resolveScalar('1', true, 'tag:yaml.org,2002:float'), { resolved: { kind: 'float', value: 1 } });
  });
  it('a tag that does not fit is go-yaml\'s "cannot decode" error', () => {
    assert.deepEqual(resolveScalar('abc', true, 'tag:yaml.org,2002:int'), { error: 'cannot decode !!str `abc` as a !!int' });
    assert.deepEqual(resolveScalar('1.5', true, 'tag:yaml.org,2002:int'), { error: 'cannot decode !!float `1.5` as a !!int' });
    assert.deepEqual(resolveScalar('abc', true, 'tag:yaml.org,2002:timestamp'), { error: 'cannot decode !!str `abc` as a !!timestamp' });
  });
  it('a tag go-yaml does not resolve leaves the text', () => {
    assert.deepEqual(resolveScalar('12', true, '!custom'), { resolved: { kind: 'str', value: '12' } });
  });
});

describe('keys as sigs.k8s.io/yaml writes them', () => {
  it('float keys with strconv.FormatFloat(f, \'g\', -1, 32)', () => {
    assert.deepEqual([1.5, 1e6, 123456, 0.0001, 0.00001, 0.1, -2.5, Infinity, NaN].map(float32Key), ['1.5', '1e+06', '123456', '0.0001', '1e-05', '0.1', '-2.5', '.inf', '.nan']);
  });
  it('plain keys resolve like values first', () => {
    assert.deepEqual(['on', 'No', '0x10', '1_0', 'name', '1e3', '.5'].map(plainKeyText), ['true', 'false', '16', '10', 'name', '1000', '0.5']);
  });
});
