import { statefulSetNameProblem } from '../k8s/names';
import { defineRule } from '../core/rule';
import { asString } from './support/values';

/**
 * The API server accepts a StatefulSet name of up to 253 characters, but every pod carries the label
 * controller-revision-hash=<name>-<hash>, and label values stop at 63 characters: past 52, no pod is ever created.
 */
export const stsNameLength = defineRule({
  id: 'sts-name-length',
  phase: 'object',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
      'A StatefulSet name is at most 52 characters, so its pods can carry the controller-revision-hash label.',
    remediation: 'Shorten the StatefulSet name to at most 52 characters.',
  },
  messages: {
    tooLong: 'StatefulSet "{{name}}": {{problem}}',
  },
  check(manifest) {
    const name = asString(manifest.object.metadata?.name);
    const problem = name === undefined ? undefined : statefulSetNameProblem(name);
    return problem === undefined ? [] : [{ messageId: 'tooLong', data: { name, problem }, path: ['metadata', 'name'] }];
  },
});
