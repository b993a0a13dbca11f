import { statefulSetNameProblem } from '../k8s/names';
import { defineRule } from '../core/rule';
import { STATEFULSET_PATHS } from '../k8s/views';
import { statefulSetView } from './support/statefulset';

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
  check(manifest, ctx) {
    const { name } = statefulSetView(manifest, ctx);
    const problem = statefulSetNameProblem(name);
    return problem === undefined ? [] : [{ messageId: 'tooLong', data: { name, problem }, path: STATEFULSET_PATHS.name }];
  },
});
