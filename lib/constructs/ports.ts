/** Port checks of the constructs: the API server's own predicates (k8s/validation.ts), worded for a prop. */
import { dns1123LabelProblems } from '../k8s/names';
import { portNameProblems, portNumberProblems } from '../k8s/validation';

/** Why `name` cannot name a container port (IANA_SVC_NAME), in the API server's words; '' when it can. */
export function containerPortNameProblem(name: string): string {
  return portNameProblems(name).join('; ');
}

/** Why `name` cannot name a Service port (a DNS-1123 label), in the API server's words; '' when it can. */
export function servicePortNameProblem(name: string): string {
  return dns1123LabelProblems(name).join('; ');
}

/** A valid TCP/UDP port number (IsValidPortNum). */
export function isPortNumber(port: number): boolean {
  return portNumberProblems(port).length === 0;
}
