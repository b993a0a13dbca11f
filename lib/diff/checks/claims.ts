/** The claims a StatefulSet's controller made for its ordinals, and the PVs pre-bound or bound to them. */
import type { KubeObject, Manifest } from '../../core/types';
import { claimName, ordinals } from '../../k8s/names';
import { isObject, specOf } from './support';

/** Names of the StatefulSet's claim templates. */
export function claimTemplateNames(statefulSet: KubeObject): string[] {
  const templates = specOf(statefulSet).volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  return templates
    .map((template) => (isObject(template) && isObject(template.metadata) ? template.metadata.name : undefined))
    .filter((name): name is string => typeof name === 'string');
}

/** The ordinals a (normalized) StatefulSet runs. */
export function ordinalsOf(statefulSet: KubeObject): number[] {
  const spec = specOf(statefulSet);
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const start = isObject(spec.ordinals) && typeof spec.ordinals.start === 'number' ? spec.ordinals.start : 0;
  return ordinals(start, replicas);
}

/** Claim names `<template>-<statefulset>-<ordinal>` for these ordinals, ordinal by ordinal. */
export function claimsFor(statefulSet: KubeObject, name: string, ordinalList: readonly number[]): string[] {
  const templates = claimTemplateNames(statefulSet);
  return ordinalList.flatMap((ordinal) => templates.map((template) => claimName(template, name, ordinal)));
}

/** Names of the PersistentVolumes whose claimRef names one of these claims in this namespace. */
export function volumesOfClaims(manifests: readonly Manifest[], namespace: string, claims: readonly string[]): string[] {
  const wanted = new Set(claims);
  const names: string[] = [];
  for (const manifest of manifests) {
    const { kind, metadata } = manifest.object;
    const ref = specOf(manifest.object).claimRef;
    if (kind !== 'PersistentVolume' || !isObject(ref) || typeof metadata?.name !== 'string') continue;
    if (ref.namespace === namespace && typeof ref.name === 'string' && wanted.has(ref.name)) names.push(metadata.name);
  }
  return [...new Set(names)];
}

/** ` (bound to PersistentVolumes a, b)` or '' when none is known. */
export function boundVolumesNote(volumes: readonly string[]): string {
  if (volumes.length === 0) return '';
  return ` (bound to PersistentVolume${volumes.length > 1 ? 's' : ''} ${volumes.join(', ')})`;
}

/** `claim a stays behind` or `claims a, b stay behind`. */
export function claimsStayBehind(claims: readonly string[]): string {
  return claims.length === 1 ? `claim ${claims[0]} stays behind` : `claims ${claims.join(', ')} stay behind`;
}
