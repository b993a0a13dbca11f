/**
 * The shortcuts the rules take on large sets answer as the plain computations they replace, on random input: the
 * "did you mean" candidate Services of sts-service (judged without building messages); and the pod-name pairs a
 * set's strings address, read at any depth.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addPodNamePairs, forEachString } from '../../../lib/rules/support/pod-names';
import { stsService } from '../../../lib/rules/sts-service';
import { buildContext } from '../../../lib/lint/context';
import { loadText } from '../../../lib/load/load';
import { formatMessage } from '../../../lib/core/rule';

describe('pod-name pairs', () => {
  it('reads strings at any depth, in lists and mappings', () => {
    const pairs = new Set<string>();
    forEachString({ a: [{ b: ['x web-0.nginx y'] }], c: 'db-12.svc:80' }, (s) => addPodNamePairs(s, pairs));
    assert.deepEqual([...pairs].sort(), ['db\u0000svc', 'web\u0000nginx']);
  });

  it('keeps only the pairs of the StatefulSets given', () => {
    const pairs = new Set<string>();
    addPodNamePairs('web-0.nginx.shop.svc, db-1.db.shop.svc, shop-2.svc', pairs, new Set(['web', 'db']));
    assert.deepEqual([...pairs].sort(), ['db\u0000db', 'web\u0000nginx']);
  });
});

describe('sts-service "did you mean"', () => {
  const service = fc.record({
    namespace: fc.constantFrom('x', 'y'),
    clusterIP: fc.constantFrom('None', '', '10.0.0.1'),
    type: fc.constantFrom('', 'ClusterIP', 'ExternalName'),
    selector: fc.constantFrom('', '{app: a}', '{app: b}', '{app: a, tier: db}', '{}'),
  });
  const set = fc.tuple(fc.array(service, { maxLength: 6 }), fc.constantFrom('{app: a}', '{app: a, tier: db}', '{app: b}', '{}'));

  interface ServiceShape {
    readonly namespace: string;
    readonly clusterIP: string;
    readonly type: string;
    readonly selector: string;
  }

  function setText(services: readonly ServiceShape[], labels: string, serviceName: string): string {
    const objects = services.map((s, i) => {
      const spec = [s.clusterIP === '' ? '' : `clusterIP: "${s.clusterIP}"`, s.type === '' ? '' : `type: ${s.type}`, s.selector === '' ? '' : `selector: ${s.selector}`];
      return `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: ${s.namespace}}\nspec: {${spec.filter((f) => f !== '').join(', ')}}\n`;
    });
    const sts = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: x}\nspec:\n  serviceName: ${serviceName}\n` +
      `  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n`;
    return [...objects, sts].join('---\n');
  }

  function messagesFor(text: string): string[] {
    const context = buildContext(loadText(text, 'set.yaml').manifests);
    const [statefulSet] = context.byKind('StatefulSet');
    return stsService.check(statefulSet, context).map((r) => formatMessage(stsService, r.messageId, r.data));
  }

  it('names the first Service of the namespace that, named as serviceName, would draw no finding', () => {
    fc.assert(
      fc.property(set, ([services, labels]) => {
        // The plain computation: try every Service of the namespace as the serviceName.
        const fitting = services.map((s, i) => ({ s, i })).filter(({ s, i }) => s.namespace === 'x' && messagesFor(setText(services, labels, `s${i}`)).length === 0);
        const [message] = messagesFor(setText(services, labels, 'absent'));
        if (fitting.length === 0) assert.equal(message, undefined);
        else assert.match(message, new RegExp(`did you mean serviceName: s${fitting[0].i}\\?`));
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
