/**
 * The accent colour against both colour schemes: the settings refuse one that does not reach 4.5:1
 * on the light scheme, and the dark scheme's derived variant reaches it on the dark one, for any
 * colour the settings accept.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accentPalette, contrastOn, contrastRatio, MIN_TEXT_CONTRAST, SCHEME_BACKGROUNDS } from "../../src/domain/colour";
import { SiteSettingsSchema } from "../../src/domain/schemas/settings";
import { brandStyle } from "../../src/lib/brand";
import { VALID_SETTINGS as SETTINGS } from "../setup/settings";

const withAccent = (accentColor: unknown) => SiteSettingsSchema.safeParse({ ...SETTINGS, brand: { ...SETTINGS.brand, accentColor } });
const issues = (accentColor: unknown) => withAccent(accentColor).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

/** Every colour of a coarse RGB grid: 4,096 of them. */
const GRID = Array.from({ length: 16 ** 3 }, (_, i) => `#${[i >> 8, (i >> 4) & 15, i & 15].map((c) => (c * 17).toString(16).padStart(2, "0")).join("")}`);

describe("contrast", () => {
  it("follows WCAG 2's formula", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBe(1);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2); // the lightest grey that passes AA on white
    expect(contrastRatio("#777777", "#ffffff")).toBeLessThan(MIN_TEXT_CONTRAST);
  });
});

describe("the accent colour setting", () => {
  it("defaults to a blue that passes", () => {
    expect(SiteSettingsSchema.parse(SETTINGS).brand.accentColor).toBe("#1d4ed8");
  });

  it("refuses a colour under 4.5:1 on the light background or surface, naming the field and the ratio", () => {
    expect(issues("#7aa2f7")).toEqual([
      `brand.accentColor: contrast 2.37:1 on the light background (${SCHEME_BACKGROUNDS.light.bg}, ${SCHEME_BACKGROUNDS.light.surface}) is under 4.5:1: choose a darker colour`,
    ]);
    // Passes on white (4.54:1) but not on the surface of the header and cards.
    expect(issues("#767676")?.[0]).toMatch(/^brand\.accentColor: contrast 4\.2\d:1/);
    expect(issues({ sample: "#7aa2f7" })?.[0]).toMatch(/^brand\.accentColor: contrast 2\.37:1/);
    expect(issues("blue")).toEqual(["brand.accentColor: must be a colour written #rrggbb"]);
    expect(withAccent("#0F766E").success).toBe(true);
  });

  it("gives the dark scheme a variant that reaches 4.5:1 there, and hover and button colours that keep it, for every colour it accepts", () => {
    const accepted = GRID.filter((colour) => withAccent(colour).success);
    expect(accepted.length).toBeGreaterThan(500);
    for (const colour of accepted) {
      const { accent, strong, onAccent } = accentPalette(colour);
      expect(accent.light).toBe(colour);
      expect(contrastOn("dark", accent.dark), colour).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      expect(contrastOn("dark", strong.dark), colour).toBeGreaterThanOrEqual(contrastOn("dark", accent.dark));
      expect(contrastOn("light", strong.light), colour).toBeGreaterThanOrEqual(contrastOn("light", accent.light));
      // Button text: the scheme's background on the accent, and on its hover colour.
      for (const scheme of ["light", "dark"] as const) {
        expect(contrastRatio(onAccent[scheme], accent[scheme]), `${colour} ${scheme}`).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
        expect(contrastRatio(onAccent[scheme], strong[scheme]), `${colour} ${scheme}`).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
      }
    }
  });

  it("reaches the page as light-dark() custom properties", () => {
    const { accent } = accentPalette("#0f766e");
    expect(brandStyle("#0f766e")).toContain(`--color-accent:light-dark(${accent.light}, ${accent.dark})`);
  });
});

describe("global.css", () => {
  it("paints the backgrounds the accent is checked against", () => {
    const css = readFileSync("src/styles/global.css", "utf8");
    const { light, dark } = SCHEME_BACKGROUNDS;
    expect(css).toContain(`--color-bg: light-dark(${light.bg}, ${dark.bg});`);
    expect(css).toContain(`--color-surface: light-dark(${light.surface}, ${dark.surface});`);
  });
});
