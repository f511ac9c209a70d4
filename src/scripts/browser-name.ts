/**
 * A browser's name and major version as a person would say them ("Chrome 131", "Firefox 133",
 * "Safari 17"), read from its user-agent string; undefined when it is none of the known ones (the
 * client then types it). Browsers built on Chrome name themselves after Chrome's token, so they are
 * looked for first.
 */
const BROWSERS: [name: string, version: RegExp][] = [
  ["Edge", /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /\b(?:OPR|Opera)\/(\d+)/],
  ["Yandex Browser", /\bYaBrowser\/(\d+)/],
  ["Samsung Internet", /\bSamsungBrowser\/(\d+)/],
  ["Firefox", /\b(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /\b(?:Chrome|CriOS)\/(\d+)/],
  ["Safari", /\bVersion\/(\d+)(?:\.\d+)*(?: Mobile\/\w+)? Safari\//],
];

export function browserName(userAgent: string): string | undefined {
  for (const [name, version] of BROWSERS) {
    const major = version.exec(userAgent)?.[1];
    if (major) return `${name} ${major}`;
  }
  return undefined;
}
