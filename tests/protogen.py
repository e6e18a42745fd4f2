"""Descriptor-driven message building for tests: fill every field, list and change leaves.

Driven by descriptors rather than field names, so a field added to the schema is
covered by the drift guard without anyone remembering to add it here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

Path = tuple[tuple[str, Any], ...]  # (field name, selector) steps from the root


def _is_map(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def _scalar(field: FieldDescriptor, n: int) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return f"v{n}"
    if kind == FieldDescriptor.TYPE_BYTES:
        return f"b{n}".encode()
    if kind == FieldDescriptor.TYPE_BOOL:
        return True
    if kind == FieldDescriptor.TYPE_ENUM:
        return 1 + n % 8
    return n


def _changed(field: FieldDescriptor, value: Any) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return value + "~"
    if kind == FieldDescriptor.TYPE_BYTES:
        return value + b"~"
    if kind == FieldDescriptor.TYPE_BOOL:
        return not value
    if kind == FieldDescriptor.TYPE_ENUM:
        return value % 8 + 1
    return value + 1


def populate(message: Message, variant: int = 0, counter: Iterator[int] | None = None) -> Message:
    """Set every field: one element per repeated field, one entry per map.

    Each oneof sets its member number `variant` (modulo its size), so running variants
    0, 1, 2 covers every member. Values are distinct so no two leaves look alike.
    """
    counter = counter if counter is not None else itertools.count(1)
    for field in message.DESCRIPTOR.fields:
        oneof = field.containing_oneof
        if oneof is not None and oneof.fields[variant % len(oneof.fields)] is not field:
            continue
        container = getattr(message, field.name)
        if _is_map(field):
            key_field = field.message_type.fields_by_name["key"]
            value_field = field.message_type.fields_by_name["value"]
            key = _scalar(key_field, next(counter))
            if value_field.message_type is not None:
                populate(container[key], variant, counter)
            else:
                container[key] = _scalar(value_field, next(counter))
        elif field.is_repeated:
            if field.message_type is not None:
                populate(container.add(), variant, counter)
            else:
                container.append(_scalar(field, next(counter)))
        elif field.message_type is not None:
            container.SetInParent()
            populate(container, variant, counter)
        else:
            setattr(message, field.name, _scalar(field, next(counter)))
    return message


def leaves(message: Message, prefix: Path = ()) -> Iterator[Path]:
    """Every value that can be changed: scalars, elements, map keys and values, presence."""
    for field, value in message.ListFields():
        if _is_map(field):
            value_field = field.message_type.fields_by_name["value"]
            for key in sorted(value):
                yield (*prefix, (field.name, ("key", key)))
                if value_field.message_type is not None:
                    yield from leaves(value[key], (*prefix, (field.name, ("value", key))))
                else:
                    yield (*prefix, (field.name, ("value", key)))
        elif field.is_repeated:
            for index, element in enumerate(value):
                if field.message_type is not None:
                    yield from leaves(element, (*prefix, (field.name, index)))
                else:
                    yield (*prefix, (field.name, index))
        elif field.message_type is not None:
            yield (*prefix, (field.name, "presence"))
            yield from leaves(value, (*prefix, (field.name, None)))
        else:
            yield (*prefix, (field.name, None))


def mutate(message: Message, path: Path) -> None:
    """Change the leaf at `path` in place."""
    *steps, (name, selector) = path
    for step_name, step in steps:
        container = getattr(message, step_name)
        message = (
            container[step[1]]
            if isinstance(step, tuple)
            else (container if step is None else container[step])
        )
    field = message.DESCRIPTOR.fields_by_name[name]
    container = getattr(message, name)
    if selector == "presence":
        message.ClearField(name)
    elif isinstance(selector, tuple) and selector[0] == "key":
        key = selector[1]
        new_key = _changed(field.message_type.fields_by_name["key"], key)
        if field.message_type.fields_by_name["value"].message_type is not None:
            container[new_key].CopyFrom(container[key])
        else:
            container[new_key] = container[key]
        del container[key]
    elif isinstance(selector, tuple):
        value_field = field.message_type.fields_by_name["value"]
        container[selector[1]] = _changed(value_field, container[selector[1]])
    elif selector is None:
        setattr(message, name, _changed(field, container))
    else:
        container[selector] = _changed(field, container[selector])


def describe_path(descriptor: Descriptor, path: Path) -> str:
    text = descriptor.name
    for name, selector in path:
        if selector is None:
            text += f".{name}"
        elif selector == "presence":
            text += f".{name}(presence)"
        elif isinstance(selector, tuple):
            text += f".{name}[{selector[0]} {selector[1]!r}]"
        else:
            text += f".{name}[{selector}]"
    return text


def uncarried(rich: Message, observe: Callable[[bytes], Any]) -> list[str]:
    """Leaves of `rich` whose change does not change what `observe` sees of its bytes."""
    baseline = observe(rich.SerializeToString(deterministic=True))
    missing = []
    for path in leaves(rich):
        changed = type(rich)()
        changed.CopyFrom(rich)
        mutate(changed, path)
        if observe(changed.SerializeToString(deterministic=True)) == baseline:
            missing.append(describe_path(rich.DESCRIPTOR, path))
    return missing
