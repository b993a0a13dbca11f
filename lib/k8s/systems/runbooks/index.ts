/** Every system's runbook, by system id. Add a system here and in identify.ts's SYSTEMS. */
import type { SystemId } from '../identify';
import type { SystemRunbook } from '../runbook';
import { cassandraRunbook } from './cassandra';
import { elasticsearchMasterRunbook } from './elasticsearch';
import { etcdRunbook } from './etcd';
import { kafkaBrokerRunbook, kafkaControllerRunbook } from './kafka';
import { mongodbRunbook } from './mongodb';
import { rabbitmqRunbook } from './rabbitmq';
import { redisRunbook } from './redis';
import { zookeeperRunbook } from './zookeeper';

export const RUNBOOKS: Readonly<Record<SystemId, SystemRunbook>> = {
  etcd: etcdRunbook,
  zookeeper: zookeeperRunbook,
  'kafka-controller': kafkaControllerRunbook,
  'kafka-broker': kafkaBrokerRunbook,
  mongodb: mongodbRunbook,
  cassandra: cassandraRunbook,
  rabbitmq: rabbitmqRunbook,
  'elasticsearch-master': elasticsearchMasterRunbook,
  redis: redisRunbook,
};
