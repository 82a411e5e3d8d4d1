"""The persona catalog over `personas/` (DESIGN.md §3): scenario and style YAML validated by
Pydantic models, converted to domain objects; every error names the file and the field."""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, Field, ValidationError, model_validator

from app.adapters.persona_files.styles import BilingualModel, Strict, StyleModel, VariantsModel
from app.adapters.persona_files.yaml_limits import (
    SAFE_LOADER,
    YamlTooComplexError,
    check_yaml_shape,
)
from app.domain.scenario import (
    Account,
    Advance,
    Bilingual,
    Fact,
    Gender,
    Implication,
    NeedPayoff,
    Objection,
    ObjectionTrigger,
    Problem,
    Scenario,
    Variants,
)
from app.domain.style import BuyerStyle

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_CHARS = 64  # the database columns' length, enforced the same way on every database
MIN_FACTS = 8  # issue 3.2
MIN_PROBLEMS = 3
MIN_OBJECTIONS = 2
# Upper bounds keep a scenario's cost per move (topic matching over every cue) small: about
# four times the richest shipped scenario (11 facts, 4 problems, 14 variants per language).
MAX_FACTS = 40
MAX_PROBLEMS = 10
MAX_IMPLICATIONS = 6
MAX_NEEDS = 6
MAX_OBJECTIONS = 12


class CatalogError(Exception):
    """A persona file is invalid; the message names the file and the field path, e.g.
    `personas/scenarios/bank.yaml: problems.1.implications.0.answer.zh: field required`."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{source}: {p}" for p in self.problems))

    def __reduce__(self) -> tuple[type["CatalogError"], tuple[str, tuple[str, ...]]]:
        # Raised in a worker process and re-raised here: rebuilt from its own fields.
        return (CatalogError, (self.source, self.problems))


def _kebab(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError(f"{value!r} is not a lowercase kebab-case id")
    return value


Id = Annotated[str, Field(max_length=MAX_ID_CHARS), AfterValidator(_kebab)]


class NeedModel(Strict):
    id: Id
    title: BilingualModel
    cues: VariantsModel
    answer: VariantsModel
    example_question: BilingualModel

    def to_domain(self) -> NeedPayoff:
        return NeedPayoff(
            id=self.id,
            title=self.title.to_domain(),
            cues=self.cues.to_domain(),
            answer=self.answer.to_domain(),
            example_question=self.example_question.to_domain(),
        )


class ImplicationModel(Strict):
    id: Id
    title: BilingualModel
    cues: VariantsModel
    answer: VariantsModel
    example_question: BilingualModel
    needs: Annotated[list[NeedModel], Field(min_length=1, max_length=MAX_NEEDS)]

    def to_domain(self) -> Implication:
        return Implication(
            id=self.id,
            title=self.title.to_domain(),
            cues=self.cues.to_domain(),
            answer=self.answer.to_domain(),
            example_question=self.example_question.to_domain(),
            needs=tuple(n.to_domain() for n in self.needs),
        )


class ProblemModel(Strict):
    id: Id
    title: BilingualModel
    cues: VariantsModel
    answer: VariantsModel
    hint: VariantsModel
    example_question: BilingualModel
    implications: Annotated[
        list[ImplicationModel], Field(min_length=1, max_length=MAX_IMPLICATIONS)
    ]

    def to_domain(self) -> Problem:
        return Problem(
            id=self.id,
            title=self.title.to_domain(),
            cues=self.cues.to_domain(),
            answer=self.answer.to_domain(),
            hint=self.hint.to_domain(),
            example_question=self.example_question.to_domain(),
            implications=tuple(i.to_domain() for i in self.implications),
        )


class FactModel(Strict):
    id: Id
    cues: VariantsModel
    answer: VariantsModel


class ObjectionModel(Strict):
    id: Id
    trigger: ObjectionTrigger
    text: VariantsModel


class AccountModel(Strict):
    company: BilingualModel
    industry: BilingualModel
    buyer_name: BilingualModel
    buyer_role: BilingualModel
    product: BilingualModel
    # Optional so that scenarios authored before these fields still load; shipped files
    # declare both (tests/adapters check it).
    gender: Gender = Gender.UNSPECIFIED
    address: BilingualModel | None = None

    @model_validator(mode="after")
    def _address_names_the_buyer(self) -> "AccountModel":
        """A form of address must use the buyer's family name ("Mr Wang", "王总"), so a
        copy-pasted scenario cannot address one buyer by another's name."""
        if self.address is None:
            return self
        for language, name, form in (
            ("en", self.buyer_name.en, self.address.en),
            ("zh", self.buyer_name.zh, self.address.zh),
        ):
            parts = name.split() if language == "en" else [name[:1], name[:2]]
            if not any(part and part in form for part in parts):
                raise ValueError(f"address.{language} {form!r} does not name {name!r}")
        return self


class AdvanceModel(Strict):
    description: BilingualModel
    cues: VariantsModel
    accept: VariantsModel
    defer: VariantsModel


class ScenarioModel(Strict):
    id: Id
    title: BilingualModel
    brief: BilingualModel
    account: AccountModel
    opening: VariantsModel
    facts: Annotated[list[FactModel], Field(min_length=MIN_FACTS, max_length=MAX_FACTS)]
    problems: Annotated[list[ProblemModel], Field(min_length=MIN_PROBLEMS, max_length=MAX_PROBLEMS)]
    objections: Annotated[
        list[ObjectionModel], Field(min_length=MIN_OBJECTIONS, max_length=MAX_OBJECTIONS)
    ]
    advance: AdvanceModel

    def duplicate_ids(self) -> list[str]:
        """Field paths of ids used twice (ids are unique within a scenario)."""
        seen: set[str] = set()
        found: list[str] = []

        def visit(path: str, item_id: str) -> None:
            if item_id in seen:
                found.append(f"{path}.id: duplicate id {item_id!r}")
            seen.add(item_id)

        for n, fact in enumerate(self.facts):
            visit(f"facts.{n}", fact.id)
        for p, problem in enumerate(self.problems):
            visit(f"problems.{p}", problem.id)
            for i, implication in enumerate(problem.implications):
                visit(f"problems.{p}.implications.{i}", implication.id)
                for k, need in enumerate(implication.needs):
                    visit(f"problems.{p}.implications.{i}.needs.{k}", need.id)
        objection_ids: set[str] = set()
        for n, objection in enumerate(self.objections):
            if objection.id in objection_ids:
                found.append(f"objections.{n}.id: duplicate id {objection.id!r}")
            objection_ids.add(objection.id)
        return found

    def to_domain(self, *, origin: str) -> Scenario:
        def b(model: BilingualModel) -> Bilingual:
            return model.to_domain()

        def v(model: VariantsModel) -> Variants:
            return model.to_domain()

        return Scenario(
            id=self.id,
            title=b(self.title),
            brief=b(self.brief),
            account=Account(
                company=b(self.account.company),
                industry=b(self.account.industry),
                buyer_name=b(self.account.buyer_name),
                buyer_role=b(self.account.buyer_role),
                product=b(self.account.product),
                gender=self.account.gender,
                address=b(self.account.address) if self.account.address else None,
            ),
            opening=v(self.opening),
            facts=tuple(Fact(id=f.id, cues=v(f.cues), answer=v(f.answer)) for f in self.facts),
            problems=tuple(p.to_domain() for p in self.problems),
            objections=tuple(
                Objection(id=o.id, trigger=o.trigger, text=v(o.text)) for o in self.objections
            ),
            advance=Advance(
                description=b(self.advance.description),
                cues=v(self.advance.cues),
                accept=v(self.advance.accept),
                defer=v(self.advance.defer),
            ),
            source=origin,
        )


def _describe(exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = error["msg"]
        problems.append(f"{path}: {message[:1].lower()}{message[1:]}")
    return problems


def _read(text: str, source: str) -> object:
    """YAML text to plain data, after its shape passed the limits (yaml_limits.py): nothing
    is expanded or constructed before that."""
    try:
        check_yaml_shape(text)
        return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader: no object tags
    except YamlTooComplexError as exc:
        raise CatalogError(source, [str(exc)]) from exc
    except yaml.YAMLError as exc:
        raise CatalogError(source, [f"invalid YAML: {exc}"]) from exc


def _validate_scenario(data: object, *, source: str) -> ScenarioModel:
    if not isinstance(data, dict):
        raise CatalogError(source, ["(top level): expected a mapping"])
    try:
        model = ScenarioModel.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(source, _describe(exc)) from exc
    duplicates = model.duplicate_ids()
    if duplicates:
        raise CatalogError(source, duplicates)
    return model


def parse_scenario_yaml(text: str, *, source: str, origin: str = "authored") -> Scenario:
    """A scenario from YAML text (a trainer's upload or the UI editor); `source` names it
    in errors; `origin` becomes `Scenario.source` ("authored" or "file")."""
    return _validate_scenario(_read(text, source), source=source).to_domain(origin=origin)


def parse_scenario_job(text: str, source: str) -> Scenario:
    """`parse_scenario_yaml` for an authored scenario, as a worker process runs it."""
    return parse_scenario_yaml(text, source=source)


def parse_style_yaml(text: str, *, source: str) -> BuyerStyle:
    data = _read(text, source)
    if not isinstance(data, dict):
        raise CatalogError(source, ["(top level): expected a mapping"])
    try:
        return StyleModel.model_validate(data).to_domain()
    except ValidationError as exc:
        raise CatalogError(source, _describe(exc)) from exc


def source_name(path: Path, personas_dir: Path) -> str:
    try:
        return path.relative_to(personas_dir.parent).as_posix()
    except ValueError:
        return path.as_posix()


def check_name(value: str, path: Path, source: str, field: str) -> None:
    if value != path.stem:
        raise CatalogError(
            source, [f"{field}: {value!r} does not match the file name {path.stem!r}"]
        )


def _b(text: Bilingual) -> dict[str, str]:
    return {"en": text.en, "zh": text.zh}


def _v(variants: Variants) -> dict[str, list[str]]:
    return {"en": list(variants.en), "zh": list(variants.zh)}


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario in the file schema of `personas/README.md` (without `source`)."""
    account = scenario.account
    return {
        "id": scenario.id,
        "title": _b(scenario.title),
        "brief": _b(scenario.brief),
        "account": {
            "company": _b(account.company),
            "industry": _b(account.industry),
            "buyer_name": _b(account.buyer_name),
            "buyer_role": _b(account.buyer_role),
            "product": _b(account.product),
            "gender": account.gender.value,
            **({"address": _b(account.address)} if account.address else {}),
        },
        "opening": _v(scenario.opening),
        "facts": [{"id": f.id, "cues": _v(f.cues), "answer": _v(f.answer)} for f in scenario.facts],
        "problems": [
            {
                "id": p.id,
                "title": _b(p.title),
                "cues": _v(p.cues),
                "answer": _v(p.answer),
                "hint": _v(p.hint),
                "example_question": _b(p.example_question),
                "implications": [
                    {
                        "id": i.id,
                        "title": _b(i.title),
                        "cues": _v(i.cues),
                        "answer": _v(i.answer),
                        "example_question": _b(i.example_question),
                        "needs": [
                            {
                                "id": n.id,
                                "title": _b(n.title),
                                "cues": _v(n.cues),
                                "answer": _v(n.answer),
                                "example_question": _b(n.example_question),
                            }
                            for n in i.needs
                        ],
                    }
                    for i in p.implications
                ],
            }
            for p in scenario.problems
        ],
        "objections": [
            {"id": o.id, "trigger": o.trigger.value, "text": _v(o.text)}
            for o in scenario.objections
        ],
        "advance": {
            "description": _b(scenario.advance.description),
            "cues": _v(scenario.advance.cues),
            "accept": _v(scenario.advance.accept),
            "defer": _v(scenario.advance.defer),
        },
    }


def dump_scenario_yaml(scenario: Scenario) -> str:
    """YAML text that `parse_scenario_yaml` reads back to an equal scenario."""
    return yaml.safe_dump(
        scenario_to_dict(scenario), allow_unicode=True, sort_keys=False, width=100
    )
