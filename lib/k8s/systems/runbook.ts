/**
 * The membership commands a change of size needs, in order, per system: what an operator would run. Each system's
 * steps live in runbooks/<system>.ts; this file holds the step shape, the dispatch and the one text formatter.
 * A step is either a command run in a pod (`kubectl exec`), applying the next revision, or an instruction in words
 * where no single command does it. Exec steps are written so that a shell (or a test harness) can run them as they
 * are: no `<placeholders>`.
 */
import { podFqdn, podName } from '../names';
import type { PodConfig } from './config';
import type { SystemId } from './identify';
import { RUNBOOKS } from './runbooks';

export interface MemberChange {
  readonly system: SystemId;
  readonly statefulSet: string;
  readonly serviceName: string;
  readonly namespace: string;
  /** The pod that comes (scale-up) or goes (scale-down). */
  readonly ordinal: number;
  readonly direction: 'up' | 'down';
  /** Any existing member to run commands on. */
  readonly anchorOrdinal: number;
  /** Cluster DNS domain. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * The configuration of the revision that lists the member (the new one for 'up', the old one for 'down'), so
   * that a runbook can write concrete ids and settings (a ZooKeeper `server.N` line, whether reconfig is on).
   * @default - unknown: the runbook says in words what to look up
   */
  readonly config?: PodConfig;
  /** Members talk TLS (etcd: https peer and client URLs). @default false */
  readonly tls?: boolean;
}

export type RunbookStep =
  /** Run `command` in container `container` (default: the first) of `pod`: `kubectl exec -n <ns> <pod> -- ...`. */
  | { readonly kind: 'exec'; readonly pod: string; readonly command: readonly string[]; readonly container?: string; readonly why?: string }
  /** Apply the next revision (replicas changed by `members`, default one). */
  | { readonly kind: 'apply'; readonly why?: string; readonly members?: number }
  /** An instruction in words, where no single command does it. */
  | { readonly kind: 'manual'; readonly text: string };

/** What a system's runbook is written from. */
export interface RunbookWords {
  readonly change: MemberChange;
  /** The pod that comes or goes. */
  readonly pod: string;
  readonly fqdn: string;
  /** An existing member that stays (`anchorOrdinal`). */
  readonly anchor: string;
  readonly anchorFqdn: string;
}

export interface SystemRunbook {
  readonly up: (w: RunbookWords) => RunbookStep[];
  readonly down: (w: RunbookWords) => RunbookStep[];
  /**
   * Several members may come or go in one revision, with one apply for all of them (a Redis master and its
   * replicas); otherwise one member per revision.
   */
  readonly together?: boolean;
}

/** The steps for adding or removing one member, in order. */
export function runbook(change: MemberChange): RunbookStep[] {
  const fqdnOf = (ordinal: number) =>
    podFqdn(change.statefulSet, ordinal, change.serviceName, change.namespace, change.clusterDomain);
  const words: RunbookWords = {
    change,
    pod: podName(change.statefulSet, change.ordinal),
    fqdn: fqdnOf(change.ordinal),
    anchor: podName(change.statefulSet, change.anchorOrdinal),
    anchorFqdn: fqdnOf(change.anchorOrdinal),
  };
  const book = RUNBOOKS[change.system];
  return change.direction === 'up' ? book.up(words) : book.down(words);
}

/** Whether several members of `system` may come or go in one revision (its runbook's `together`). */
export function membersComeTogether(system: SystemId): boolean {
  return RUNBOOKS[system].together === true;
}

/** One step as one line of text, as a user would type or read it. */
export function formatRunbookStep(step: RunbookStep, change: Pick<MemberChange, 'namespace' | 'direction'>): string {
  switch (step.kind) {
    case 'exec': {
      const container = step.container === undefined ? '' : ` -c ${step.container}`;
      const line = `kubectl exec -n ${change.namespace} ${step.pod}${container} -- ${step.command.map(shellQuote).join(' ')}`;
      return step.why === undefined ? line : `${line}  (${step.why})`;
    }
    case 'apply': {
      const by = step.members === undefined || step.members === 1 ? 'one' : String(step.members);
      const line = `apply the new revision (replicas ${change.direction === 'up' ? 'raised' : 'lowered'} by ${by})`;
      return step.why === undefined ? line : `${line}; ${step.why}`;
    }
    case 'manual':
      return step.text;
  }
}

/** POSIX shell quoting: bare when safe, single quotes otherwise. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
