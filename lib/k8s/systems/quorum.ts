/**
 * Majority quorum of a Raft/Zab/Paxos-style cluster (etcd, ZooKeeper, KRaft controllers, MongoDB voting members,
 * RabbitMQ quorum queues, Elasticsearch master-eligible nodes): a cluster of n voting members needs
 * ⌊n/2⌋ + 1 of them to elect a leader and commit, so it survives n − ⌊n/2⌋ − 1 lost members.
 * Source: etcd FAQ "What is failure tolerance?" (https://etcd.io/docs/v3.5/faq/), ZooKeeper Administrator's Guide
 * "Clustered (Multi-Server) Setup".
 */

/** Members that must be up for a cluster of n voting members: ⌊n/2⌋ + 1 (0 members: 0). */
export function majority(members: number): number {
  return members <= 0 ? 0 : Math.floor(members / 2) + 1;
}

/** Members a cluster of n may lose and keep its quorum: n − ⌊n/2⌋ − 1. */
export function faultTolerance(members: number): number {
  return Math.max(0, members - majority(members));
}
