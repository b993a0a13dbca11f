/** How the API server prints label maps in its errors: see k8s/go-values.ts. */
export { goMapLiteral } from '../../k8s/go-values';
