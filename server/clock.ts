/** Time as the service sees it; tests inject a manual clock instead of sleeping. */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };
