/** A complete, valid `settings.yaml` as the schema reads it, with no sample value: the base the settings tests change one field of. */
export const VALID_SETTINGS = {
  agencyName: { en: "Test", ru: "Тест" },
  brand: { logo: "brand/logo.svg" },
  legal: { name: { en: "Test LLC", ru: "ООО «Тест»" }, address: { en: "Moscow", ru: "Москва" }, inn: "7700000009", ogrn: "1027700000008" },
  siteUrl: "https://portal.agency.ru",
  contacts: { whatsapp: "https://wa.me/70000000000", email: "help@agency.ru", phone: "+7 000 000-00-00" },
  links: { componentDemo: "https://demo.agency.ru/c", solutionDemo: "https://demo.agency.ru/s" },
  workingHours: { start: "09:00", end: "18:00" },
  nightHours: { start: "22:00", end: "08:00" },
  unansweredSearchRetentionDays: 90,
  articleFeedbackRetentionDays: 180,
  ratingRetentionDays: 730,
  requestStatusRetentionDays: 90,
};
