import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing } from 'cdk8s';
import { HeadlessService, Protocol } from '../../../lib/constructs';
import { findObject, newChart } from './helpers';

describe('HeadlessService', () => {
  it('is always headless, with named ports and the selector, and named after its id by default', () => {
    const chart = newChart();
    new HeadlessService(chart, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] });
    const svc = findObject(Testing.synth(chart), 'Service', 'web');
    assert.equal(svc.spec.clusterIP, 'None');
    assert.deepEqual(svc.spec.selector, { app: 'web' });
    assert.deepEqual(svc.spec.ports, [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    assert.equal(svc.spec.publishNotReadyAddresses, undefined);
    assert.equal(svc.metadata.namespace, undefined);
  });

  it('writes the exact name, namespace, target ports, protocols and publishNotReadyAddresses', () => {
    const chart = newChart();
    const svc = new HeadlessService(chart, 'id', {
      name: 'zk',
      namespace: 'data',
      selector: { app: 'zk', tier: 'db' },
      ports: [
        { name: 'client', port: 2181, targetPort: 'client' },
        { name: 'dns', port: 53, protocol: Protocol.UDP },
      ],
      publishNotReadyAddresses: true,
      labels: { team: 'storage' },
    });
    const out = findObject(Testing.synth(chart), 'Service', 'zk');
    assert.equal(out.metadata.namespace, 'data');
    assert.deepEqual(out.metadata.labels, { team: 'storage' });
    assert.equal(out.spec.publishNotReadyAddresses, true);
    assert.deepEqual(out.spec.ports, [
      { name: 'client', port: 2181, targetPort: 'client', protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    assert.equal(svc.portNumber('client'), 2181);
    assert.throws(() => svc.portNumber('admin'), { message: 'HeadlessService "zk": has no port named "admin" (ports: client, dns)' });
  });

  it('takes the namespace of a namespaced chart', () => {
    const chart = newChart({ namespace: 'prod' });
    new HeadlessService(chart, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    assert.equal(findObject(Testing.synth(chart), 'Service', 'web').metadata.namespace, 'prod');
  });

  const bad: Array<[string, ConstructorParameters<typeof HeadlessService>[2], string]> = [
    ['an unnamed port', { selector: { app: 'a' }, ports: [{ name: '', port: 80 }] },
      'HeadlessService "svc": ports[0] has no name; SRV records need named ports: give it a name such as "web"'],
    ['an invalid port name', { selector: { app: 'a' }, ports: [{ name: 'Web_Port', port: 80 }] },
      'HeadlessService "svc": ports[0].name "Web_Port" is not a valid port name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\',  or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')'],
    ['an empty selector', { selector: {}, ports: [{ name: 'web', port: 80 }] },
      'HeadlessService "svc": selector is empty; give the pods\' labels, e.g. { app: \'myapp\' }, so that the Service selects only them'],
    ['no ports', { selector: { app: 'a' }, ports: [] },
      'HeadlessService "svc": has no ports; give at least one named port, e.g. { name: "web", port: 80 }'],
    ['a port out of range', { selector: { app: 'a' }, ports: [{ name: 'web', port: 70000 }] },
      'HeadlessService "svc": ports[0].port 70000 is not a port number; use a whole number from 1 to 65535'],
    ['a duplicate port name', { selector: { app: 'a' }, ports: [{ name: 'web', port: 80 }, { name: 'web', port: 81 }] },
      'HeadlessService "svc": ports[1].name "web" is used twice; give every port its own name'],
    ['a duplicate port number', { selector: { app: 'a' }, ports: [{ name: 'web', port: 80 }, { name: 'alt', port: 80 }] },
      'HeadlessService "svc": ports[1] publishes 80/TCP twice; give every port its own number'],
    ['a name that is not a DNS label', { name: 'My_Svc', selector: { app: 'a' }, ports: [{ name: 'web', port: 80 }] },
      'HeadlessService "My_Svc": name is not a valid Service name (a DNS-1123 label that starts with a letter); use a name such as "my-svc"'],
    ['a name starting with a digit', { name: '1svc', selector: { app: 'a' }, ports: [{ name: 'web', port: 80 }] },
      'HeadlessService "1svc": name is not a valid Service name (a DNS-1123 label that starts with a letter); use a name such as "svc"'],
  ];
  for (const [what, props, message] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => new HeadlessService(newChart(), 'svc', props), { message });
    });
  }
});
