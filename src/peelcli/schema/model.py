"""The force file, as pydantic models: what one force's or service's public record can say.

One format serves the police forces of England and Wales and the fire and rescue services of
England (``sector``); what differs between them is named where it differs (the chief officer's
role, the bodies that oversee them, what HMICFRS inspects) and checked in :mod:`peelcli.rules`.

Strict everywhere: unknown keys are errors, and no value is coerced (a ``no`` never becomes a
boolean, a ``1.10`` never a float). Dates are :class:`~peelcli.dates.PartialDate`, so a month or a
year can be recorded without inventing a day. Rules that look across fields (ids, citations,
chronology) live in :mod:`peelcli.rules`; these models only say what each value may be.

These classes are the single definition of the format; runs use the core schema compiled from
them (see :mod:`peelcli.schema`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from ..dates import PartialDate
from .names import (
    CONCERN_KINDS,
    ID_PATTERN,
    NOT_BLANK,
    PHASES,
    POLICING_BODY_KINDS,
    SECTORS,
    SLUG_PATTERN,
    SOURCE_KINDS,
    URL_PATTERN,
)
from .scalars import number, partial_date, web_address

Phase = Literal[PHASES]  # type: ignore[valid-type]
SourceKind = Literal[SOURCE_KINDS]  # type: ignore[valid-type]
ConcernKind = Literal[CONCERN_KINDS]  # type: ignore[valid-type]
PolicingBodyKind = Literal[POLICING_BODY_KINDS]  # type: ignore[valid-type]
Sector = Literal[SECTORS]  # type: ignore[valid-type]


Date = Annotated[
    PartialDate,
    PlainValidator(partial_date),
    PlainSerializer(lambda d: str(d), return_type=str),  # a lambda: pydantic < 2.7 cannot inspect str
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"},
                {"type": "integer", "minimum": 1900, "maximum": 2999},
            ],
            "description": "YYYY-MM-DD; YYYY-MM or YYYY when only the month or year is known; "
            "START/END (ISO 8601) when only a span is known",
        }
    ),
]
Number = Annotated[
    Decimal,
    PlainValidator(number),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
Text = Annotated[str, StringConstraints(min_length=1, pattern=NOT_BLANK)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Url = Annotated[
    str,
    PlainValidator(web_address),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": URL_PATTERN,
            "description": "an http:// or https:// address, without a user name or password",
        }
    ),
]
Citations = Annotated[
    list[Id],
    Field(description="ids of entries under `sources`; validation warns when a dated fact cites none"),
]


class Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Person(Record):
    name: Text
    role: Text | None = None


class Source(Record):
    """A published document, meeting or page that facts in the file cite by ``id``."""

    id: Id
    kind: SourceKind
    title: Text
    url: Url | None = Field(None, description="the address; a meeting may instead be `recorded_in` a document")
    recorded_in: Citations = Field(
        default_factory=list, description="for a source with no address of its own: the documents that record it"
    )
    fieldwork_from: Date | None = None
    fieldwork_to: Date | None = None
    sent_on: Date | None = None
    published_on: Date | None = None
    held_on: Date | None = Field(
        None,
        description="for meetings: the Policing Performance Oversight Group (PPOG) for a police force; for a fire "
        "and rescue service, the oversight meeting a fire authority's papers call the Fire Performance Oversight "
        "Group (kind ppog-meeting for both)",
    )
    from_: list[Person] = Field(default_factory=list, alias="from")
    to: list[Person] = Field(default_factory=list)
    cc: list[Person] = Field(default_factory=list)
    notes: Text | None = None


class Officeholder(Record):
    """Someone in post: ``from``/``to`` when known, else ``noted_on``, a day a source names them."""

    name: Text
    role: Text
    from_: Date | None = Field(None, alias="from")
    to: Date | None = None
    noted_on: Date | None = None
    notes: Text | None = None
    sources: Citations = Field(default_factory=list)


class ChiefOfficer(Officeholder):
    """The chief officer as the record names the role: a police force's Chief Constable (the
    Metropolitan's and City of London's Commissioner), a fire and rescue service's Chief Fire
    Officer (London Fire Brigade's Commissioner)."""


class PolicingBody(Officeholder):
    """A body the chief officer answers to, as HMICFRS copies or addresses its letters."""

    kind: PolicingBodyKind = Field(
        description="pcc: a police and crime commissioner (police only); fire-authority: a fire and rescue "
        "authority, a combined fire authority or the council that is one (fire only); pfcc: a police, fire and "
        "crime commissioner, and mayor: a mayor or deputy mayor, who may oversee a force or a service"
    )


class ReportedDate(Record):
    """Another date a source gives for the same event, kept when sources disagree."""

    date: Date
    sources: Citations = Field(default_factory=list)
    note: Text | None = None


class PhaseChange(Record):
    phase: Phase
    decided_on: Date
    published_on: Date | None = None
    decided_by: Text | None = None
    reason: Text | None = None
    assessment_overridden: bool = Field(
        False, description="recorded by `peel move --override` against a not-justified assessment"
    )
    other_reported_dates: list[ReportedDate] = Field(default_factory=list)
    missing_from_record: Text | None = Field(
        None,
        description="what the public record does not show about this move (e.g. which causes were open at "
        "exit); `peel assess` will not call such a move justified or not-justified",
    )
    notes: Text | None = None
    sources: Citations = Field(default_factory=list)


class Closure(Record):
    closed_on: Date
    evidence: Text = Field(description="a short summary of why it was closed")
    reason: Text | None = Field(None, description="why a cause was closed while recommendations stayed open")
    sources: Citations = Field(default_factory=list)


class Inspection(Record):
    """An inspection or revisit the record mentions, whether or not its report is a source.

    What is inspected differs by sector (a police force's PEEL areas; a fire and rescue service's
    effectiveness, efficiency and people, graded by area): the title and notes say it as the
    report does."""

    id: Id
    title: Text
    fieldwork_from: Date
    fieldwork_to: Date | None = None
    notes: Text | None = None
    sources: Citations = Field(default_factory=list)


class Recommendation(Record):
    id: Id
    text: Text
    deadline: Text | None = Field(None, description='as published, e.g. "Within six months"')
    due: Date | None = Field(None, description="only where the wording fixes a date")
    sources: Citations = Field(default_factory=list)
    closure: Closure | None = None
    notes: Text | None = None


class RecommendationsNotOnRecord(Record):
    """Says that a cause's recommendation texts are missing from the public record."""

    note: Text
    count: int | None = Field(None, ge=0, description="how many, where the record says")
    sources: Citations = Field(default_factory=list)


class CauseOfConcern(Record):
    id: Id
    kind: ConcernKind = "cause-of-concern"
    title: Text
    text: Text | None = None
    accelerated: bool = False
    raised_on: Date
    published_on: Date | None = None
    sources: Citations = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    recommendations_not_on_record: RecommendationsNotOnRecord | None = None
    closure: Closure | None = None
    notes: Text | None = None


class AreaForImprovement(Record):
    id: Id
    text: Text
    raised_on: Date
    sources: Citations = Field(default_factory=list)
    closure: Closure | None = None
    notes: Text | None = None


class Metric(Record):
    name: Text
    period_end: Date
    value: Number
    unit: Text
    sources: Citations = Field(default_factory=list)
    notes: Text | None = None


class Resolution(Record):
    """How a doubt was settled: the day a source settled it and what it showed."""

    resolved_on: Date
    evidence: Text = Field(description="what the source showed")
    sources: Citations = Field(default_factory=list)


class Uncertainty(Record):
    """A gap or doubt in the public record, said out loud rather than filled with a guess."""

    id: Id | None = Field(None, description="lets `peel resolve-uncertainty` name it")
    about: Text
    note: Text
    from_: Date | None = Field(
        None,
        alias="from",
        description="the first day the record is in doubt, for a doubt that arises after its subjects (the record "
        "shows their state to a day, then falls silent): before it they are as the record shows them; without it "
        "they are in doubt on every day. A doubt whose start is known only to a month, a year or a span counts "
        "from the first day it may have begun",
    )
    subjects: list[Id] = Field(
        default_factory=list,
        description="ids of causes, recommendations or areas whose state the record leaves uncertain",
    )
    sources: Citations = Field(default_factory=list)
    resolution: Resolution | None = Field(
        None, description="when a later source settled the doubt; until that day the subjects stay uncertain"
    )


class ForceFile(Record):
    """One police force's or fire and rescue service's monitoring record: ``data/forces/<slug>.yaml``."""

    slug: Slug = Field(description="a fire and rescue service's ends in -fire (buckinghamshire-fire); a force's never")
    name: Text
    sector: Sector = Field(
        "police",
        description="police: a police force of England and Wales (the default); fire: a fire and rescue service "
        "of England",
    )
    former_names: list[Text] = Field(default_factory=list)
    record_checked_to: Date | None = Field(
        None,
        description="how far the public record of this force was searched: peel knows nothing dated after it, "
        "and says so when asked about a later day",
    )
    record_checked_note: Text | None = Field(None, description="what was searched, and where the record ends")
    chief_officers: list[ChiefOfficer] = Field(default_factory=list)
    policing_bodies: list[PolicingBody] = Field(
        default_factory=list,
        description="who the chief officer answers to: a force's PCC, PFCC or mayor; a service's fire and rescue "
        "authority, PFCC or mayor (the key keeps its first name for both sectors)",
    )
    inspections: list[Inspection] = Field(default_factory=list)
    phase_changes: list[PhaseChange] = Field(
        default_factory=list,
        description="every force starts in scan; changes alternate engage, scan, ...",
    )
    causes_of_concern: list[CauseOfConcern] = Field(default_factory=list)
    areas_for_improvement: list[AreaForImprovement] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    uncertainties: list[Uncertainty] = Field(default_factory=list)
    notes: Text | None = None
    sources: list[Source] = Field(default_factory=list)


class RegistryEntry(Record):
    slug: Slug = Field(description="a fire and rescue service's ends in -fire (buckinghamshire-fire); a force's never")
    name: Text = Field(description="the force's or service's name as HMICFRS writes it")
    sector: Sector = Field("police", description="police (the default) or fire")
    former_names: list[Text] = Field(default_factory=list)
    also_known_as: list[Text] = Field(
        default_factory=list,
        description="other names people use: short names (Met, GMP, LFB), other lists' labels",
    )
    notes: Text | None = None
    sources: Citations = Field(default_factory=list)


class SectorSearch(Record):
    """How far the public record was searched for every body of one sector."""

    record_checked_to: Date = Field(
        description="a move into or out of Engage of any body of the sector after it is not known to peel"
    )
    record_checked_note: Text = Field(description="what was searched")


class RegistrySectors(Record):
    """A sector whose national search reached another day than the registry's ``record_checked_to``."""

    police: SectorSearch | None = None
    fire: SectorSearch | None = None


class RegistryFile(Record):
    """``data/registry.yaml``: every territorial police force and every fire and rescue service, by
    slug and official name."""

    notes: Text | None = None
    record_checked_to: Date | None = Field(
        None,
        description="how far the public record was searched for every force and service of the sectors the "
        "registry lists, those without a file included, unless `sectors` gives a sector its own: a move into or out "
        "of Engage after it is not known to peel",
    )
    record_checked_note: Text | None = Field(None, description="what was searched")
    sectors: RegistrySectors | None = Field(
        None, description="how far the search reached for one sector, where that is not `record_checked_to`"
    )
    sources: list[Source] = Field(default_factory=list)
    forces: list[RegistryEntry] = Field(
        description="every body peel knows by name, police forces and fire and rescue services alike "
        "(`sector` says which)"
    )


class Threshold(Record):
    """A named number in the policy, with the reason it is set where it is."""

    value: Number
    explanation: Text


class ReturnPolicy(Record):
    """When a force or service in Engage may return to Scan."""

    explanation: Text
    causes_closed_share: Threshold = Field(
        description="share of the episode's causes of concern closed for substantial progress (0 to 1)"
    )
    remaining_recommendations_closed_share: Threshold = Field(
        description="share of the recommendations closed in every cause still open (0 to 1)"
    )


class EntryPolicy(Record):
    """When a force or service in Scan should move into Engage."""

    explanation: Text
    several_open_causes: Threshold = Field(
        description="this many open causes at once point to failings across the force"
    )
    accelerated_is_serious: Threshold = Field(
        description="1: an open accelerated cause of concern justifies entry; 0: it does not"
    )
    overdue_days: Threshold = Field(
        description="a cause with recommendations this many days past due and none closed is not being responded to"
    )
    not_responding_needs_revisit: Threshold = Field(
        description="1: past-due recommendations show a force not responding only when a revisit after they fell "
        "due found none closed; 0: a due date passing with none closed on record is enough"
    )


class SectorReturnPolicy(Record):
    """A return to Scan as HMICFRS words it for one sector, and any threshold set otherwise."""

    explanation: Text
    causes_closed_share: Threshold | None = None
    remaining_recommendations_closed_share: Threshold | None = None


class SectorEntryPolicy(Record):
    """A move into Engage as HMICFRS words it for one sector, and any threshold set otherwise."""

    explanation: Text
    several_open_causes: Threshold | None = None
    accelerated_is_serious: Threshold | None = None
    overdue_days: Threshold | None = None
    not_responding_needs_revisit: Threshold | None = None


class SectorPolicy(Record):
    """The policy for the fire and rescue services: HMICFRS's own wording for their monitoring,
    where it differs from the police's, and each threshold set otherwise with why (every other
    threshold is the policy's own)."""

    description: Text
    differs_from_police: Text
    return_to_scan: SectorReturnPolicy
    move_to_engage: SectorEntryPolicy


class Policy(Record):
    """``peel assess``'s rules: ``src/peelcli/policy.yaml``, or any file given with ``--policy``."""

    name: Text
    description: Text
    return_to_scan: ReturnPolicy
    move_to_engage: EntryPolicy
    fire: SectorPolicy | None = Field(
        None, description="how the rules read for a fire and rescue service; without it, as for a police force"
    )


ROOTS: tuple[type[Record], ...] = (ForceFile, RegistryFile, Policy)
