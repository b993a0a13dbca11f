import { isDns1123Label } from '../k8s/names';

/** A port name as Kubernetes requires it (IANA_SVC_NAME): what SRV records are named after. */
export function isPortName(name: string): boolean {
  return name.length <= 15 && isDns1123Label(name) && /[a-z]/.test(name) && !name.includes('--');
}

export const PORT_NAME_RULE =
  "at most 15 lower-case letters, digits and '-', with at least one letter, no '--', not starting or ending with '-'";

/** A valid TCP/UDP port number. */
export function isPortNumber(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
