/** Components available in every terms article without an import (`table`: how Markdown tables render). */
import Contact from "./Contact.astro";
import DemoLink from "./DemoLink.astro";
import Note from "./Note.astro";
import PlanHours from "./PlanHours.astro";
import PreventionChecklist from "./PreventionChecklist.astro";
import Price from "./Price.astro";
import PromiseTable from "./PromiseTable.astro";
import RequestLink from "./RequestLink.astro";
import RatingRetention from "./RatingRetention.astro";
import SearchRetention from "./SearchRetention.astro";
import SelfHelp from "./SelfHelp.astro";
import Table from "./Table.astro";

export const mdxComponents = { Contact, DemoLink, Note, PlanHours, PreventionChecklist, Price, PromiseTable, RatingRetention, RequestLink, SearchRetention, SelfHelp, table: Table };
