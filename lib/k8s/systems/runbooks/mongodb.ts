/** MongoDB manual: rs.add / rs.remove on the primary. */
import { MONGODB_PORT } from '../mongodb';
import type { SystemRunbook } from '../runbook';

export const mongodbRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply' },
    { kind: 'exec', pod: w.anchor, command: ['mongosh', '--eval', `rs.add("${w.fqdn}:${MONGODB_PORT}")`], why: 'on the primary' },
  ],
  down: (w) => [
    { kind: 'exec', pod: w.anchor, command: ['mongosh', '--eval', `rs.remove("${w.fqdn}:${MONGODB_PORT}")`], why: 'on the primary' },
    { kind: 'apply' },
  ],
};
