"""Everything under personas/ that the product ships, loaded once at startup: the four styles,
the scenarios and the reading's lexicon."""

from dataclasses import dataclass
from pathlib import Path

from app.adapters.persona_files.lexicon import load_lexicon
from app.adapters.persona_files.scenarios import (
    CatalogError,
    check_name,
    parse_scenario_yaml,
    parse_style_yaml,
    source_name,
)
from app.domain.call.replay import Cast
from app.domain.reading.lexicon import Lexicon
from app.domain.scenario import Scenario
from app.domain.style import BuyerStyle, StyleName


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every shipped style (all four) and scenario, and the lexicon."""

    styles: dict[StyleName, BuyerStyle]
    scenarios: dict[str, Scenario]
    lexicon: Lexicon

    @property
    def cast(self) -> Cast:
        return Cast(styles=self.styles, lexicon=self.lexicon)


def load_catalog(personas_dir: Path) -> Catalog:
    """Loads `styles/*.yaml` (all four styles required) and `scenarios/*.yaml`; raises
    `CatalogError` on the first invalid file."""
    styles: dict[StyleName, BuyerStyle] = {}
    for path in sorted((personas_dir / "styles").glob("*.yaml")):
        source = source_name(path, personas_dir)
        style = parse_style_yaml(path.read_text(encoding="utf-8"), source=source)
        check_name(style.name.value, path, source, "name")
        styles[style.name] = style
    missing = [s.value for s in StyleName if s not in styles]
    if missing:
        raise CatalogError(
            source_name(personas_dir / "styles", personas_dir), [f"missing {missing}"]
        )
    scenarios: dict[str, Scenario] = {}
    for path in sorted((personas_dir / "scenarios").glob("*.yaml")):
        source = source_name(path, personas_dir)
        text = path.read_text(encoding="utf-8")
        scenario = parse_scenario_yaml(text, source=source, origin="file")
        check_name(scenario.id, path, source, "id")
        scenarios[scenario.id] = scenario
    return Catalog(styles=styles, scenarios=scenarios, lexicon=load_lexicon(personas_dir))
