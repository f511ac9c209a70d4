/** The notice every page shows while any setting is a sample value (src/domain/schemas/sample.ts), naming them. */
import { LOCALE } from "../domain/format";
import type { Lang } from "../domain/schemas/common";
import type { ContentSampleable } from "../domain/schemas/sample";
import { useTranslations, type UiKey } from "../i18n";

export type SampleNotice = { title: string; text: string };

/** The notice in `lang`, or undefined when every value is confirmed. */
export function sampleNotice(lang: Lang, fields: ContentSampleable[]): SampleNotice | undefined {
  const samples = fields.filter(({ sample }) => sample);
  if (samples.length === 0) return undefined;
  const t = useTranslations(lang);
  const names = new Intl.ListFormat(LOCALE[lang], { type: "conjunction" }).format(samples.map(({ field }) => t(sampleFieldKey(field))));
  return { title: t("sample.title"), text: t("sample.text", { fields: names }) };
}

/** The UI string naming a sampleable field: `sample.field.contacts.email` (a test checks every field has one). */
export function sampleFieldKey(field: string): UiKey {
  return `sample.field.${field}` as UiKey;
}
