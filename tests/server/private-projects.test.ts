/**
 * A private project's requests (audit D-15): the form service takes a private project only with
 * its own capability token, which its forms under the capability URL send. Without it, with another
 * token, or with a token for a public project the request is refused with 422, nothing is stored
 * and nothing is sent, and the answer is the one an unknown slug gets (the form is no slug oracle).
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PRIVATE_TOKEN, VALID } from "./helpers/service";
import { serviceWithSink } from "./helpers/service-with-sink";

const running = serviceWithSink();

const stored = async () => (await Promise.all(["queue", "quarantine", "done", "dead", "tmp"].map((folder) => readdir(path.join(running.service.config.spoolDir, folder)).catch(() => [])))).flat().length;
/** What a request naming no project the service knows is answered. */
const unknownSlugAnswer = async () => (await running.service.post({ ...VALID.support, project: "no-such-project" })).json();

describe("a private project's requests", () => {
  it("are taken with the project's own token, and e-mailed to its team", async () => {
    const response = await running.service.post({ ...VALID.support, project: "hidden-crm", projectAccess: PRIVATE_TOKEN });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await running.service.sender.runDue();
    const team = running.sink.received.find((mail) => mail.messageId === `<${id}.team@agency.example>`);
    expect(team?.recipients).toEqual(["hidden-crm-team@agency.example"]);
    expect(team?.parsed.subject).toContain("Скрытая CRM"); // the team may read which project it is
  });

  it.each([
    ["no token", {}, "project"],
    ["a forged token", { projectAccess: "forgedT0kenAbcdefghijklmnopqrstuvw" }, "project"],
    ["its token cut short", { projectAccess: PRIVATE_TOKEN.slice(0, -1) }, "project"],
    ["a token with a character outside the alphabet", { projectAccess: `${PRIVATE_TOKEN.slice(0, -1)}!` }, "projectAccess"],
  ])("are refused with %s: 422, nothing stored, nothing sent", async (_case, extra, field) => {
    const [before, mails] = [await stored(), running.sink.received.length];
    for (const as of ["json", "urlencoded", "multipart"] as const) {
      const response = await running.service.post({ ...VALID.support, project: "hidden-crm", ...extra }, { as });
      expect(response.status, as).toBe(422);
      const body = (await response.json()) as { issues: { path: string }[] };
      expect(body.issues.map((issue) => issue.path), as).toEqual([field]);
    }
    await running.service.sender.runDue();
    expect(await stored()).toBe(before);
    expect(running.sink.received.length).toBe(mails);
  });

  it("answer a missing or wrong token exactly as an unknown slug, so the form reveals no private slug", async () => {
    const answers = await Promise.all(
      [
        { project: "hidden-crm" },
        { project: "hidden-crm", projectAccess: "forgedT0kenAbcdefghijklmnopqrstuvw" },
        { project: "no-such-project" },
        { project: "no-such-project", projectAccess: PRIVATE_TOKEN },
      ].map(async (fields) => {
        const response = await running.service.post({ ...VALID.support, ...fields });
        return { status: response.status, body: await response.json() };
      }),
    );
    const unknown = await unknownSlugAnswer();
    expect(unknown).toMatchObject({ error: "validation", issues: [{ path: "project" }] });
    for (const answer of answers) expect(answer).toEqual({ status: 422, body: unknown });
  });

  it("lend their token to no other project: a public project named with it is refused", async () => {
    const before = await stored();
    const response = await running.service.post({ ...VALID.support, project: "test-shop", projectAccess: PRIVATE_TOKEN });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual(await unknownSlugAnswer());
    expect(await stored()).toBe(before);
  });
});
