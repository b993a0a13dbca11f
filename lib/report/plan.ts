/** `cdk8s-stateful plan` output: the runbook of every membership change, as text or JSON. Pure functions. */
import type { MembershipPlan, MemberStep } from '../diff';
import { formatRunbookStep, SYSTEM_NAMES } from '../k8s/systems';
import { plural } from '../core/text';

/** One block per plan: the change, then each member's revision with its numbered steps. */
export function formatPlanText(plans: readonly MembershipPlan[]): string {
  if (plans.length === 0) return 'No membership changes: no identified cluster changes its number of members.\n';
  return plans.map((plan) => {
    const head = `${SYSTEM_NAMES[plan.system]} StatefulSet "${plan.statefulSet}" (namespace ${plan.namespace}): ` +
      `${plan.from} → ${plan.to} members (${plan.identification.evidence})`;
    const members = plan.members.map((member, i) => {
      const pods = podsOf(member).join(', ');
      const steps = member.steps.map((step, n) => `    ${n + 1}. ${formatRunbookStep(step, member.change)}`);
      return [`  revision ${i + 1}: ${member.change.direction === 'up' ? 'add' : 'remove'} ${pods} (replicas ${member.replicas})`, ...steps].join('\n');
    });
    const left = Math.abs(plan.to - plan.from) - plan.members.reduce((sum, member) => sum + member.ordinals.length, 0);
    const more = left > 0 ? [`  ... and ${plural(left, 'more member')}, one revision each, the same way`] : [];
    return [head, ...members, ...more].join('\n');
  }).join('\n\n') + '\n';
}

/** The pods a revision adds or removes, in the order their steps run. */
function podsOf(member: MemberStep): string[] {
  return member.ordinals.map((ordinal) => `${member.change.statefulSet}-${ordinal}`);
}

/** Machine-readable plans: steps as data (exec steps carry their command array), plus the text of each step. */
export function formatPlanJson(plans: readonly MembershipPlan[]): string {
  return `${JSON.stringify({
    plans: plans.map((plan) => ({
      system: plan.system,
      statefulSet: plan.statefulSet,
      namespace: plan.namespace,
      from: plan.from,
      to: plan.to,
      identifiedBy: plan.identification.evidence,
      members: plan.members.map((member) => ({
        pod: `${member.change.statefulSet}-${member.change.ordinal}`,
        pods: podsOf(member),
        replicas: member.replicas,
        direction: member.change.direction,
        steps: member.steps.map((step) => ({ ...step, text: formatRunbookStep(step, member.change) })),
      })),
    })),
  }, null, 2)}\n`;
}
