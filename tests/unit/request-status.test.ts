/**
 * The state of a request as its status page says it (src/domain/request-status.ts), from what the
 * spool and the published change log hold, and the satisfaction figures of the SLA report.
 */
import { describe, expect, it } from "vitest";
import { deadlineProgress, oldestKeptRatingDay, requestState, satisfactionByMonth, type DeliveryFacts, type Resolution } from "../../src/domain/request-status";
import { loadServerContent } from "../../src/lib/content-files";
import { FIXTURE } from "../setup/sites";

const RESOLUTION: Resolution = { ticket: "S-2HVN8C5R", project: "fx-shop", entry: "2026-11-05-platform-update", title: "Platform core updated", date: "2026-11-05", hours: 3, lang: "en" };

describe("requestState", () => {
  it.each<[string, DeliveryFacts, Resolution | undefined, string]>([
    ["queued, nothing sent yet", { folder: "queue", team: { status: "queued" } }, undefined, "waiting"],
    ["being sent", { folder: "queue", team: { status: "sending" } }, undefined, "waiting"],
    ["quarantined (told nothing)", { folder: "quarantine" }, undefined, "waiting"],
    ["team e-mail sent, confirmation pending", { folder: "queue", team: { status: "sent" } }, undefined, "delivered"],
    ["done", { folder: "done", team: { status: "sent" } }, undefined, "delivered"],
    ["team e-mail failed once, to be retried", { folder: "queue", team: { status: "queued", lastError: "ECONNREFUSED" } }, undefined, "delayed"],
    ["dead letter", { folder: "dead", team: { status: "dead", lastError: "EENVELOPE" } }, undefined, "delayed"],
    ["resolved in the change log", { folder: "done", team: { status: "sent" } }, RESOLUTION, "resolved"],
    ["resolved although the e-mail failed (the team had it another way)", { folder: "dead", team: { status: "dead" } }, RESOLUTION, "resolved"],
  ])("%s → %s", (_name, delivery, resolution, kind) => {
    expect(requestState(delivery, resolution).kind).toBe(kind);
  });
});

describe("deadlineProgress", () => {
  const deadline = "2026-11-23T18:00:00+03:00";
  const at = (iso: string) => Date.parse(iso);
  it("counts the whole minutes left, says when the time has passed, and stops once the request is done", () => {
    expect(deadlineProgress(deadline, at("2026-11-23T16:29:30+03:00"), { kind: "delivered" })).toEqual({ kind: "left", minutes: 90 });
    expect(deadlineProgress(deadline, at("2026-11-23T18:00:00+03:00"), { kind: "waiting" })).toEqual({ kind: "left", minutes: 0 });
    expect(deadlineProgress(deadline, at("2026-11-23T18:01:00+03:00"), { kind: "delivered" })).toEqual({ kind: "passed" });
    expect(deadlineProgress(deadline, at("2026-11-30T00:00:00+03:00"), { kind: "resolved", resolution: RESOLUTION })).toEqual({ kind: "met" });
  });
});

describe("satisfactionByMonth", () => {
  it("counts and averages the answers per month, newest month first", () => {
    const ratings = [
      { day: "2026-10-31", score: 3 },
      { day: "2026-11-01", score: 5 },
      { day: "2026-11-30", score: 4 },
      { day: "2026-11-15", score: 2 },
    ];
    expect(satisfactionByMonth(ratings)).toEqual([
      { month: "2026-11", count: 3, average: 11 / 3 },
      { month: "2026-10", count: 1, average: 3 },
    ]);
    expect(satisfactionByMonth([])).toEqual([]);
  });

  it("keeps answers for the days of the retention, today included", () => {
    expect(oldestKeptRatingDay("2026-11-20", 1)).toBe("2026-11-20");
    expect(oldestKeptRatingDay("2026-03-01", 2)).toBe("2026-02-28");
    expect(oldestKeptRatingDay("2028-03-01", 2)).toBe("2028-02-29");
  });
});

describe("resolutions from the content folder", () => {
  it("are the published change-log entries naming a ticket, with the entry's project, anchor, title, date and hours", () => {
    const { resolutions } = loadServerContent(FIXTURE.content);
    expect(resolutions.get("S-2HVN8C5R")).toEqual({
      ticket: "S-2HVN8C5R",
      project: "fx-shop",
      entry: "2026-11-05-platform-update",
      title: "Platform core updated to the autumn release",
      date: "2026-11-05",
      hours: 3,
      lang: "en",
    });
    expect(resolutions.get("S-7DLQ2M4K")).toMatchObject({ project: "fx-private", entry: "2026-06-16-carrier-rating" });
    expect(resolutions.has("S-NOTNAMED")).toBe(false);
  });
});
