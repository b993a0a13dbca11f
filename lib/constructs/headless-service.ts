import { ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { dns1035LabelProblems } from '../k8s/names';
import { constructError, suggestDns1123Label } from './errors';
import { checkAnnotations, checkLabels } from './pod-checks';
import { containerPortNameProblem, isPortNumber, servicePortNameProblem } from './ports';
import { Protocol } from './types';
import { lintChartAtSynth } from './validation';

/** One port of a headless Service. */
export interface HeadlessServicePort {
  /** Port name; SRV records (`_web._tcp.myapp...`) are published under it. Required. */
  readonly name: string;
  /** Port number the Service publishes. */
  readonly port: number;
  /**
   * Port on the pods, by number or by container port name.
   * @default - the same number as `port`
   */
  readonly targetPort?: number | string;
  /**
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

export interface HeadlessServiceProps {
  /**
   * Service name, written exactly (no hash): StatefulSet pods get DNS names under it.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the Service.
   * @default - the chart's namespace, if any
   */
  readonly namespace?: string;
  /** Labels of the pods the Service selects; must equal (or be a subset of) the pods' labels. */
  readonly selector: Readonly<Record<string, string>>;
  /** Named ports; at least one. */
  readonly ports: readonly HeadlessServicePort[];
  /**
   * Publish DNS records for pods before they are Ready, so that peers can find each other while they start.
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * Labels of the Service object itself.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of the Service object.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A headless Service (`clusterIP: None`): no virtual IP, one DNS record per selected pod. The governing Service
 * of a StatefulSet, which gives pod `S-i` the name `S-i.<service>.<namespace>.svc.<cluster domain>`.
 */
export class HeadlessService extends Construct {
  /** The L1 Service object. */
  public readonly apiObject: k8s.KubeService;
  /** The Service name. */
  public readonly name: string;
  /** The namespace written on the Service, if any. */
  public readonly namespace?: string;
  /** The pods' labels the Service selects. */
  public readonly selector: Readonly<Record<string, string>>;
  /** The ports, as given. */
  public readonly ports: readonly HeadlessServicePort[];
  /** Whether not-ready pods are published. */
  public readonly publishNotReadyAddresses: boolean;

  constructor(scope: Construct, id: string, props: HeadlessServiceProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.selector = { ...props.selector };
    this.ports = [...props.ports];
    this.publishNotReadyAddresses = props.publishNotReadyAddresses ?? false;
    validateHeadlessService(this.name, this.selector, this.ports);
    const fail = (problem: string) => constructError('HeadlessService', this.name, problem);
    checkLabels(this.selector, 'selector', fail);
    checkLabels(props.labels, 'labels', fail);
    checkAnnotations(props.annotations, 'annotations', fail);

    const metadata: ApiObjectMetadata = {
      name: this.name,
      namespace: this.namespace,
      labels: props.labels ? { ...props.labels } : undefined,
      annotations: props.annotations ? { ...props.annotations } : undefined,
    };
    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata,
      spec: {
        clusterIp: 'None',
        selector: { ...this.selector },
        publishNotReadyAddresses: this.publishNotReadyAddresses ? true : undefined,
        ports: this.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: targetPortOf(p),
          protocol: p.protocol ?? Protocol.TCP,
        })),
      },
    });
    lintChartAtSynth(this);
  }

  /** The number of the port with this name; throws when there is none. */
  public portNumber(name: string): number {
    const port = this.ports.find((p) => p.name === name);
    if (!port) {
      const known = this.ports.map((p) => p.name).join(', ');
      throw constructError('HeadlessService', this.name, `has no port named "${name}" (ports: ${known})`);
    }
    return port.port;
  }
}

function targetPortOf(port: HeadlessServicePort): k8s.IntOrString {
  const target = port.targetPort ?? port.port;
  return typeof target === 'number' ? k8s.IntOrString.fromNumber(target) : k8s.IntOrString.fromString(target);
}

function validateHeadlessService(
  name: string,
  selector: Readonly<Record<string, string>>,
  ports: readonly HeadlessServicePort[],
): void {
  const fail = (problem: string) => constructError('HeadlessService', name, problem);
  // Service names are DNS-1035 labels: a DNS-1123 label that starts with a letter.
  if (dns1035LabelProblems(name).length > 0) {
    const suggestion = suggestDns1123Label(name).replace(/^[^a-z]+/, '') || 'svc';
    throw fail(`name is not a valid Service name (a DNS-1123 label that starts with a letter); use a name such as "${suggestion}"`);
  }
  if (Object.keys(selector).length === 0) {
    throw fail("selector is empty; give the pods' labels, e.g. { app: 'myapp' }, so that the Service selects only them");
  }
  if (ports.length === 0) {
    throw fail('has no ports; give at least one named port, e.g. { name: "web", port: 80 }');
  }
  const seenNames = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.name) {
      throw fail(`ports[${i}] has no name; SRV records need named ports: give it a name such as "web"`);
    }
    const nameProblem = servicePortNameProblem(p.name);
    if (nameProblem !== '') {
      throw fail(`ports[${i}].name "${p.name}" is not a valid port name: ${nameProblem}`);
    }
    const targetProblem = typeof p.targetPort === 'string' ? containerPortNameProblem(p.targetPort) : '';
    if (targetProblem !== '') {
      throw fail(`ports[${i}].targetPort "${p.targetPort}" is not a valid port name: ${targetProblem}`);
    }
    if (!isPortNumber(p.port)) {
      throw fail(`ports[${i}].port ${p.port} is not a port number; use a whole number from 1 to 65535`);
    }
    if (typeof p.targetPort === 'number' && !isPortNumber(p.targetPort)) {
      throw fail(`ports[${i}].targetPort ${p.targetPort} is not a port number; use a whole number from 1 to 65535`);
    }
    if (seenNames.has(p.name)) {
      throw fail(`ports[${i}].name "${p.name}" is used twice; give every port its own name`);
    }
    const key = `${p.port}/${p.protocol ?? Protocol.TCP}`;
    if (seenPorts.has(key)) {
      throw fail(`ports[${i}] publishes ${key} twice; give every port its own number`);
    }
    seenNames.add(p.name);
    seenPorts.add(key);
  });
}
