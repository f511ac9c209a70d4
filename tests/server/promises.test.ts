/**
 * The deadlines a request is promised are exactly those of the fixture's promises file
 * (tests/fixtures/content/promises.yaml: the same working day and 3 working days for a standard
 * warranty claim, 90 minutes outside the night for support and an outage without an SLA, the SLA's
 * own target with one, the start of work "as a rule, in simple cases" for the development warranty,
 * nothing for prevention, extension and consultation) — in the API's answer, on the receipt page and
 * in both e-mails, delivered through a real SMTP server.
 */
import { describe, expect, it } from "vitest";
import { RECEIPT } from "../../src/domain/requests";
import { MONDAY_MORNING, PUBLIC_ORIGIN, VALID } from "./helpers/service";
import { serviceWithSink } from "./helpers/service-with-sink";
import type { ReceivedMail } from "./helpers/smtp-sink";

const running = serviceWithSink();

type Accepted = { id: string; receivedAt: string; deadlines: Record<string, string>; qualifiers: Record<string, string> };

/** Posts at Monday 23 November 2026, 10:00:05 Moscow time (the token wait is 5 s), and reads the 202. */
async function accepted(fields: Record<string, unknown>): Promise<Accepted> {
  running.service.clock.set(MONDAY_MORNING);
  const response = await running.service.post(fields);
  expect(response.status).toBe(202);
  const body = (await response.json()) as Accepted;
  expect(body.receivedAt).toBe("2026-11-23T10:00:05+03:00");
  return body;
}

/** The text parts of the team's and the client's e-mails of a request, once sent. */
async function mailTexts(id: string): Promise<{ team: string; client: string }> {
  await running.service.sender.runDue();
  const text = (kind: "team" | "client") => {
    const mail: ReceivedMail | undefined = running.sink.received.find((received) => received.messageId === `<${id}.${kind}@agency.example>`);
    if (!mail) throw new Error(`no ${kind} mail for ${id}`);
    return (mail.parsed.text ?? "").replace(/\s+/g, " ");
  };
  return { team: text("team"), client: text("client") };
}

const DEVELOPMENT_WARRANTY = { ...VALID.warranty, project: "dev-crm" };
const OUTAGE_WITHOUT_SLA = { ...VALID.incident, project: "test-shop" };

describe("the promised deadlines", () => {
  it.each([
    ["a standard warranty claim", VALID.warranty, { processing: "2026-11-23T18:00:00+03:00", resolution: "2026-11-26T10:00:05+03:00" }],
    ["a development warranty claim", DEVELOPMENT_WARRANTY, { workStart: "2026-11-23T18:00:00+03:00" }],
    ["a support request", VALID.support, { firstResponse: "2026-11-23T11:30:05+03:00" }],
    ["an outage on a project with an SLA (30 minutes)", VALID.incident, { firstResponse: "2026-11-23T10:30:05+03:00" }],
    ["an outage on a project without an SLA", OUTAGE_WITHOUT_SLA, { firstResponse: "2026-11-23T11:30:05+03:00" }],
    ["a prevention order", VALID.prevention, {}],
    ["a warranty extension", VALID.extension, {}],
    ["a consultation", VALID.consultation, {}],
  ])("are exactly the promised ones for %s", async (_label, fields, expected) => {
    const body = await accepted(fields);
    expect(body.deadlines).toEqual(expected);
    expect(body.qualifiers).toEqual(fields === DEVELOPMENT_WARRANTY ? { workStart: "asARuleInSimpleCases" } : {});
  });

  it("say 'as a rule, in simple cases' with the development warranty's start of work in the receipt and both e-mails", async () => {
    running.service.clock.set(MONDAY_MORNING);
    const response = await running.service.post({ ...DEVELOPMENT_WARRANTY, lang: "en" }, { as: "urlencoded", accept: "text/html", headers: { Origin: PUBLIC_ORIGIN } });
    const id = new URL(response.url).searchParams.get(RECEIPT.idParam)!;
    expect(id).toMatch(/^W-/);
    expect(await response.text()).toContain("<dt>An engineer starts on it by</dt><dd>Monday, 23 November 2026 at 18:00 Moscow time (as a rule, in simple cases)</dd>");
    const { team, client } = await mailTexts(id);
    expect(client).toContain("An engineer starts on it by: Monday, 23 November 2026 at 18:00 Moscow time (as a rule, in simple cases)");
    expect(team).toContain("Специалист приступит до: понедельник, 23 ноября 2026 г. в 18:00 по московскому времени (как правило, в простых случаях)");
    for (const text of [team, client]) expect(text).not.toMatch(/Resolved by|Решим до|Taken into work by|Возьмём в работу до/);
  });

  it("give a standard warranty claim no qualifier: its terms make both deadlines unconditional", async () => {
    const { id } = await accepted(VALID.warranty);
    const { client } = await mailTexts(id);
    expect(client).toContain("Решим до: четверг, 26 ноября 2026 г. в 10:00 по московскому времени");
    expect(client).not.toContain("как правило");
  });

  it("are none for a prevention order: the receipt and the client's e-mail say so and what happens next", async () => {
    running.service.clock.set(MONDAY_MORNING);
    const response = await running.service.post(VALID.prevention, { as: "urlencoded", accept: "text/html", headers: { Origin: PUBLIC_ORIGIN } });
    const id = new URL(response.url).searchParams.get(RECEIPT.idParam)!;
    const page = await response.text();
    const none = "Для заявок этого вида сроки не установлены. Мы согласуем с вами тариф; профилактика оформляется дополнительным соглашением к договору.";
    expect(page).toContain(none);
    const { team, client } = await mailTexts(id);
    expect(client).toContain(none);
    // The one time in it is when the request arrived: no deadline.
    expect(client.match(/по московскому времени/g)).toHaveLength(1);
    expect(client).toContain("Получена: понедельник, 23 ноября 2026 г. в 10:00 по московскому времени");
    expect(team).not.toMatch(/до: .* по московскому времени/);
  });

  it("fall back to 'the timing follows' only where a deadline is promised but cannot be computed", async () => {
    running.service.clock.set(Date.parse("2028-03-01T12:00:00+03:00")); // no production calendar for 2028 in the fixture
    const response = await running.service.post({ ...VALID.warranty, lang: "en" });
    const { id, deadlines } = (await response.json()) as Accepted;
    expect(deadlines).toEqual({});
    const { client } = await mailTexts(id);
    expect(client).toContain("We will tell you the timing after we have looked at the request.");
    expect(client).not.toContain("No deadline is promised");
  });
});
