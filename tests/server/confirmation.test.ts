/**
 * The client's confirmation, as a real SMTP server receives it: the time of receipt, Reply-To the
 * agency's public contact address from the settings (never one the client typed), none of the
 * client's free text, and no private project's slug or name (anyone may type any address into a
 * form). The team's copy keeps all of it.
 */
import { describe, expect, it } from "vitest";
import { FIELD_KIND, requestFields } from "../../src/domain/requests";
import { PRIVATE_TOKEN, VALID, testContent } from "./helpers/service";
import { serviceWithSink } from "./helpers/service-with-sink";
import type { ReceivedMail } from "./helpers/smtp-sink";

const running = serviceWithSink();

/** Sends a request and returns its two e-mails as received. */
async function mailsOf(fields: Record<string, unknown>): Promise<{ id: string; receivedAt: string; team: ReceivedMail; client: ReceivedMail }> {
  const response = await running.service.post(fields);
  expect(response.status).toBe(202);
  const { id, receivedAt } = (await response.json()) as { id: string; receivedAt: string };
  await running.service.sender.runDue();
  const mail = (kind: string) => {
    const found = running.sink.received.find((received) => received.messageId === `<${id}.${kind}@agency.example>`);
    if (!found) throw new Error(`no ${kind} mail for ${id}`);
    return found;
  };
  return { id, receivedAt, team: mail("team"), client: mail("client") };
}

/** Everything a mail says: its raw bytes and its decoded subject, text and HTML. */
const everything = (mail: ReceivedMail) => [mail.raw, mail.parsed.subject ?? "", mail.parsed.text ?? "", mail.parsed.html || ""];

describe("the client's confirmation", () => {
  it("says when the request was received, in Moscow time", async () => {
    const { client } = await mailsOf(VALID.extension); // received Monday 23 November 2026, 10:00:05
    expect(client.parsed.text).toMatch(/^Received: Monday, 23 November 2026(,| at) 10:00 Moscow time$/m);
    expect(client.parsed.html).toContain("Received");
  });

  it("has Reply-To the agency's public contact address, whatever the client typed", async () => {
    const { client, team } = await mailsOf({ ...VALID.support, name: "Reply <boss@evil.example>" });
    expect(client.parsed.replyTo?.value).toEqual([{ address: testContent.settings.contacts.email, name: "" }]);
    expect(client.raw).toMatch(new RegExp(`^Reply-To: ${testContent.settings.contacts.email.replace(".", "\\.")}$`, "m"));
    expect(team.parsed.replyTo?.value).toEqual([{ address: VALID.support.email, name: "" }]); // the team replies to the client
  });

  it("repeats none of the client's own words, in any part or header", async () => {
    const fields: Record<string, unknown> = { ...VALID.warranty };
    const planted: string[] = [];
    for (const field of requestFields("warranty").filter((name) => ["text", "longText", "url"].includes(FIELD_KIND[name]))) {
      const marker = `Planted${field}Words`;
      fields[field] = FIELD_KIND[field] === "url" ? `https://${marker.toLowerCase()}.example/` : marker;
      planted.push(FIELD_KIND[field] === "url" ? marker.toLowerCase() : marker);
    }
    expect(planted.length).toBeGreaterThanOrEqual(5); // name, page URL, login, browser, what happened, what was expected
    const { client, team } = await mailsOf(fields);
    for (const part of everything(client)) for (const marker of planted) expect(part).not.toContain(marker);
    for (const marker of planted) expect(team.parsed.text).toContain(marker);
  });

  it("never names a private project, which the team's copy does", async () => {
    const hidden = testContent.projects.get("hidden-crm")!;
    const { client, team } = await mailsOf({ ...VALID.support, project: "hidden-crm", projectAccess: PRIVATE_TOKEN });
    for (const part of everything(client)) {
      for (const secret of ["hidden-crm", hidden.name.en, hidden.name.ru, PRIVATE_TOKEN]) expect(part).not.toContain(secret);
    }
    expect(team.parsed.text).toContain(hidden.name.ru);
    expect(everything(team).join("")).not.toContain(PRIVATE_TOKEN); // the token is the form's, not part of the request
  });

  it("names a public project the client chose from the list", async () => {
    const { client } = await mailsOf(VALID.support);
    expect(client.parsed.text).toContain(testContent.projects.get("test-shop")!.name.en);
  });
});
