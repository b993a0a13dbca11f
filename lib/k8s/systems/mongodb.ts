/**
 * MongoDB replica sets, as the MongoDB manual describes them ("Replica Set Members", "rs.initiate()", "Deploy a
 * Self-Managed Replica Set with Keyfile Authentication", "Localhost Exception", `hello`): members name each other by
 * `host:port` as written in the replica set configuration; at most 7 members vote and there should be an odd number
 * of votes; members authenticate to each other with a key file that mongod refuses when group or others can read it.
 */

/** The port mongod listens on. */
export const MONGODB_PORT = 27017;
/** "A replica set can have up to 50 members but only 7 voting members." */
export const MONGODB_MAX_MEMBERS = 50;
export const MONGODB_MAX_VOTING_MEMBERS = 7;

export interface MongoMember {
  readonly host: string;
  /** 1 or 0; a non-voting member must have priority 0. */
  readonly votes: number;
}

/**
 * The replica set configuration document for `rs.initiate()`, as a mongosh object literal: `_id` the set name,
 * members `_id` 0.. in order; non-voting members get `votes: 0, priority: 0` (the manual requires priority 0 for them).
 */
export function mongoInitiateDocument(replSet: string, members: readonly MongoMember[]): string {
  const entries = members.map((m, id) =>
    m.votes > 0 ? `{ _id: ${id}, host: '${m.host}:${MONGODB_PORT}' }` : `{ _id: ${id}, host: '${m.host}:${MONGODB_PORT}', votes: 0, priority: 0 }`);
  return `{ _id: '${replSet}', members: [ ${entries.join(', ')} ] }`;
}

/**
 * A mongosh script that initiates the replica set once: `rs.status()` fails with NotYetInitialized (code 94) only on
 * a member that was never initiated; Unauthorized means users exist, so the set was initiated long ago. Run through
 * the localhost exception (on a member, before the first user exists).
 */
export function mongoInitiateScript(replSet: string, members: readonly MongoMember[]): string {
  return [
    'try {',
    '  rs.status();',
    "  print('the replica set is initiated: nothing to do');",
    '} catch (e) {',
    "  if (e.codeName === 'Unauthorized') { print('users exist, so the replica set was initiated: nothing to do'); quit(0); }",
    "  if (e.codeName !== 'NotYetInitialized') throw e;",
    `  rs.initiate(${mongoInitiateDocument(replSet, members)});`,
    '}',
    '',
  ].join('\n');
}

/** Liveness: the local mongod answers ping (no replica set and no credentials needed). */
export const MONGODB_LIVENESS_COMMAND: readonly string[] = ['mongosh', '--quiet', '--eval', "db.adminCommand('ping')"];

/** Readiness: the member is PRIMARY or SECONDARY (`hello` needs no credentials). */
export const MONGODB_READINESS_COMMAND: readonly string[] = [
  'mongosh', '--quiet', '--eval', 'const h = db.hello(); if (!(h.isWritablePrimary || h.secondary)) quit(1)',
];
