import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeControlCharacters, shortenLongValues } from '../../../lib/core/text';

describe('escapeControlCharacters', () => {
  it('spells out escape sequences, bells, carriage returns and bidirectional overrides, and leaves text alone', () => {
    assert.equal(escapeControlCharacters('key "\u001b]0;x\u0007" a\rb\u202ed'), 'key "\\e]0;x\\x07" a\\rb\\u202ed');
    assert.equal(escapeControlCharacters('line\nnext\ttab'), 'line\nnext\ttab');
    assert.equal(escapeControlCharacters('Zürich 💥 plain'), 'Zürich 💥 plain');
  });
});

describe('shortenLongValues', () => {
  it('shortens a long quoted or unquoted value and says how long it was', () => {
    const long = 'x'.repeat(5000);
    assert.equal(shortenLongValues(`name "${long}" is too long`), `name "${'x'.repeat(40)}..." (5000 characters) is too long`);
    assert.equal(shortenLongValues(`pod ${long}-0 will not resolve`), `pod ${'x'.repeat(40)}... (5002 characters) will not resolve`);
  });
  it('keeps ordinary messages as they are, also long ones between quoted words', () => {
    const wording = `StatefulSet "${'a'.repeat(53)}": name is 53 characters: the label "<name>-<hash>" ${'would exceed '.repeat(20)}63 characters`;
    assert.equal(shortenLongValues(wording), wording);
    const message = 'spec.replicaz: unknown field "replicaz" (did you mean "replicas"?) at spec.template.spec.containers[0]';
    assert.equal(shortenLongValues(message), message);
  });
});
