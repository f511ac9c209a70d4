/**
 * The MDX of change-log entries and prevention visits, rendered by Astro's own Markdown processor with
 * the plugins the records loader adds (src/markdown/entry-components.ts): the components become
 * their markup, pictures become Astro images, and what the pipeline cannot render is a problem with
 * its line, for the content check.
 */
import { createMarkdownProcessor } from "@astrojs/markdown-remark";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTRY_MDX_PLUGINS, entryBodyProblems, isPlainMarkdown } from "../../src/markdown/entry-components";

let render: (body: string, lang?: string) => Promise<{ html: string; images: string[] }>;

beforeAll(async () => {
  const processor = await createMarkdownProcessor({ remarkPlugins: ENTRY_MDX_PLUGINS });
  render = async (body, lang = "en") => {
    const { code, metadata } = await processor.render(body, { frontmatter: { lang }, fileURL: pathToFileURL("/content/projects/p/changelog/2026-11-10-x.mdx") } as never);
    return { html: code, images: metadata.localImagePaths };
  };
});

const IMPORTS = 'import before from "./img/before.png";\nimport after from "./img/after.png";\n';

describe("rendering an entry's MDX", () => {
  it("renders a one-line note as the note, not inside a paragraph, with its Markdown", async () => {
    const { html } = await render("Text.\n\n<Note>Tell us **before** the sale.</Note>\n");
    expect(html).toBe('<p>Text.</p>\n<div class="note" role="note">Tell us <strong>before</strong> the sale.</div>');
  });

  it("renders a note written over several lines with its paragraphs and lists", async () => {
    const { html } = await render("<Note>\n  First.\n\n  - one\n  - two\n</Note>\n");
    expect(html).toBe('<div class="note" role="note"><p>First.</p><ul>\n<li>one</li>\n<li>two</li>\n</ul></div>');
  });

  it("renders imported before/after pictures as Astro images, captions in the entry's language", async () => {
    const body = `${IMPORTS}\n<BeforeAfter before={before} after={after} beforeAlt="Slow" afterAlt="Fast" caption="Measured twice." />\n`;
    const en = await render(body, "en");
    const ru = await render(body, "ru");
    expect(en.images).toEqual(["./img/before.png", "./img/after.png"]);
    // Astro replaces __ASTRO_IMAGE_ with the published, hashed picture when the page renders.
    expect(en.html).toBe(
      '<figure class="before-after"><div class="before-after__pair">' +
        '<figure><img __ASTRO_IMAGE_="{&#x22;src&#x22;:&#x22;./img/before.png&#x22;,&#x22;alt&#x22;:&#x22;Slow&#x22;,&#x22;index&#x22;:0}"><figcaption>Before</figcaption></figure>' +
        '<figure><img __ASTRO_IMAGE_="{&#x22;src&#x22;:&#x22;./img/after.png&#x22;,&#x22;alt&#x22;:&#x22;Fast&#x22;,&#x22;index&#x22;:0}"><figcaption>After</figcaption></figure>' +
        "</div><figcaption>Measured twice.</figcaption></figure>",
    );
    expect(ru.html).toContain("<figcaption>До</figcaption>");
    expect(ru.html).toContain("<figcaption>После</figcaption>");
  });

  it("takes pictures under public/ by path and escapes the texts", async () => {
    const { html, images } = await render('<BeforeAfter before="/shots/a.png" after="/shots/b.png" beforeAlt="x" afterAlt="a &quot;b&quot; <c>" />\n');
    expect(images).toEqual([]);
    expect(html).toContain('<img src="/shots/a.png" alt="x">');
    expect(html).toContain('<img src="/shots/b.png" alt="a &#x22;b&#x22; <c>">');
  });

  it("renders comments and imports as nothing", async () => {
    const { html } = await render(`${IMPORTS}\n{/* a note for the next engineer */}\n\nDone.\n`);
    expect(html).toBe("<p>Done.</p>");
  });

  it("sends only bodies with MDX syntax through remark-mdx", () => {
    expect(isPlainMarkdown("Plain *text* with a [link](https://example.com).\n\n- a list\n")).toBe(true);
    for (const body of ["<Note>x</Note>", "{/* c */}", 'import a from "./a.png";', "text\n\n    indented"]) expect(isPlainMarkdown(body), body).toBe(false);
  });
});

describe("problems in an entry's MDX", () => {
  it.each([
    ["<Chart data={x} />", 1, "<Chart> is not something an entry can use: only <Note> and <BeforeAfter>"],
    ["Text.\n\n<div>raw</div>", 3, "<div> is not something an entry can use"],
    ["Costs {price * 2}.", 1, "`{price * 2}` is an expression; write \\{ for a brace in text"],
    ['import Chart from "../../chart.astro";', 1, '`import Chart from "../../chart.astro";`: an entry may only import pictures'],
    ["export const x = 1;", 1, "`export const x = 1;`: an entry may only import pictures"],
    ['<BeforeAfter before="/a.png" after="/b.png" beforeAlt="a" />', 1, '<BeforeAfter> needs afterAlt="…"'],
    ['<BeforeAfter before="/a.png" after="/b.png" beforeAlt="a" afterAlt="b" size="big" />', 1, '<BeforeAfter> has no attribute "size"'],
    ['<BeforeAfter before="/a.png" after="/b.png" beforeAlt={alt} afterAlt="b" />', 1, "<BeforeAfter> beforeAlt: give text in quotes"],
    ['<BeforeAfter before={shot} after="/b.png" beforeAlt="a" afterAlt="b" />', 1, "<BeforeAfter> before={shot}: import the picture at the top of the body"],
    ['<BeforeAfter before="/a.png" after="/b.png" beforeAlt="a" afterAlt="b">text</BeforeAfter>', 1, "<BeforeAfter> takes no content"],
    ['<Note {...props}>x</Note>', 1, "<Note>: `{...props}` spreads an expression"],
    ["<Note>unclosed", 1, "not valid MDX"],
  ])("%j: line %i", (body, line, reason) => {
    const problems = entryBodyProblems(body);
    expect(problems.some((problem) => problem.line === line && problem.reason.startsWith(reason)), JSON.stringify(problems)).toBe(true);
  });

  it("finds nothing in what an entry may write", () => {
    expect(entryBodyProblems(`${IMPORTS}\n{/* c */}\n\n<BeforeAfter before={before} after={after} beforeAlt="a" afterAlt="b" />\n\n<Note>**x**</Note>\n`)).toEqual([]);
  });
});
