/** The agency's brand on every page: its accent colours as CSS custom properties, and its logo. */
import { accentPalette } from "../domain/colour";
import { getSiteData } from "./site-data";

/**
 * The accent custom properties, each a `light-dark()` pair that follows the page's colour scheme
 * (global.css sets it from the system or the theme switch). Inlined in every page's head: the colour
 * comes from the settings, not from the stylesheet.
 */
export function brandStyle(accentColor: string): string {
  const { accent, strong, onAccent } = accentPalette(accentColor);
  const pair = ({ light, dark }: { light: string; dark: string }) => `light-dark(${light}, ${dark})`;
  return `:root{--color-accent:${pair(accent)};--color-accent-strong:${pair(strong)};--color-on-accent:${pair(onAccent)}}`;
}

export type LogoImage = { src: string; width: number; height: number };

/** The logo as an `<img>` source (a data URI: no request, and an SVG in an image runs no script), sized by its viewBox to `height`. */
export function logoImage(height: number): LogoImage {
  const svg = getSiteData().logoSvg;
  const [, , width = 1, boxHeight = 1] = /\bviewBox\s*=\s*["']([^"']+)["']/.exec(svg)?.[1]?.trim().split(/[\s,]+/).map(Number) ?? [];
  return {
    src: `data:image/svg+xml,${encodeURIComponent(svg.replace(/<!--[\s\S]*?-->/g, "").trim())}`,
    width: Math.round((height * width) / boxHeight),
    height,
  };
}
