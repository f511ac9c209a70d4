/**
 * Makes the questions an article answers (front matter `questions`) findable in its own section.
 *
 * After each heading that questions point at, an empty element carries them in an attribute that
 * Pagefind indexes (`data-pagefind-index-attrs`) at a weight above body text, so a client's wording
 * finds the section that answers it. Nothing is shown: the FAQ page lists the questions for reading.
 */
import type { Element, Root } from "hast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import type { TermsQuestion } from "../domain/schemas/terms";

/** Pagefind's quadratic scale: 5 counts 25 times a body word, a little under an h2 (6). */
export const QUESTION_WEIGHT = "5";
const HEADINGS = new Set(["h2", "h3", "h4"]);

function questionsOf(file: VFile): TermsQuestion[] {
  const frontmatter = (file.data as { astro?: { frontmatter?: { questions?: unknown } } }).astro?.frontmatter;
  return Array.isArray(frontmatter?.questions) ? (frontmatter.questions as TermsQuestion[]) : [];
}

function questionCarrier(questions: TermsQuestion[]): Element {
  return {
    type: "element",
    tagName: "span",
    properties: { className: ["section-questions"], dataPagefindWeight: QUESTION_WEIGHT },
    children: questions.map(({ question }) => ({
      type: "element",
      tagName: "span",
      properties: { dataQuestion: question, dataPagefindIndexAttrs: "data-question" },
      children: [],
    })),
  };
}

/** Runs after rehype-heading-anchors, which gives every heading its id. */
export function rehypeSectionQuestions() {
  return (tree: Root, file: VFile) => {
    const questions = questionsOf(file);
    if (questions.length === 0) return;
    visit(tree, "element", (node, index, parent) => {
      if (!HEADINGS.has(node.tagName) || index === undefined || !parent) return;
      const answered = questions.filter(({ section }) => section === node.properties?.id);
      if (answered.length === 0) return;
      parent.children.splice(index + 1, 0, questionCarrier(answered));
      return index + 2;
    });
  };
}
