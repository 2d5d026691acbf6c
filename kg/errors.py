"""One exception root for the project; api/ translates these into HTTP problems."""

from __future__ import annotations


class KGError(Exception):
    """Root of every error the project raises on purpose."""


class ConfigError(KGError):
    """Settings are missing or contradict each other."""


class InputError(KGError):
    """An input file cannot be read as what it claims to be.

    Carries where: the file, the line (1-based, for line formats) and the field or offset,
    so a person can find the problem without a traceback.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None, article: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.article = article
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            where.append(f"line {self.line}")
        if self.article:
            where.append(f"article {self.article}")
        if self.field:
            where.append(f"field {self.field}")
        return (", ".join(where) + ": " if where else "") + self.message


class AnnotationError(InputError):
    """Annotations contradict the text or the labelling scheme (bad offset, unknown label...)."""


class ValidationError(KGError):
    """Triples of an article violate the SHACL shapes; nothing of that article is written."""

    def __init__(self, article: str, violations: list[dict]) -> None:
        self.article = article
        self.violations = violations
        lines = [f"article {article}: {len(violations)} SHACL violation(s)"]
        for v in violations[:10]:
            lines.append(f"  node {v.get('focus')} shape {v.get('shape')}: {v.get('message')}")
        super().__init__("\n".join(lines))


class OntologyError(KGError):
    """The ontology files cannot be parsed or are inconsistent."""


class StoreError(KGError):
    """The graph store failed or is unreachable."""


class StoreUnavailable(StoreError):
    """The store cannot be reached now; retrying later may work."""


class StoreBusy(StoreError):
    """Another process holds the store's write turn (a second load on one embedded data dir)."""


class StoreOutcomeUnknown(StoreError):
    """A write was sent and no answer came: it is never re-sent, so whether it took effect is
    unknown (a batch is atomic: wholly in the graph or not at all)."""


class StoreNotDurable(StoreError):
    """The store took a write but could not put it on disk (a full disk, a failed save)."""


class QueryError(KGError):
    """A query is unknown, malformed, or given bad parameters."""


class ReadOnlyViolation(QueryError):
    """A query sent for reading would write."""


class QueryRefused(QueryError):
    """A read asks for more than the graph: files or URLs, other sessions' work, settings,
    a procedure outside the allow-list."""


class QueryTooComplex(QueryError):
    """A query's text is too long or nests too deeply to be parsed within bounds."""


class QueryTimedOut(QueryError):
    """A read ran out of its time (KG_QUERY_TIMEOUT); the store has stopped it."""


class BadParameter(QueryError):
    """A parameter value is not acceptable; `param` names it."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(f"parameter {param!r}: {message}")


class ParameterTooLarge(BadParameter):
    """A parameter value is longer than the setting that bounds it allows."""


class NotFound(KGError):
    """Nothing in the graph (or the query library) has this id."""

    def __init__(self, what: str, ident: str) -> None:
        self.what, self.ident = what, ident
        super().__init__(f"no {what} with id {ident!r}")


class Unauthorized(KGError):
    """No key, or not one of the keys configured for what was asked."""


class OntologyCheckError(OntologyError):
    """Ontology files parse but break the stewardship rules (kg/steward/check.py); lists each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} ontology problem(s):\n"
                         + "\n".join(f"  {p}" for p in self.problems))


class OntologyMismatch(OntologyError):
    """A load was given another ontology than the store's: a load never changes the stored
    ontology (only `kg ontology reload` does), so it is refused before anything is written."""

    def __init__(self, stored: str, given: str, message: str) -> None:
        self.stored, self.given = stored, given
        super().__init__(message)


class OntologyRefused(OntologyError):
    """A reload would leave instance data with nowhere to go; names the terms and their counts."""

    def __init__(self, orphans: list[dict]) -> None:
        self.orphans = list(orphans)
        lines = [f"reload refused: {len(self.orphans)} removed term(s) still have instance data "
                 "and no replacement (give a mapping file, see docs/ontology-stewardship.md)"]
        for o in self.orphans:
            lines.append(f"  {o['kind']} {o['iri']}: {o['instances']} instance(s)")
        super().__init__("\n".join(lines))
