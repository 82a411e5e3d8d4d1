"""Limits on a YAML text's shape, checked on the parser's event stream before anything is
composed, expanded or constructed (issue 14): nesting depth, aliases, and the number of nodes
the document would have once every alias is expanded. A 2 KB alias bomb expands to millions of
nodes and a 1,000-deep nesting overflows the composer's recursion; both are refused here in
one linear pass that never builds them."""

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
)

# libyaml's parser and loader when PyYAML was built with it (the wheels are): about nine times
# faster than the pure-Python ones on a scenario.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A shipped scenario nests 9 deep and has about 1,500 nodes and no aliases; 200,000 characters
# of YAML without aliases hold at most about 60,000 (short scalars in flow lists).
MAX_DEPTH = 12
MAX_NODES = 50_000
MAX_ALIASES = 100


class YamlTooComplexError(ValueError):
    """The text is beyond one of the limits; the message says which, in field-path style."""


class _Shape:
    """The running count: a stack of open collections, each with its expanded size so far."""

    def __init__(self) -> None:
        self.open: list[tuple[int, str | None]] = []  # (size so far, anchor)
        self.sizes: dict[str, int] = {}  # a finished anchor's expanded size
        self.unfinished: set[str] = set()
        self.aliases = 0

    def start(self, anchor: str | None) -> None:
        if len(self.open) >= MAX_DEPTH:
            raise YamlTooComplexError(f"(top level): nested too deep (more than {MAX_DEPTH})")
        if anchor is not None:
            self.unfinished.add(anchor)
        self.open.append((1, anchor))

    def end(self) -> None:
        size, anchor = self.open.pop()
        self.finish(size, anchor)

    def alias(self, anchor: str) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise YamlTooComplexError(f"(top level): more than {MAX_ALIASES} aliases")
        if anchor in self.unfinished:
            raise YamlTooComplexError(f"(top level): alias *{anchor} refers to itself")
        self.finish(self.sizes.get(anchor, 1), None)

    def finish(self, size: int, anchor: str | None) -> None:
        if anchor is not None:
            self.unfinished.discard(anchor)
            self.sizes[anchor] = size
        if self.open:
            total, own = self.open[-1]
            self.open[-1] = (total + size, own)
            size = total + size
        if size > MAX_NODES:
            raise YamlTooComplexError(
                f"(top level): more than {MAX_NODES} values once aliases are expanded"
            )


def check_yaml_shape(text: str) -> None:
    """Raises YamlTooComplexError when `text` is beyond the limits, yaml.YAMLError when it is
    not YAML; reads the parser's events only, in time linear in the text."""
    shape = _Shape()
    documents = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlTooComplexError("(top level): one YAML document per file")
        elif isinstance(event, CollectionStartEvent):
            shape.start(event.anchor)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            shape.end()
        elif isinstance(event, AliasEvent):
            shape.alias(event.anchor or "")
        elif isinstance(event, ScalarEvent):
            shape.finish(1, event.anchor)
