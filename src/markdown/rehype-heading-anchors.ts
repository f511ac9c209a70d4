/**
 * Gives every h2–h4 a stable id and a link to itself.
 *
 * Authors pin an id that is the same in both languages with an MDX comment at the end of the
 * heading: `## What voids the warranty {/* #voiding *\/}`. Other headings get a slug as Astro would
 * make it. Runs before Astro's own heading pass, which keeps ids that are already set, so the table
 * of contents and the anchors agree. The link's label is an attribute (not text) so it never leaks
 * into the heading text Astro collects for the table of contents, and search ignores it.
 */
import GithubSlugger from "github-slugger";
import type { Element, ElementContent, Root } from "hast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { dictionaries } from "../i18n";
import { PINNED_ID } from "./heading-ids";

const HEADINGS = new Set(["h2", "h3", "h4"]);

type ExpressionNode = { type: "mdxTextExpression"; value: string };

function isPinnedId(node: ElementContent | ExpressionNode): node is ExpressionNode {
  return (node as { type: string }).type === "mdxTextExpression" && PINNED_ID.test((node as ExpressionNode).value.trim());
}

function textOf(node: Element): string {
  let text = "";
  visit(node, "text", (child) => {
    text += child.value;
  });
  return text.trim();
}

function langOf(file: VFile): "en" | "ru" {
  return /[\\/]ru[\\/]/.test(file.history[0] ?? "") ? "ru" : "en";
}

export function rehypeHeadingAnchors() {
  return (tree: Root, file: VFile) => {
    const slugger = new GithubSlugger();
    const label = dictionaries[langOf(file)]["heading.anchorLabel"];
    visit(tree, "element", (node) => {
      if (!HEADINGS.has(node.tagName)) return;
      const children = node.children as (ElementContent | ExpressionNode)[];
      const pinned = children.find(isPinnedId);
      if (pinned) {
        node.children = children.filter((child) => child !== pinned) as ElementContent[];
        const last = node.children.at(-1);
        if (last?.type === "text") last.value = last.value.trimEnd();
      }
      const title = textOf(node);
      const id = pinned ? PINNED_ID.exec(pinned.value.trim())![1]! : slugger.slug(title);
      node.properties = { ...node.properties, id };
      node.children.push({
        type: "element",
        tagName: "a",
        properties: {
          className: ["heading-anchor"],
          href: `#${id}`,
          ariaLabel: label.replace("{title}", title),
          dataPagefindIgnore: "",
        },
        children: [],
      });
    });
  };
}
