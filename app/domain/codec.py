"""Domain values ↔ plain JSON values, one generic codec driven by the dataclasses' type hints.

The stores persist the discovery state, labels, session options and scorecards as JSON, and
the API and exports send them: all of them go through `to_plain` and `from_plain`, so a value
has one JSON shape everywhere and nobody hand-writes a walk over it. Unknown keys are ignored
(an older or newer row still reads); a missing key falls back to the field's default."""

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import TypeVar, cast
from uuid import UUID

T = TypeVar("T")
Plain = None | bool | int | float | str | list["Plain"] | dict[str, "Plain"]


class CodecError(ValueError):
    """Stored or received data that does not have the shape of the type it is read as."""


def to_plain(value: object) -> Plain:
    """Enums as their values, tuples as lists, UUIDs and datetimes as strings, dataclasses as
    objects of their fields."""
    if isinstance(value, enum.Enum):  # before str: a StrEnum is a str
        return cast(Plain, value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    raise CodecError(f"{type(value).__name__} has no plain form")


def to_record(value: object) -> dict[str, Plain]:
    """A dataclass as a JSON object (what a JSON column stores)."""
    plain = to_plain(value)
    if not isinstance(plain, dict):
        raise CodecError(f"{type(value).__name__} is not a record")
    return plain


def from_plain(kind: type[T], data: object) -> T:
    """`data` read as `kind`; raises CodecError naming the path of the first mismatch."""
    return cast(T, _decode(kind, data, "$"))


@functools.cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _decode(kind: object, data: object, path: str) -> object:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is typing.Any or kind is object:
        return data
    if origin in (typing.Union, types.UnionType):
        return _union(args, data, path)
    if origin is typing.Literal:
        if data in args:
            return data
        raise CodecError(f"{path}: {data!r} is not one of {args}")
    if origin is tuple:
        items = _sequence(data, path)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{path}[{n}]") for n, v in enumerate(items))
        if len(items) != len(args):
            raise CodecError(f"{path}: expected {len(args)} items")
        return tuple(
            _decode(a, v, f"{path}[{n}]") for n, (a, v) in enumerate(zip(args, items, strict=True))
        )
    if origin is list:
        return [_decode(args[0], v, f"{path}[{n}]") for n, v in enumerate(_sequence(data, path))]
    if origin in (dict, Mapping):
        if not isinstance(data, Mapping):
            raise CodecError(f"{path}: expected an object")
        key, value = args
        return {_decode(key, k, path): _decode(value, v, f"{path}.{k}") for k, v in data.items()}
    if isinstance(kind, type):
        return _scalar_or_record(kind, data, path)
    raise CodecError(f"{path}: cannot read {kind!r}")


def _union(args: tuple[object, ...], data: object, path: str) -> object:
    if data is None and type(None) in args:
        return None
    errors = []
    for option in args:
        if option is type(None):
            continue
        try:
            return _decode(option, data, path)
        except CodecError as exc:
            errors.append(str(exc))
    raise CodecError("; ".join(errors) or f"{path}: unexpected {data!r}")


def _sequence(data: object, path: str) -> list[object]:
    if not isinstance(data, list | tuple):
        raise CodecError(f"{path}: expected a list")
    return list(data)


def _scalar_or_record(kind: type, data: object, path: str) -> object:
    if issubclass(kind, enum.Enum):
        try:
            return kind(data)
        except ValueError as exc:
            raise CodecError(f"{path}: {data!r} is not a {kind.__name__}") from exc
    if dataclasses.is_dataclass(kind):
        return _record(kind, data, path)
    if kind is UUID:
        try:
            return UUID(str(data))
        except ValueError as exc:
            raise CodecError(f"{path}: not a UUID") from exc
    if kind is datetime:
        if not isinstance(data, str):
            raise CodecError(f"{path}: expected a date-time string")
        try:
            return datetime.fromisoformat(data)
        except ValueError as exc:
            raise CodecError(f"{path}: not a date-time") from exc
    if kind is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if kind is int and isinstance(data, bool):
        raise CodecError(f"{path}: expected int")
    if isinstance(data, kind):
        return data
    raise CodecError(f"{path}: expected {kind.__name__}, got {type(data).__name__}")


def _record(kind: type, data: object, path: str) -> object:
    if not isinstance(data, Mapping):
        raise CodecError(f"{path}: expected an object for {kind.__name__}")
    hints = _hints(kind)
    values: dict[str, object] = {}
    for f in dataclasses.fields(kind):
        if not f.init:
            continue
        if f.name in data:
            values[f.name] = _decode(hints[f.name], data[f.name], f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise CodecError(f"{path}.{f.name}: missing")
    return kind(**values)
