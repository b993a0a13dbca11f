/**
 * Helm: a chart's templates are not YAML until `helm template` renders them, and what it renders names each
 * object's template in a `# Source:` comment.
 */

/** `{{ .Values.x }}`, `{{- include "..." }}`: a reference only Helm's template engine resolves. */
const HELM_ONLY = /\{\{-?\s*(?:[^}\n]*?[\s(|])?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b[^}\n]*\}\}|\{\{-?\s*(?:include|template|define|tpl)\s+"[^}\n]*\}\}/;
const ANY_ACTION = /\{\{[^\n]*?\}\}|\{\{/;

export interface HelmMarker {
  readonly offset: number;
  readonly token: string;
  /**
   * Certain: a reference to `.Values`, `.Release`, `include "..."`... A `{{ }}` alone is also how Argo
   * workflows and Prometheus alerts write their own templates inside strings: that is a template only when the
   * YAML does not parse.
   */
  readonly certain: boolean;
}

/** Where `text` looks like a Helm template, if it does. */
export function helmTemplateMarker(text: string): HelmMarker | undefined {
  const first = text.indexOf('{{');
  if (first === -1) return undefined;
  const helm = HELM_ONLY.exec(text);
  if (helm) return { offset: helm.index, token: helm[0], certain: true };
  const action = ANY_ACTION.exec(text.slice(first, first + 200));
  return { offset: first, token: action ? action[0] : '{{', certain: false };
}

/**
 * Whether `text` holds nothing but template actions, comments and document markers: a template whose YAML
 * appears only when Helm renders it (`{{- include "chart.sts" . }}`, `{{ $x := 1 }}`), not an empty input.
 */
export function onlyTemplateActions(text: string): boolean {
  if (!text.includes('{{')) return false;
  const rest = text.replace(/\{\{[\s\S]*?\}\}/g, '');
  return rest.split('\n').every((line) => {
    const trimmed = line.trim();
    return trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...';
  });
}

const SOURCE = /^# Source: (\S[^\r\n]*?)\s*$/;
const SOURCE_MARK = '# Source: ';

/**
 * Whether `text` is `helm template` output: its objects are named after the templates that rendered them. The
 * answer of /^# Source: \S/m, found with indexOf (every file is asked, and the expression scans 30 ms per 18 MB).
 */
export function hasSourceComments(text: string): boolean {
  for (let i = text.indexOf(SOURCE_MARK); i !== -1; i = text.indexOf(SOURCE_MARK, i + 1)) {
    const before = text.charCodeAt(i - 1);
    const atLineStart = i === 0 || before === 0x0a || before === 0x0d || before === 0x2028 || before === 0x2029;
    const after = i + SOURCE_MARK.length;
    if (atLineStart && after < text.length && /\S/.test(text[after])) return true;
  }
  return false;
}

/** The template `helm template` names in the comments that open the document starting at `start`. */
export function sourceComment(text: string, start: number): string | undefined {
  let lineStart = start;
  for (let n = 0; n < 20 && lineStart < text.length; n++) {
    const end = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, end === -1 ? text.length : end);
    const source = SOURCE.exec(line);
    if (source) return source[1];
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && trimmed !== '---') return undefined;
    if (end === -1) return undefined;
    lineStart = end + 1;
  }
  return undefined;
}
