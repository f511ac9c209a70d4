/**
 * The agency's accent colour against the site's two colour schemes: WCAG 2 contrast ratios, and the
 * lighter variant the dark scheme uses (one colour cannot reach 4.5:1 on both a white and a
 * near-black background). The backgrounds are the ones `src/styles/global.css` paints.
 */

/** A colour written `#rrggbb`. */
export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** WCAG 2.2 AA for normal text (1.4.3). */
export const MIN_TEXT_CONTRAST = 4.5;

/** What the dark scheme's accent aims at: above AA, as thin light text on a dark background reads dimmer than its ratio says. */
const DARK_ACCENT_CONTRAST = 6;

/** Background and surface (header, cards, table of contents) of each scheme; global.css uses the same values. */
export const SCHEME_BACKGROUNDS = {
  light: { bg: "#ffffff", surface: "#f6f8fa" },
  dark: { bg: "#0d1117", surface: "#161b22" },
} as const;

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("")}`;
}

/** Relative luminance (WCAG 2). */
function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** The lower of the colour's contrasts on a scheme's background and surface. */
export function contrastOn(scheme: keyof typeof SCHEME_BACKGROUNDS, colour: string): number {
  const { bg, surface } = SCHEME_BACKGROUNDS[scheme];
  return Math.min(contrastRatio(colour, bg), contrastRatio(colour, surface));
}

/** `colour` moved `amount` (0–1) of the way towards `target`. */
function mix(colour: string, target: string, amount: number): string {
  const from = rgbOf(colour);
  const to = rgbOf(target);
  return hexOf(from.map((channel, i) => channel + (to[i]! - channel) * amount) as Rgb);
}

/**
 * The first mix of `colour` towards `target`, in 5 % steps, that reaches `ratio` on `scheme`: the
 * accent as close to the agency's own as the scheme allows (white and black always reach it).
 */
function towards(colour: string, target: string, scheme: keyof typeof SCHEME_BACKGROUNDS, ratio: number): string {
  for (let step = 0; step <= 20; step++) {
    const mixed = mix(colour, target, step / 20);
    if (contrastOn(scheme, mixed) >= ratio) return mixed;
  }
  return target;
}

/** The accent colours each scheme uses, all lower-case `#rrggbb`. */
export type AccentPalette = {
  /** Links, focus rings and button backgrounds. */
  accent: { light: string; dark: string };
  /** Hover: further from the background than `accent`. */
  strong: { light: string; dark: string };
  /** Text on an accent-coloured button: the scheme's own background. */
  onAccent: { light: string; dark: string };
};

/**
 * The palette from the agency's accent colour, which must reach 4.5:1 on the light scheme (the
 * settings schema refuses one that does not); the dark scheme gets the nearest lighter variant that
 * reaches 6:1 there.
 */
export function accentPalette(accentColour: string): AccentPalette {
  const light = accentColour.toLowerCase();
  const dark = towards(light, "#ffffff", "dark", DARK_ACCENT_CONTRAST);
  return {
    accent: { light, dark },
    strong: { light: mix(light, "#000000", 0.25), dark: mix(dark, "#ffffff", 0.25) },
    onAccent: { light: SCHEME_BACKGROUNDS.light.bg, dark: SCHEME_BACKGROUNDS.dark.bg },
  };
}
