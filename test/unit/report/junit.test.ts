import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, formatJunit } from '../../../lib/report/junit';
import { SAMPLE } from './sample';

/** Checks that tags nest and close properly and that no raw `<` or `&` appears outside markup. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let match = tag.exec(body); match; match = tag.exec(body)) {
    const text = body.slice(last, match.index);
    assert.doesNotMatch(text, /[<>]|&(?!(amp|lt|gt|quot|apos);)/, `stray markup in ${JSON.stringify(text)}`);
    for (const attr of match[3].matchAll(/"([^"]*)"/g)) assert.doesNotMatch(attr[1], /&(?!(amp|lt|gt|quot|apos);)/);
    const [, closing, name, , selfClosing] = match;
    if (closing) assert.equal(stack.pop(), name);
    else if (!selfClosing) stack.push(name);
    last = tag.lastIndex;
  }
  assert.equal(body.slice(last).trim(), '');
  assert.deepEqual(stack, []);
}

describe('formatJunit', () => {
  it('escapes XML and drops characters XML cannot hold', () => {
    assert.equal(escapeXml(`a<b>&"c"'\u0001`), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });

  it('prints one suite per file: a failing case per finding, a passing case for a clean file', () => {
    const xml = formatJunit(SAMPLE);
    assertWellFormed(xml);
    assert.equal(
      xml,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="cdk8s-stateful" tests="4" failures="3" errors="0">',
        '  <testsuite name="manifests/app.yaml" tests="2" failures="2" errors="0">',
        '    <testcase classname="manifests/app.yaml" name="sts-service at 6:3"><failure type="error" message="Service &quot;web&quot; is not headless: set clusterIP: None, or 50% of &lt;pods&gt; &amp; more">manifests/app.yaml:6:3 error Service &quot;web&quot; is not headless: set clusterIP: None, or 50% of &lt;pods&gt; &amp; more (sts-service)</failure></testcase>',
        '    <testcase classname="manifests/app.yaml" name="pvc-nondeterministic at 30:7"><failure type="warning" message="claims contend\nfor pv001, pv002">manifests/app.yaml:30:7 warning claims contend\nfor pv001, pv002 (pvc-nondeterministic)</failure></testcase>',
        '  </testsuite>',
        '  <testsuite name="manifests/clean.yaml" tests="1" failures="0" errors="0">',
        '    <testcase classname="manifests/clean.yaml" name="no problems"/>',
        '  </testsuite>',
        '  <testsuite name="other dir/b.yaml" tests="1" failures="1" errors="0">',
        '    <testcase classname="other dir/b.yaml" name="schema at 2:1"><failure type="error" message="spec.replicaz: unknown field &quot;replicaz&quot;">other dir/b.yaml:2:1 error spec.replicaz: unknown field &quot;replicaz&quot; (schema)</failure></testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });
});
