import { findSetting, FOUR_LETTER_WORDS, probesOf, ZOOKEEPER_SETTINGS } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import { clusterOf } from './support/cluster';

const WORD = new RegExp(`\\b(${FOUR_LETTER_WORDS.join('|')})\\b`);

const messages = {
  notWhitelisted: (d: { sts: string; container: string; field: string; word: string; whitelist: string; where: string }) =>
    `the ${d.field} of container "${d.container}" in ZooKeeper StatefulSet "${d.sts}" sends the four-letter word ` +
    `"${d.word}", but 4lw.commands.whitelist is "${d.whitelist}" (${d.where}): ZooKeeper answers "${d.word} is ` +
    `not executed because it is not in the whitelist." and the probe fails forever; add ${d.word} to the whitelist`,
};

/**
 * Since ZooKeeper 3.5.3 a four-letter word runs only if `4lw.commands.whitelist` lists it (ZooKeeper
 * Administrator's Guide, "The Four Letter Words"); a probe using another word fails on every call. Judged only when
 * the whitelist is configured in the set (zoo.cfg, ZOO_4LW_COMMANDS_WHITELIST, -Dzookeeper.4lw.commands.whitelist),
 * since the default differs between versions and images.
 */
export const zookeeper4lw = defineRule({
  id: 'zookeeper-4lw',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description: "A ZooKeeper probe's four-letter word is in the configured 4lw.commands.whitelist.",
    remediation: 'Add the word the probe uses to 4lw.commands.whitelist (or probe with a whitelisted word such as srvr).',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    if (cluster.identification?.system !== 'zookeeper') return [];
    const whitelist = findSetting(cluster.identification.config, ZOOKEEPER_SETTINGS.whitelist);
    if (whitelist === undefined || /\$/.test(whitelist.value)) return [];
    const allowed = whitelist.value.split(/[\s,]+/).filter((w) => w !== '');
    if (allowed.includes('*')) return [];
    const findings: Report<typeof messages>[] = [];
    for (const probe of probesOf(manifest)) {
      const word = probe.handler === 'exec' ? WORD.exec(probe.text)?.[1] : undefined;
      if (word === undefined || allowed.includes(word)) continue;
      findings.push({
        path: ['spec', 'template', 'spec', 'containers', probe.containerIndex, probe.field],
        messageId: 'notWhitelisted', data: ({
          sts: cluster.view.name, container: probe.container, field: probe.field, word,
          whitelist: whitelist.value, where: whitelist.source.where,
        }),
      });
    }
    return findings;
  },
});
