/**
 * The MDX a change-log entry or a prevention visit may use, rendered by the Markdown pipeline itself:
 * remark-mdx reads the MDX syntax and `remarkEntryComponents` turns each use of `<Note>` or
 * `<BeforeAfter>` into the elements it stands for. So no entry is compiled into a module of the bundle
 * by the MDX compiler: its HTML is made once, when its file changes, and kept in the content cache.
 * Whatever else MDX would allow (other components, HTML tags, expressions, exports) is refused by the
 * content check (`entryBodyProblems`), naming the line.
 */
import type { Parent, PhrasingContent, Root, RootContent } from "mdast";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { SKIP, visit } from "unist-util-visit";
import type { Lang } from "../domain/schemas/common";
import { useTranslations } from "../i18n";

/** What an entry may write besides Markdown; the README's "Adding and changing content" shows each. */
const COMPONENTS = {
  /** A highlighted note: `<Note>…</Note>`, any Markdown inside. */
  Note: { required: [], optional: [], images: [], children: true },
  /** Two screenshots side by side: images imported at the top of the body, or paths under public/. */
  BeforeAfter: { required: ["before", "after", "beforeAlt", "afterAlt"], optional: ["caption"], images: ["before", "after"], children: false },
} as const;
type ComponentName = keyof typeof COMPONENTS;

/** `import before from "./img/….png";`: the one kind of import an entry needs. */
const IMAGE_IMPORT = /^import\s+([A-Za-z_$][\w$]*)\s+from\s+(["'])(\.\.?\/[^"'\n]+\.(?:png|jpe?g|webp|gif|avif))\2;?$/;
/** `{/* … *\/}`: a comment renders nothing, as in MDX. */
const COMMENT = /^\s*\/\*[\s\S]*\*\/\s*$/;

/** `<Name …>` in a block or in a line of text (remark-mdx adds these node types to mdast). */
type JsxElement = Extract<RootContent, { type: "mdxJsxFlowElement" | "mdxJsxTextElement" }>;
export type BodyProblem = { line: number; reason: string };

const isComponent = (name: string | null | undefined): name is ComponentName => name !== null && name !== undefined && Object.hasOwn(COMPONENTS, name);

/** Every imported image by its name, and what in the tree the pipeline cannot render. */
function inspect(tree: Root): { images: Map<string, string>; problems: BodyProblem[] } {
  const images = new Map<string, string>();
  const problems: BodyProblem[] = [];
  const problem = (node: { position?: { start: { line: number } } }, reason: string) => problems.push({ line: node.position?.start.line ?? 1, reason });
  visit(tree, (node) => {
    if (node.type === "mdxjsEsm") {
      const firstLine = node.position?.start.line ?? 1;
      node.value.split("\n").forEach((line, offset) => {
        const statement = line.trim();
        const match = IMAGE_IMPORT.exec(statement);
        if (match) images.set(match[1]!, match[3]!);
        else if (statement) problems.push({ line: firstLine + offset, reason: `\`${statement}\`: an entry may only import pictures, as \`import before from "./img/….png";\`` });
      });
    } else if ((node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") && !COMMENT.test(node.value)) {
      problem(node, `\`{${node.value}}\` is an expression; write \\{ for a brace in text`);
    } else if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
      if (!isComponent(node.name)) {
        problem(node, `<${node.name ?? ""}> is not something an entry can use: only ${Object.keys(COMPONENTS).map((name) => `<${name}>`).join(" and ")}; write \\< for a "<" in text`);
        return;
      }
      const spec = COMPONENTS[node.name];
      const given = new Set<string>();
      for (const attribute of node.attributes) {
        if (attribute.type !== "mdxJsxAttribute") {
          problem(node, `<${node.name}>: \`{${attribute.value}}\` spreads an expression; give each attribute by name`);
          continue;
        }
        given.add(attribute.name);
        const known = (spec.required as readonly string[]).includes(attribute.name) || (spec.optional as readonly string[]).includes(attribute.name);
        if (!known) problem(node, `<${node.name}> has no attribute "${attribute.name}"`);
        else if (typeof attribute.value === "object" && attribute.value !== null) {
          // Only a picture may be given as {name}; the name is looked up below, once every import is read.
          if (!(spec.images as readonly string[]).includes(attribute.name)) problem(node, `<${node.name}> ${attribute.name}: give text in quotes`);
        } else if (typeof attribute.value !== "string") problem(node, `<${node.name}> ${attribute.name}: give a value`);
      }
      for (const name of spec.required) if (!given.has(name)) problem(node, `<${node.name}> needs ${name}="…"`);
      if (!spec.children && node.children.length > 0) problem(node, `<${node.name}> takes no content: write <${node.name} … />`);
    }
  });
  // A picture given as {name} names an imported one (imports may come anywhere in the body).
  visit(tree, (node) => {
    if ((node.type !== "mdxJsxFlowElement" && node.type !== "mdxJsxTextElement") || !isComponent(node.name)) return;
    for (const attribute of node.attributes) {
      if (attribute.type === "mdxJsxAttribute" && typeof attribute.value === "object" && attribute.value !== null && (COMPONENTS[node.name].images as readonly string[]).includes(attribute.name)) {
        const name = attribute.value.value.trim();
        if (!images.has(name)) problem(node, `<${node.name}> ${attribute.name}={${name}}: import the picture at the top of the body: import ${name} from "./img/….png";`);
      }
    }
  });
  return { images, problems };
}

/** Syntax a Markdown renderer would not read the way MDX does; a body with none of it renders the same either way. */
const MDX_SYNTAX = [
  /^\s*(import|export)\s/m, // ESM: imports of images or components
  /<[A-Za-z/!>]/, // JSX: components and tags (HTML in MDX is JSX, and `<!--` is an error there)
  /[{}]/, // expressions
  /^(\t| {4})/m, // MDX has no indented code blocks (such a line is a paragraph there)
];

/** True when the body of an `.mdx` file renders the same through the Markdown pipeline (the fast path: most entries). */
export function isPlainMarkdown(body: string): boolean {
  return !MDX_SYNTAX.some((pattern) => pattern.test(body));
}

const parser = unified().use(remarkParse).use(remarkMdx);

/** Problems of an `.mdx` entry's body, each with its line in the body; a body MDX cannot parse is one problem. */
export function entryBodyProblems(body: string): BodyProblem[] {
  let tree: Root;
  try {
    tree = parser.parse(body);
  } catch (error) {
    const { line, reason } = error as { line?: number; reason?: string };
    return [{ line: line ?? 1, reason: `not valid MDX: ${reason ?? String(error)}` }];
  }
  return inspect(tree).problems;
}

/** An mdast node that remark-rehype turns into `<tag …props>children</tag>`. */
function element(tag: string, properties: Record<string, unknown>, children: RootContent[]): RootContent {
  return { type: "entryElement", data: { hName: tag, hProperties: properties }, children } as unknown as RootContent;
}
const text = (value: string): PhrasingContent => ({ type: "text", value });

function attributeOf(node: JsxElement, name: string): { text?: string; expression?: string } {
  const attribute = node.attributes.find((candidate) => candidate.type === "mdxJsxAttribute" && candidate.name === name);
  const value = attribute?.value;
  if (typeof value === "string") return { text: value };
  if (value && typeof value === "object") return { expression: value.value.trim() };
  return {};
}

/** `<BeforeAfter>`: the same markup src/styles/global.css lays out as two figures side by side. */
function beforeAfter(node: JsxElement, images: Map<string, string>, lang: Lang): RootContent {
  const t = useTranslations(lang);
  const picture = (which: "before" | "after") => {
    const source = attributeOf(node, which);
    const url = source.text ?? images.get(source.expression!)!;
    return element("figure", {}, [
      { type: "image", url, alt: attributeOf(node, `${which}Alt`).text ?? "" } as RootContent,
      element("figcaption", {}, [text(t(`project.beforeAfter.${which}`))]),
    ]);
  };
  const caption = attributeOf(node, "caption").text;
  return element("figure", { className: ["before-after"] }, [
    element("div", { className: ["before-after__pair"] }, [picture("before"), picture("after")]),
    ...(caption ? [element("figcaption", {}, [text(caption)])] : []),
  ]);
}

const isJsxOrBlank = (node: RootContent) => node.type === "mdxJsxTextElement" || node.type === "mdxTextExpression" || (node.type === "text" && node.value.trim() === "");

/**
 * `<Note>…</Note>` on one line is read as text in a paragraph; MDX lifts such a paragraph (only
 * tags, expressions and spaces) out, so the note is not rendered inside a `<p>`. The same here.
 */
function unravelJsxParagraphs(tree: Root): void {
  visit(tree, "paragraph", (node, index, parent: Parent | undefined) => {
    if (!parent || index === undefined || !node.children.every(isJsxOrBlank) || node.children.every((child) => child.type === "text")) return undefined;
    const lifted = node.children.filter((child) => child.type !== "text");
    parent.children.splice(index, 1, ...(lifted as RootContent[]));
    return index;
  });
}

/**
 * The remark plugin (after remark-mdx): imports and comments render nothing, `<Note>` becomes
 * `<div class="note" role="note">`, `<BeforeAfter>` two figures whose captions are in the entry's
 * own language (its `lang`, the language its text is marked with). Pictures become Markdown images,
 * so Astro publishes them as it does those of any Markdown entry.
 */
export function remarkEntryComponents() {
  return (tree: Root, file: { path?: string; data: { astro?: { frontmatter?: Record<string, unknown> } } }) => {
    const { images, problems } = inspect(tree);
    // The content check refuses such a body before the build reaches here.
    if (problems.length > 0) throw new Error(`${file.path ?? "entry"}:${problems[0]!.line}: ${problems[0]!.reason}`);
    const lang: Lang = file.data.astro?.frontmatter?.lang === "ru" ? "ru" : "en";
    unravelJsxParagraphs(tree);
    visit(tree, (node, index, parent: Parent | undefined) => {
      if (!parent || index === undefined) return;
      if (node.type === "mdxjsEsm" || node.type === "mdxFlowExpression" || node.type === "mdxTextExpression") {
        parent.children.splice(index, 1);
        return [SKIP, index];
      }
      if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
        const jsx = node as JsxElement;
        const note = jsx.name === "Note";
        parent.children[index] = note ? element("div", { className: ["note"], role: "note" }, jsx.children as RootContent[]) : beforeAfter(jsx, images, lang);
        // A note's content (the same array) is visited next; a figure has nothing left to turn.
        return note ? undefined : SKIP;
      }
      return undefined;
    });
  };
}

/** remark-mdx, then the components: the plugins an `.mdx` entry's body adds to the Markdown pipeline. */
export const ENTRY_MDX_PLUGINS = [remarkMdx, remarkEntryComponents];
