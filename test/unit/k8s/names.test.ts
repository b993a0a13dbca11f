import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DNS1035_LABEL_ERROR,
  DNS1123_LABEL_ERROR,
  DNS1123_SUBDOMAIN_ERROR,
  dns1035LabelProblems,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  labelKeyProblems,
  labelValueProblems,
  STATEFULSET_NAME_MAX,
  statefulSetNameProblem,
} from '../../../lib/k8s/names';

test('subdomains: dotted lower-case labels up to 253 characters', () => {
  for (const good of ['web', 'data.v2', 'a', '0-a.b-1', 'a'.repeat(253)]) assert.deepEqual(dns1123SubdomainProblems(good), [], good);
  for (const bad of ['My_Name', 'web.', '.web', '-web', 'a..b', '']) assert.deepEqual(dns1123SubdomainProblems(bad), [DNS1123_SUBDOMAIN_ERROR], bad);
  assert.deepEqual(dns1123SubdomainProblems('a'.repeat(254)), ['must be no more than 253 characters']);
});

test('a subdomain is valid exactly when each of its dot-separated parts is an RFC 1123 label (of any length)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', '-', '.', 'A', '_'), maxLength: 10 });
  fc.assert(
    fc.property(text, (value) => {
      const partsAreLabels = value.split('.').every((part) => !dns1123LabelProblems(part).includes(DNS1123_LABEL_ERROR));
      assert.equal(!dns1123SubdomainProblems(value).includes(DNS1123_SUBDOMAIN_ERROR), partsAreLabels, JSON.stringify(value));
    }),
    { seed: 1123, numRuns: 5000 },
  );
});

test('RFC 1123 labels allow a leading digit; DNS-1035 labels (Service names) do not', () => {
  assert.deepEqual(dns1123LabelProblems('1web'), []);
  assert.deepEqual(dns1035LabelProblems('1web'), [DNS1035_LABEL_ERROR]);
  assert.deepEqual(dns1123LabelProblems('a.b'), [DNS1123_LABEL_ERROR]);
  assert.deepEqual(dns1035LabelProblems('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('the API server words its name rules with the examples and the regular expression', () => {
  assert.equal(
    DNS1123_LABEL_ERROR,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
});

test('label keys: an optional subdomain prefix and a name part', () => {
  for (const good of ['app', 'app.kubernetes.io/name', 'My_Key.1', 'a'.repeat(63)]) assert.deepEqual(labelKeyProblems(good), [], good);
  assert.deepEqual(labelKeyProblems('/app'), ['prefix part must be non-empty']);
  assert.deepEqual(labelKeyProblems('example.com/'), ['name part must be non-empty']);
  assert.deepEqual(labelKeyProblems('Example.com/app'), [`prefix part ${DNS1123_SUBDOMAIN_ERROR}`]);
  assert.deepEqual(labelKeyProblems('a'.repeat(64)), ['name part must be no more than 63 characters']);
  assert.match(labelKeyProblems('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.match(labelKeyProblems('x y')[0], /^name part must consist of alphanumeric characters/);
});

test('label values: empty, or alphanumerics with - _ . inside, up to 63 characters', () => {
  for (const good of ['', 'v1', 'My_Value.2', 'a'.repeat(63)]) assert.deepEqual(labelValueProblems(good), [], good);
  assert.match(labelValueProblems('x y')[0], /^a valid label must be an empty string or consist of/);
  assert.equal(labelValueProblems('-v').length, 1);
  assert.deepEqual(labelValueProblems('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('StatefulSet names longer than 52 characters cannot run pods', () => {
  assert.equal(STATEFULSET_NAME_MAX, 52);
  assert.equal(statefulSetNameProblem('a'.repeat(52)), undefined);
  assert.equal(
    statefulSetNameProblem('a'.repeat(53)),
    'name is 53 characters, more than 52: the StatefulSet controller cannot create its pods, because their controller-revision-hash label "<name>-<hash>" would exceed 63 characters; shorten the name to at most 52 characters',
  );
});
