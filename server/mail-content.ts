/**
 * The two e-mails of a request, built from the spool entry and the content:
 * - team: everything the client sent (text part verbatim, HTML part escaped), Reply-To the client's
 *   bare address, attachments, subject with id, type and project, and a warning first when the
 *   form carried no valid token;
 * - client: a confirmation in their language with the id, the time of receipt, the deadlines and
 *   the WhatsApp link, Reply-To the agency's public contact address from the settings. It repeats
 *   none of the client's free text or URLs, so the form cannot be used to send arbitrary content to
 *   arbitrary addresses, and never names a private project (anyone may type any address).
 * An article's feedback (type `feedback`) has only the team's e-mail: the article, its link and the
 * comment, with no Reply-To, since nobody is asked for an address.
 * - rating: a client's answer to "How did we do?" for the team: the request's id, type and project,
 *   the score and the comment (text part verbatim, HTML part escaped); the headers carry only the
 *   validated id and score, never the client's words.
 * The client's confirmation also carries the request's private status link (status-link.ts).
 * Addresses are `{ name, address }` objects from validated fields, never raw strings.
 */
import type { Rating } from "../src/domain/request-status";
import { FIELD_KIND, requestFields, type RequestField, type RequestType } from "../src/domain/requests";
import type { Lang } from "../src/domain/schemas/common";
import { dictionaries } from "../src/i18n";
import type { ServerContent } from "../src/lib/content-files";
import type { Attachment, EntryState, LoadedRequest, MailKind, Receipt } from "./store";
import { deadlineRows, escapeHtml, moscowTime, noDeadlineText, receiptRows, translator, type Row } from "./text";

export type MailAddress = { name: string; address: string };
export type MailMessage = {
  kind: MailKind | "operator" | "rating";
  requestId: string;
  /** Stable per request and kind, so a re-send after a crash is recognisably the same message. */
  messageId: string;
  from: MailAddress;
  to: MailAddress[];
  replyTo?: MailAddress;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: Attachment[];
};

export type MailSetup = { mailFrom: string; mailTeam: string; teamLang: Lang };
export type OperatorSetup = MailSetup & { operatorEmail: string };

type Section = { heading?: string; lines?: string[]; rows?: Row[] };

/** Fields the confirmation may repeat: choices the form offered, not the client's own words. */
const ECHOED_KINDS = new Set<string>(["project", "choice", "date", "dateTime"]);

/** Links the e-mails carry: the request's status page (absolute, on the site's origin). */
export type MailLinks = { status: string };

export function composeMail(kind: MailKind, receipt: Receipt, request: LoadedRequest, content: ServerContent, setup: MailSetup, links: MailLinks): MailMessage {
  const lang = kind === "team" ? setup.teamLang : receipt.lang;
  const { subject, to, replyTo, sections, headers } = composed(kind, receipt, request, content, setup, links);
  return {
    kind,
    requestId: receipt.id,
    messageId: messageIdFor(receipt.id, kind, setup.mailFrom),
    from: { name: content.settings.agencyName[lang], address: setup.mailFrom },
    to,
    ...(replyTo ? { replyTo } : {}),
    subject,
    text: renderText(sections),
    html: renderHtml(sections, lang),
    headers: { "X-Form-Request-Id": receipt.id, ...headers },
    attachments: kind === "team" ? request.attachments : [],
  };
}

function composed(kind: MailKind, receipt: Receipt, request: LoadedRequest, content: ServerContent, setup: MailSetup, links: MailLinks): Composed {
  const { type } = receipt;
  if (type !== "feedback") return kind === "team" ? teamMail({ ...receipt, type }, request, content, setup) : clientMail({ ...receipt, type }, request, content, links);
  // Nobody is asked for an address, so the spool suppresses the confirmation of feedback from the start.
  if (kind === "client") throw new Error(`${receipt.id}: article feedback has no client e-mail`);
  return feedbackTeamMail(receipt, request, content, setup);
}

/** Stable per request and kind, in the sender's domain. */
function messageIdFor(id: string, kind: MailMessage["kind"], mailFrom: string): string {
  return `<${id}.${kind}@${mailFrom.split("@")[1]}>`;
}

type Composed = { subject: string; to: MailAddress[]; replyTo?: MailAddress; sections: Section[]; headers: Record<string, string> };

function teamMail(receipt: Receipt & { type: RequestType }, request: LoadedRequest, content: ServerContent, setup: MailSetup): Composed {
  const lang = setup.teamLang;
  const t = translator(lang);
  const project = receipt.project ? content.projects.get(receipt.project) : undefined;
  const type = t(`requestType.${receipt.type}`);
  const subject = receipt.project
    ? t("mail.team.subject", { id: receipt.id, type, project: project?.name[lang] ?? receipt.project })
    : t("mail.team.subjectNoProject", { id: receipt.id, type });
  const contact: RequestField[] = ["name", "email", "phone"];
  const own = requestFields(receipt.type).filter((field) => !contact.includes(field));
  const attachments = request.attachments.map((attachment) => attachment.name);
  return {
    subject,
    to: (project?.team ?? [setup.mailTeam]).map((address) => ({ name: "", address })),
    // No display name: a name like `Director <director@agency.example>` would pose as another sender.
    replyTo: { name: "", address: request.fields.email ?? "" },
    headers: {},
    sections: [
      { lines: [...(receipt.formToken ? [t(`mail.team.formToken.${receipt.formToken}`)] : []), t("mail.team.intro")] },
      { rows: receiptRows(receipt, lang) },
      {
        heading: t("mail.team.client"),
        rows: [...fieldRows(contact, request, content, lang), { label: t("field.lang.label"), value: dictionaries[receipt.lang]["lang.name"] }],
      },
      { heading: t("mail.team.request"), rows: fieldRows(own, request, content, lang) },
      ...(attachments.length ? [{ heading: t("mail.attachments", { count: attachments.length }), lines: attachments }] : []),
    ],
  };
}

function clientMail(receipt: Receipt & { type: RequestType }, request: LoadedRequest, content: ServerContent, links: MailLinks): Composed {
  const lang = receipt.lang;
  const t = translator(lang);
  const isPrivate = receipt.project !== undefined && content.projects.get(receipt.project)?.visibility !== "public";
  const echoed = requestFields(receipt.type).filter((field) => ECHOED_KINDS.has(FIELD_KIND[field]) && !(isPrivate && FIELD_KIND[field] === "project"));
  const { whatsapp, email } = content.settings.contacts;
  return {
    subject: t("mail.client.subject", { id: receipt.id }),
    // Not even the name as the display name: anyone may type a victim's address into the form.
    to: [{ name: "", address: request.fields.email ?? "" }],
    // A reply reaches people who read it: the agency's published address, never one the client typed.
    replyTo: { name: "", address: email },
    headers: { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All" },
    sections: [
      { lines: [t("mail.client.greeting"), t("mail.client.intro", { id: receipt.id, type: t(`requestType.${receipt.type}`) })] },
      { rows: [{ label: t("received.receivedAt"), value: moscowTime(receipt.receivedAt, lang) }] },
      { heading: t("received.deadlines"), ...deadlineSection(receipt, content, lang) },
      {
        heading: t("mail.client.summary"),
        rows: [
          ...fieldRows(echoed, request, content, lang),
          ...(request.attachments.length ? [{ label: t("field.attachments.label"), value: String(request.attachments.length) }] : []),
        ],
        lines: [t("mail.client.fullText")],
      },
      { rows: [{ label: t("status.link"), value: links.status, href: links.status }], lines: [t("status.linkNote")] },
      { rows: [{ label: t("received.whatsapp"), value: whatsapp, href: whatsapp }] },
      { lines: [t("mail.client.notYou"), content.settings.agencyName[lang]] },
    ],
  };
}

/** What an article was missing, for the team: which article (with its link on the site), in which language, the comment. */
function feedbackTeamMail(receipt: Receipt, request: LoadedRequest, content: ServerContent, setup: MailSetup): Composed {
  const t = translator(setup.teamLang);
  const article = request.fields.article ?? "";
  const link = `${content.settings.siteUrl.replace(/\/$/, "")}/${receipt.lang}/${article}/`;
  return {
    subject: t("feedback.mail.subject", { id: receipt.id, article }),
    to: [{ name: "", address: setup.mailTeam }],
    headers: {},
    sections: [
      { lines: [...(receipt.formToken ? [t(`mail.team.formToken.${receipt.formToken}`)] : []), t("feedback.mail.intro")] },
      { rows: receiptRows(receipt, setup.teamLang) },
      {
        rows: [
          { label: t("field.article.label"), value: link, href: link },
          { label: t("field.lang.label"), value: dictionaries[receipt.lang]["lang.name"] },
          { label: t("feedback.mail.comment"), value: request.fields.comment ?? "", long: true },
        ],
      },
    ],
  };
}

function deadlineSection(receipt: Receipt, content: ServerContent, lang: Lang): Section {
  const rows = deadlineRows(receipt, lang);
  return rows.length ? { rows } : { lines: [noDeadlineText(receipt, content, lang)] };
}

/** A field's value as people read it: option labels, project names, dates without the `T`. */
function fieldRows(fields: RequestField[], request: LoadedRequest, content: ServerContent, lang: Lang): Row[] {
  const t = translator(lang);
  return fields.flatMap((field) => {
    const value = request.fields[field];
    if (value === undefined) return [];
    const kind = FIELD_KIND[field];
    const project = kind === "project" ? content.projects.get(value) : undefined;
    const shown =
      kind === "choice" ? t(`option.${field}.${value}`)
      : kind === "dateTime" ? value.replace("T", " ")
      : project ? `${project.name[lang]} (${value})`
      : value;
    return [{ label: t(`field.${field}.label`), value: shown, long: kind === "longText" }];
  });
}

/**
 * Tells the operator a request is dead-lettered: its id, type, project and the error code, and the
 * commands to see and resend it; nothing the client wrote (the entry in the spool has it).
 */
export function composeDeadLetterNotice(receipt: Receipt, state: EntryState, content: ServerContent, setup: OperatorSetup): MailMessage {
  const lang = setup.teamLang;
  const t = translator(lang);
  const sections: Section[] = [
    { lines: [t("mail.operator.intro", { id: receipt.id, error: state.team.lastError ?? "?" })] },
    { rows: [...receiptRows(receipt, lang), ...(receipt.project ? [{ label: t("field.project.label"), value: receipt.project }] : [])] },
    { lines: [t("mail.operator.action", { id: receipt.id })] },
  ];
  return {
    kind: "operator",
    requestId: receipt.id,
    messageId: messageIdFor(receipt.id, "operator", setup.mailFrom),
    from: { name: content.settings.agencyName[lang], address: setup.mailFrom },
    to: [{ name: "", address: setup.operatorEmail }],
    subject: t("mail.operator.subject", { id: receipt.id }),
    text: renderText(sections),
    html: renderHtml(sections, lang),
    headers: { "X-Form-Request-Id": receipt.id, "Auto-Submitted": "auto-generated" },
    attachments: [],
  };
}

/** A client's answer to "How did we do?", for the project's team (or MAIL_TEAM), in the team's language. */
export function composeRatingMail(rating: Rating, receipt: Receipt, content: ServerContent, setup: MailSetup): MailMessage {
  const lang = setup.teamLang;
  const t = translator(lang);
  const project = rating.project ? content.projects.get(rating.project) : undefined;
  const score = String(rating.score);
  const subject = project ? t("status.mail.subjectProject", { id: rating.id, score, project: project.name[lang] }) : t("status.mail.subject", { id: rating.id, score });
  const sections: Section[] = [
    { lines: [t("status.mail.intro", { id: rating.id, score })] },
    { rows: [...receiptRows(receipt, lang), ...(project ? [{ label: t("field.project.label"), value: `${project.name[lang]} (${rating.project})` }] : [])] },
    rating.comment ? { rows: [{ label: t("status.mail.comment"), value: rating.comment, long: true }] } : { lines: [t("status.mail.noComment")] },
  ];
  return {
    kind: "rating",
    requestId: rating.id,
    messageId: messageIdFor(rating.id, "rating", setup.mailFrom),
    from: { name: content.settings.agencyName[lang], address: setup.mailFrom },
    to: (project?.team ?? [setup.mailTeam]).map((address) => ({ name: "", address })),
    subject,
    text: renderText(sections),
    html: renderHtml(sections, lang),
    headers: { "X-Form-Request-Id": rating.id, "Auto-Submitted": "auto-generated" },
    attachments: [],
  };
}

function renderText(sections: Section[]): string {
  return sections
    .map(({ heading, lines = [], rows = [] }) =>
      [
        ...(heading ? [heading, "-".repeat(heading.length)] : []),
        ...rows.map(({ label, value, long }) => (long ? `${label}:\n${value}\n` : `${label}: ${value}`)),
        ...lines,
      ].join("\n"),
    )
    .join("\n\n")
    .concat("\n");
}

function renderHtml(sections: Section[], lang: Lang): string {
  const row = ({ label, value, href }: Row) => {
    const shown = href ? `<a href="${escapeHtml(href)}">${escapeHtml(value)}</a>` : escapeHtml(value);
    return `<tr><th align="left" valign="top" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td style="white-space:pre-wrap">${shown}</td></tr>`;
  };
  const section = ({ heading, lines = [], rows = [] }: Section) =>
    [
      heading ? `<h3>${escapeHtml(heading)}</h3>` : "",
      rows.length ? `<table>${rows.map(row).join("")}</table>` : "",
      ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ].join("");
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;line-height:1.5">${sections.map(section).join("")}</body></html>`;
}
