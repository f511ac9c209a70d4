/**
 * Filling `{name}` placeholders, and looking strings up in the few a page hands to its browser
 * script. Imports no dictionary, so browser bundles stay small.
 */
export type Params = Record<string, string | number>;

/** "Resolved by {time}" + { time: "18:00" } → "Resolved by 18:00"; unknown placeholders stay as they are. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `t(key, params)` over a page's handed-over strings; a missing key comes back as itself. */
export function lookupFrom(strings: Record<string, string>): (key: string, params?: Params) => string {
  return (key, params) => fill(strings[key] ?? key, params);
}
