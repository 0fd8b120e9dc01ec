"""Typed content model: one pydantic model per YAML kind.

Imports nothing of the project, so the model can be exported to JSON Schema and reused by any
builder. Cross-file references (ids, bib keys, footnote numbers) are checked by each kind
(``macros/kinds/``), where the kinds are also listed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=80)]
BibKey = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$", max_length=120)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=600)]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2_000)]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(Strict):
    """A place in a reviewed paper: section id, paragraph number within it, optional footnote."""

    section: Id
    paragraph: int | None = Field(default=None, ge=1)
    footnote: int | None = Field(default=None, ge=1)


class SourceRef(Strict):
    """A bibliography entry, optionally with a locator such as a page."""

    key: BibKey
    locator: ShortText | None = None


# --- paper -------------------------------------------------------------------------------


class Author(Strict):
    name: ShortText
    affiliation: ShortText | None = None
    email: ShortText | None = None


class Summary(Strict):
    question: Text
    method: Text
    conclusion: Text


class Dimension(Strict):
    id: Id
    name: ShortText
    summary: Text


class Framework(Strict):
    id: Id
    name: ShortText
    attributed_to: ShortText
    as_printed: list[ShortText] = []
    summary: Text
    where: Location | None = None
    dimensions: list[Dimension] = []


class Category(Strict):
    id: Id
    name: ShortText
    summary: Text


VerdictValue = Literal["met", "partly-met", "not-met", "effective", "not-effective"]


class Verdict(Strict):
    dimension: Id = Field(description="A dimension id of one of the frameworks, or 'overall'.")
    verdict: VerdictValue
    statement: Text
    quote: Text
    where: Location


class Argument(Strict):
    question: Text
    frameworks: list[Framework] = []
    categories: list[Category] = []
    verdicts: list[Verdict] = []


class Paragraph(Strict):
    n: int = Field(ge=1)
    opens: ShortText = Field(description="The paragraph's first words exactly as printed.")
    gist: Text = Field(description="Own-words gist, one sentence.")


class Section(Strict):
    id: Id
    heading: ShortText = Field(description="The heading exactly as printed.")
    level: int = Field(ge=1, le=4)
    summary: Text
    paragraphs: list[Paragraph] = []


def _date_as_text(value: object) -> object:
    """An unquoted YAML date (``2021-05-03``, read as a date) or year (``2021``, read as a
    number) is the same as the quoted text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


def _real_date(value: str) -> str:
    """``2007-02-30`` has the right shape but is no day of the calendar."""
    if len(value) == len("YYYY-MM-DD"):
        try:
            datetime.date.fromisoformat(value)
        except ValueError as exc:
            msg = f"impossible date '{value}' ({exc}), give a real one as YYYY-MM-DD"
            raise ValueError(msg) from None
    return value


PartialDate = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"),
    BeforeValidator(_date_as_text),
    AfterValidator(_real_date),
]


class Period(Strict):
    """The time a paper says it studies, e.g. "post-Covid-19" read as 2020-03 to 2021."""

    start: PartialDate
    end: PartialDate
    as_stated: ShortText = Field(description="How the paper itself names its period.")


@dataclass(frozen=True)
class PaperMeta:
    """What a paper's bibliography entry says of it, as plain text (``macros.kinds.papers``
    reads it from the entry named by the paper's ``key``)."""

    title: str = ""
    authors: tuple[str, ...] = ()
    journal: str = ""
    volume: str | None = None
    issue: str | None = None
    year: int = 0
    published: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None


class Paper(Strict):
    """A reviewed paper, read in depth: own-words summary, argument and structure. Its key
    names its BibTeX entry; its title, authors, journal, volume, issue, year, publisher, DOI and
    URL come from that entry and are never retyped here."""

    id: Id
    key: BibKey = Field(
        description="The paper's BibTeX key in the review's bibliography: its title, authors, "
        "venue, year, publisher and DOI come from that entry."
    )
    affiliations: list[ShortText] = Field(
        default=[],
        description="The authors' affiliations as printed, in the order of the entry's authors.",
    )
    period: Period | None = None
    language: ShortText = "en"
    source_text: ShortText | None = Field(
        default=None,
        description="Path (from the project root) of the paper's full text; quotations and "
        "paragraph openings are checked against it.",
    )
    keywords: list[ShortText] = []
    summary: Summary
    argument: Argument | None = None
    sections: list[Section] = []
    _meta: PaperMeta = PrivateAttr(default_factory=PaperMeta)

    def attach(self, meta: PaperMeta) -> None:
        """Give the paper what its bibliography entry says (done on every load)."""
        self._meta = meta

    @property
    def title(self) -> str:
        return self._meta.title or self.id

    @property
    def authors(self) -> list[Author]:
        extra = self.affiliations
        return [
            Author(name=name, affiliation=extra[i] if i < len(extra) else None)
            for i, name in enumerate(self._meta.authors)
        ]

    @property
    def journal(self) -> str:
        return self._meta.journal

    @property
    def volume(self) -> str | None:
        return self._meta.volume

    @property
    def issue(self) -> str | None:
        return self._meta.issue

    @property
    def year(self) -> int:
        return self._meta.year

    @property
    def published(self) -> str | None:
        return self._meta.published

    @property
    def publisher(self) -> str | None:
        return self._meta.publisher

    @property
    def doi(self) -> str | None:
        return self._meta.doi

    @property
    def url(self) -> str | None:
        return self._meta.url


# --- footnotes and printed reference list ---------------------------------------------


class Footnote(Strict):
    number: int = Field(ge=1)
    printed: Text = Field(description="The footnote exactly as printed.")
    where: Location
    cites: list[SourceRef] = []
    ibid_of: int | None = Field(default=None, ge=1)
    audit: list[Id] = []


class Footnotes(Strict):
    """The footnotes of one paper, each resolved to bibliography entries."""

    paper: Id
    notes: list[Footnote]


class Discrepancy(Strict):
    field: Literal["url", "title", "author", "date", "container", "other"]
    footnote: int | None = None
    printed_in_footnote: Text | None = None
    printed_in_list: Text | None = None
    kept: Text | None = None
    note: Text


class PrintedReference(Strict):
    key: BibKey
    printed: Text = Field(description="The reference-list line exactly as printed.")
    discrepancies: list[Discrepancy] = []
    deviation: Text | None = None


class ReferenceList(Strict):
    """A paper's reference list as printed, mapped to bibliography keys."""

    paper: Id
    heading: ShortText
    entries: list[PrintedReference]


# --- entities, claims, audit -------------------------------------------------------------

EntityType = Literal[
    "organisation",
    "government",
    "ngo",
    "company",
    "donor",
    "person",
    "law",
    "country",
    "program",
    "publication",
    "event",
    "term",
]
RelationType = Literal["funds", "partners-with", "implements", "regulates", "part-of", "organises"]


class Relation(Strict):
    type: RelationType
    target: Id


class Entity(Strict):
    """Anything a paper names: an actor, a program, a law, a term."""

    id: Id
    name: ShortText
    type: EntityType
    abbreviation: ShortText | None = None
    aliases: list[ShortText] = []
    original_name: ShortText | None = None
    gloss: ShortText | None = Field(
        default=None, description="English translation of original_name, for the glossary."
    )
    summary: Text
    papers: list[Id] = []
    categories: list[Id] = Field(
        default=[], description="Analytical categories of the papers (e.g. pillars) it serves."
    )
    years: list[int] = Field(default=[], description="Years the papers associate with it.")
    sources: list[SourceRef] = []
    relations: list[Relation] = []


class Evidence(Strict):
    """Exactly one of: a footnote of the paper, a bibliography entry, or an explicit absence."""

    footnote: int | None = Field(default=None, ge=1)
    key: BibKey | None = None
    locator: ShortText | None = None
    quote: Text | None = None
    unsourced: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Evidence:
        given = [
            name for name in ("footnote", "key", "unsourced") if getattr(self, name) is not None
        ]
        if len(given) != 1:
            msg = "give exactly one of 'footnote', 'key' or 'unsourced'"
            raise ValueError(msg)
        if self.key is None and self.locator is not None:
            msg = "'locator' belongs with 'key'"
            raise ValueError(msg)
        return self


ClaimKind = Literal["finding", "background", "definition", "verdict", "method"]
ClaimRelationType = Literal["supports", "contradicts", "qualifies"]


class ClaimRelation(Strict):
    """This claim supports, contradicts or qualifies another claim (of any paper), and why."""

    type: ClaimRelationType
    target: Id
    note: Text | None = None


class Claim(Strict):
    """One claim a paper makes, in our words, with what it rests on."""

    id: Id
    paper: Id
    kind: ClaimKind
    statement: Text
    where: Location
    quote: Text
    categories: list[Id] = []
    dimensions: list[Id] = []
    evidence: list[Evidence] = Field(min_length=1)
    relations: list[ClaimRelation] = []
    entities: list[Id] = []
    audit: list[Id] = []


class Event(Strict):
    """A dated event a paper reports."""

    id: Id
    paper: Id
    title: ShortText
    date: PartialDate
    end_date: PartialDate | None = None
    date_as_printed: ShortText | None = None
    summary: Text
    where: Location
    actors: list[Id] = []
    programs: list[Id] = []
    claims: list[Id] = []
    sources: list[SourceRef] = []


class Statistic(Strict):
    """A number a paper uses, with its exact wording and what backs it."""

    id: Id
    paper: Id
    value: float
    unit: ShortText
    wording: Text = Field(description="The words around the number exactly as printed.")
    measures: Text = Field(description="Own words: what is counted, for whom, when.")
    where: Location
    evidence: list[Evidence] = Field(min_length=1)
    doubt: Text | None = Field(
        default=None, description="Why the number is doubtful (unsourced, implausible...)."
    )
    conflicts_with: list[Id] = []
    claims: list[Id] = []


AuditCategory = Literal[
    "misattribution",
    "inconsistency",
    "unsupported",
    "misspelling",
    "time-scope",
    "reference-mismatch",
    "mistranslation",
    "implausible",
    "method",
]


class AuditFinding(Strict):
    """A problem in a paper, with the exact words and why it matters."""

    id: Id
    paper: Id
    title: ShortText
    category: AuditCategory
    severity: Literal["minor", "moderate", "major"]
    where: Location
    quote: Text
    explanation: Text
    sources: list[SourceRef] = []


# --- works, themes, synthesis --------------------------------------------------------------


class WorkTheme(Strict):
    """A theme the work belongs to, with why (optional)."""

    id: Id
    rationale: ShortText | None = None


class Reading(Strict):
    """What of the work was read: the full text, the abstract only, the opening only (the
    first paragraphs), the abstract and the opening, or an excerpt (where); the note says
    exactly which passages, and is shown on the work's page."""

    what: Literal["full text", "abstract only", "opening only", "abstract and opening", "excerpt"]
    locator: ShortText | None = Field(default=None, description="For an excerpt: which part.")
    note: ShortText | None = Field(
        default=None, description="Exactly which passages were read (and which were not)."
    )


class Work(Strict):
    """The catalogue layer of a work: a bibliography entry (``id`` is its BibTeX key) with its
    themes, an own-words summary, when it was added, its status and what of it was read. Title,
    authors, venue and DOI come from the bibliography and are never retyped here."""

    id: BibKey
    themes: list[WorkTheme] = []
    summary: Text | None = None
    sources: list[SourceRef] = Field(default=[], description="Works the summary cites.")
    added: PartialDate | None = Field(default=None, description="Date added to the review.")
    status: Literal["candidate", "included", "excluded"]
    read: Reading | None = None


class Theme(Strict):
    """A theme of the review: a node of a tree in which a theme may have several parents."""

    id: Id
    name: ShortText
    definition: Text | None = None
    parents: list[Id] = []
    synthesis: Text | None = Field(default=None, description="Own words, across the works.")
    sources: list[SourceRef] = Field(default=[], description="Works the synthesis cites.")
    claims: list[Id] = Field(default=[], description="Claims the synthesis rests on.")
    added: PartialDate | None = None


Direction = Literal["supports", "contradicts", "mixed", "no evidence"]


class SynthesisCell(Strict):
    """One cell of the synthesis matrix: what one work finds about one theme."""

    id: Id
    theme: Id
    work: BibKey
    finding: Text
    direction: Direction
    quote: Text | None = None
    locator: ShortText | None = None


# --- extraction: the review's fields and each work's values -------------------------------

FieldType = Literal["text", "number", "choice", "country", "year", "link"]


class ExtractionField(Strict):
    """A field of the review's extraction table: what is recorded for every work."""

    id: Id
    label: ShortText
    type: FieldType = Field(
        description="text, number (with its unit), choice (from the vocabulary), country "
        "(an ISO 3166 name or code), year (2019 or a range 2015-2019), link (an http(s) URL)"
    )
    multiple: bool = Field(default=False, description="A work may have several values.")
    unit: ShortText | None = Field(default=None, description="Numbers only: what is counted.")
    vocabulary: list[ShortText] = Field(
        default=[], description="Choices only: the values a work may have."
    )
    required: bool = Field(
        default=False, description="Every work must give a value (or say why not)."
    )
    description: Text | None = None
    order: int = Field(default=0, description="Column order in the table (then by id).")


# A value as written: text, a number, a year, or a list of them. YAML true/false are taken
# as they are (strict types), so that "yes" is never silently a number.
Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


class ExtractedValue(Strict):
    """A value with where it was read: the words of the work and their locator."""

    value: Scalar | list[Scalar] | None
    quote: Text | None = Field(default=None, description="The work's words, exactly as printed.")
    locator: ShortText | None = Field(default=None, description="Where: page, section, table.")


class Extraction(Strict):
    """The values one work gives for the review's extraction fields (content/fields/). The
    file is named after the work's BibTeX key. A value may be 'not reported', 'not
    applicable' or 'to do'."""

    id: BibKey = Field(description="the work's BibTeX key: the file name without .yaml")
    values: dict[Id, Scalar | list[Scalar] | ExtractedValue | None] = Field(
        description="field id -> its value, a list of values, or {value, quote, locator}"
    )


# --- searches, the screening ledger and its exclusion reasons -----------------------------

SearchType = Literal[
    "database",
    "register",
    "website",
    "organisation",
    "citation-searching",
    "other",
    "previous-studies",
]


class Search(Strict):
    """One search of one source: a database or register, or another method (websites,
    organisations, citation searching), or the studies of a previous version of the review.
    ``records`` is the number it returned: the screening ledger must list exactly as many
    records found by it."""

    id: Id
    source: ShortText = Field(description="What was searched, as readers should know it.")
    type: SearchType = Field(
        default="database",
        description="database or register (PRISMA's main arm); website, organisation, "
        "citation-searching or other (other methods); previous-studies (a review update)",
    )
    date: PartialDate
    query: Text | None = Field(default=None, description="The query string, exactly as run.")
    records: int = Field(ge=0, description="Records returned: the ledger must list as many.")
    note: Text | None = None


ScreeningWord = Literal["include", "exclude", "maybe"]


class ScreeningDecision(Strict):
    """A decision at one stage, with its reason (an id of content/reasons/), who and when."""

    decision: ScreeningWord
    reason: Id | None = None
    reviewer: ShortText | None = None
    date: PartialDate | None = None
    note: ShortText | None = None


class ScreenedRecord(Strict):
    """One record found by one or more searches. Identifiers only are enough (no title)."""

    id: Id | None = Field(default=None, description="A handle for duplicate_of, if needed.")
    key: BibKey | None = Field(default=None, description="Its bibliography entry, if any.")
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$", max_length=300)] | None = (
        None
    )
    openalex: Annotated[str, StringConstraints(pattern=r"^W\d{1,12}$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None
    arxiv: Annotated[str, StringConstraints(pattern=r"^\S{4,40}$")] | None = None
    url: HttpUrl | None = None
    title: ShortText | None = None
    found_by: list[Id] = Field(min_length=1, description="The searches that found it.")
    duplicate_of: ShortText | None = Field(
        default=None, description="The kept record it duplicates: its id or an identifier."
    )
    decisions: dict[Id, ScreeningWord | ScreeningDecision] = Field(
        default={}, description="stage -> include/exclude/maybe, or {decision, reason, ...}"
    )
    retrieval: Literal["retrieved", "not-retrieved"] | None = Field(
        default=None, description="Full text: not-retrieved when sought but not obtained."
    )
    note: ShortText | None = Field(default=None, description="Why, in the reviewer's words.")


class ScreeningBatch(Strict):
    """A file of the screening ledger: records (one line each) with the searches that found
    them, duplicates, and decisions by stage. Every PRISMA count is derived from these."""

    id: Id
    description: Text | None = None
    reviewer: ShortText | None = Field(default=None, description="Default for its decisions.")
    date: PartialDate | None = Field(default=None, description="Default for its decisions.")
    records: list[ScreenedRecord]


class ScreeningStage(Strict):
    """A stage of the review's screening, in order (title, abstract, full text...), each in a
    PRISMA 2020 phase: ``screening`` (records screened) or ``eligibility`` (reports assessed).
    None declared: title-abstract (screening) then full-text (eligibility)."""

    id: Id
    label: ShortText = Field(description="How tables and the diagram name it.")
    phase: Literal["screening", "eligibility"] = Field(
        description="screening: records screened; eligibility: reports assessed (full text)"
    )
    order: int = Field(default=0, description="Its place among the stages (then by id).")
    description: Text | None = None


class ExclusionReason(Strict):
    """A reason for excluding a record: the review's own vocabulary for screening."""

    id: Id
    label: ShortText
    description: Text | None = None


# --- appraisal: risk of bias or quality, per work and domain -------------------------------


class AppraisalDomain(Strict):
    """A domain of a review's own appraisal tool (a built-in tool brings its own)."""

    id: Id
    name: ShortText
    question: Text | None = Field(default=None, description="What the domain asks.")


class Judgement(Strict):
    """One judgement: on the tool's scale, with the words it rests on and where they are."""

    judgement: ShortText = Field(description="A value of the tool's scale.")
    quote: Text | None = Field(default=None, description="The work's words, exactly as printed.")
    locator: ShortText | None = Field(default=None, description="Where: page, section, ¶.")
    note: Text | None = Field(default=None, description="Own words: why this judgement.")
    audit: list[Id] = Field(default=[], description="Audit findings the judgement rests on.")


class AppraisedWork(Strict):
    """One work's appraisal: a judgement per domain and an overall judgement."""

    work: BibKey = Field(description="The work's BibTeX key, or the id of a paper read in depth.")
    domains: dict[Id, Judgement] = Field(description="domain id -> its judgement")
    overall: Judgement | None = Field(
        default=None, description="Required unless the appraisal's overall rule is 'worst'."
    )
    weight: float | None = Field(default=None, gt=0, description="For the weighted summary.")


class Appraisal(Strict):
    """An appraisal (risk of bias or quality) of the review's works with one tool: a built-in
    template (rob2, robins-i, casp, mmat) or the review's own domains and scale (generic)."""

    id: Id
    title: ShortText
    tool: Literal["generic", "rob2", "robins-i", "casp", "mmat"] = "generic"
    description: Text | None = None
    domains: list[AppraisalDomain] = Field(default=[], description="A generic tool's domains.")
    scale: list[ShortText] = Field(
        default=[], description="A generic tool's judgements, from best to worst."
    )
    unclear: list[ShortText] = Field(
        default=[], description="A generic tool's judgements that rate nothing ('cannot tell')."
    )
    overall_rule: Literal["given", "worst"] = Field(
        default="given",
        description="given: each work states its overall judgement; worst: the worst of its "
        "rated domains.",
    )
    works: list[AppraisedWork] = Field(min_length=1)


# A facet: 'themes', 'themes:<id>', a field id, 'appraisal' or 'appraisal:<id>'.
FacetSpec = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$", max_length=170)
]


class GapMap(Strict):
    """An evidence gap map: works counted by two facets (rows and columns), coloured by a
    third. A facet is 'themes' (the top-level themes), 'themes:<id>' (the themes under one),
    or the id of a choice, country or year extraction field; the colour may also be
    'appraisal' or 'appraisal:<id>' (the works' overall judgement)."""

    id: Id
    title: ShortText
    description: Text | None = None
    rows: FacetSpec
    columns: FacetSpec
    colour: FacetSpec | None = None
