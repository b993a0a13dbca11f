/**
 * Kubernetes naming: DNS-1123 labels and subdomains, and the names a StatefulSet derives for its pods and claims.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

/** RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (names of most objects, e.g. PVs and PVCs). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && value.split('.').every(isDns1123Label);
}

/** Name of the pod with this ordinal: `web-0`. */
export function podName(statefulSet: string, ordinal: number): string {
  return `${statefulSet}-${ordinal}`;
}

/** Name of the claim the StatefulSet controller creates for a template and ordinal: `www-web-0`. */
export function claimName(template: string, statefulSet: string, ordinal: number): string {
  return `${template}-${statefulSet}-${ordinal}`;
}

/** Stable DNS name of a StatefulSet pod behind its headless Service: `web-0.nginx.default.svc.cluster.local`. */
export function podFqdn(
  statefulSet: string,
  ordinal: number,
  serviceName: string,
  namespace: string,
  clusterDomain = 'cluster.local',
): string {
  return `${podName(statefulSet, ordinal)}.${serviceName}.${namespace}.svc.${clusterDomain}`;
}

/** The ordinals a StatefulSet runs: start .. start + replicas - 1. */
export function ordinals(start: number, replicas: number): number[] {
  return Array.from({ length: Math.max(0, replicas) }, (_, i) => start + i);
}
