/**
 * The e-mails keep the glossary (src/i18n/glossary.<lang>.yaml): the confirmation and the team's
 * e-mail of every kind of request, in both languages, with every deadline, as composeMail builds them.
 */
import { describe, expect, it } from "vitest";
import { REQUEST_TYPES } from "../../src/domain/request-types";
import type { Lang } from "../../src/domain/schemas/common";
import { composeMail, composeRatingMail } from "../../server/mail-content";
import type { Receipt } from "../../server/store";
import { describeViolations, findViolations, readGlossary } from "../setup/glossary";
import { VALID, testContent } from "./helpers/service";

const DEADLINES = { firstResponse: "2026-11-23T12:00:00+03:00", processing: "2026-11-23T18:00:00+03:00", resolution: "2026-11-25T18:00:00+03:00", workStart: "2026-11-23T18:00:00+03:00" };

describe.each(["en", "ru"] as const)("e-mails in %s", (lang: Lang) => {
  const glossary = readGlossary(lang);

  it.each(REQUEST_TYPES)("keep the glossary for a %s request", (type) => {
    const fields = Object.fromEntries(Object.entries(VALID[type]).map(([name, value]) => [name, String(value)]));
    const receipt: Receipt = { version: 1, id: "W-7K3F9QXM", type, lang, ...(fields.project ? { project: fields.project } : {}), receivedAt: "2026-11-23T10:00:00+03:00", deadlines: DEADLINES };
    const setup = { mailFrom: "forms@agency.example", mailTeam: "team@agency.example", teamLang: lang };
    const links = { status: `http://localhost:4321/${lang}/request/status/?id=W-7K3F9QXM&key=test-key` };
    const mails = [
      ...(["client", "team"] as const).map((kind) => composeMail(kind, receipt, { fields, attachments: [] }, testContent, setup, links)),
      composeRatingMail({ id: receipt.id, project: receipt.project, day: "2026-11-25", score: 4, comment: "Fine." }, receipt, testContent, setup),
    ];
    const problems = mails.flatMap((mail) => describeViolations(`${mail.kind} e-mail, ${type}, ${lang}`, findViolations(glossary, `${mail.subject}\n${mail.text}`)));
    expect(problems).toEqual([]);
  });

  it("keep the glossary for an article's feedback (the team's e-mail: there is no other)", () => {
    const receipt: Receipt = { version: 1, id: "F-7K3F9QXM", type: "feedback", lang, receivedAt: "2026-11-23T10:00:00+03:00", deadlines: {} };
    const setup = { mailFrom: "forms@agency.example", mailTeam: "team@agency.example", teamLang: lang };
    const mail = composeMail("team", receipt, { fields: { article: "warranty", comment: "Nothing on night outages." }, attachments: [] }, testContent, setup, { status: "https://portal.example/en/request/status/" });
    expect(mail.text, "every label translated").not.toMatch(/\b(feedback|field)\.[\w.]+/);
    expect(describeViolations(`team e-mail, feedback, ${lang}`, findViolations(glossary, `${mail.subject}\n${mail.text}`))).toEqual([]);
    expect(() => composeMail("client", receipt, { fields: {}, attachments: [] }, testContent, setup, { status: "https://portal.example/en/request/status/" })).toThrow(/no client e-mail/);
  });
});
