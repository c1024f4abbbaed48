"""The methods each build step offers, registered by name.

A step module registers its methods in its own :class:`Registry` (the formula lives with
the step); the methodology validates the names it is given against the registries, so a
method a user registers by name is as valid as a built-in one. Asking for a step's
registry (:func:`registry`) loads the step's module by name first, as the package root
loads its names on first use: the model never imports a step, so the layers stay one
way. A registry knows, for every method, the settings of the step that apply to it, so
that a setting which does not apply is refused instead of being silently ignored.

Examples
--------
>>> reg = Registry("example")
>>> _ = reg.add(Method("double", lambda x: 2 * x, frozenset({"scale"})))
>>> reg["double"].function(2), sorted(reg.names)
(4, ['double'])
>>> reg.unknown("duble")
"example method 'duble' is not registered; did you mean 'double'? Registered: ['double']."
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from readiness_index.errors import MethodologyError

__all__ = ["ENTRY_POINT_GROUP", "Method", "Registry", "load_plugins", "registry", "source_hash"]

#: The entry-point group under which an installed package declares the module that
#: registers its methods (``[project.entry-points."readiness_index.methods"]``).
ENTRY_POINT_GROUP = "readiness_index.methods"


def source_hash(function: Callable[..., Any]) -> str:
    """SHA-256 of a function's source text (of its byte code when the source is unavailable).

    >>> len(source_hash(source_hash))
    64
    """
    try:
        text = inspect.getsource(function).encode()
    except (OSError, TypeError):
        code = getattr(function, "__code__", None)
        text = code.co_code if code is not None else repr(function).encode()
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class Method:
    """One method of a step.

    Attributes
    ----------
    name : str
        The name the methodology uses.
    function : callable
        The formula (its docstring states it).
    parameters : frozenset of str
        The settings of the step's specification that apply to this method; any other
        setting given is refused.
    builtin : bool
        False for a method a user registered.
    """

    name: str
    function: Callable[..., Any] = field(repr=False)
    parameters: frozenset[str] = frozenset()
    builtin: bool = True

    @property
    def qualified_name(self) -> str:
        """``module.qualname`` of the function, as the replay record stores it."""
        module = getattr(self.function, "__module__", "?")
        return f"{module}.{getattr(self.function, '__qualname__', repr(self.function))}"

    @property
    def source_hash(self) -> str:
        """SHA-256 of the function's source (see :func:`source_hash`)."""
        return source_hash(self.function)

    def fingerprint(self) -> dict[str, str]:
        """What the replay record keeps of a user's method: qualified name and source hash."""
        return {"qualified_name": self.qualified_name, "source_hash": self.source_hash}


M = TypeVar("M", bound=Method)

_REGISTRIES: dict[str, Registry[Any]] = {}

#: The module that creates each step's registry (loaded on first use).
_HOMES = {
    "impute": "readiness_index.steps.impute",
    "treat": "readiness_index.steps.treat",
    "normalise": "readiness_index.steps.normalise",
    "aggregate": "readiness_index.steps.aggregate",
}


class Registry(Generic[M]):
    """The methods of one step, by name (created once per step, in the step's module)."""

    def __init__(self, step: str) -> None:
        self.step = step
        self._methods: dict[str, M] = {}
        _REGISTRIES[step] = self

    def add(self, method: M) -> M:
        """Register ``method``; a user's method may replace an earlier one of the same name,
        never a built-in one.

        Raises
        ------
        MethodologyError
            If the name is taken by a built-in method.
        """
        known = self._methods.get(method.name)
        if known is not None and (known.builtin or method.builtin):
            raise MethodologyError(
                f"{self.step} method {method.name!r} is already registered (built in); "
                "register yours under another name"
            )
        self._methods[method.name] = method
        return method

    def __getitem__(self, name: str) -> M:
        if name not in self:
            raise MethodologyError(self.unknown(name))
        return self._methods[name]

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is registered; an unknown name first loads the installed
        packages' methods (:func:`load_plugins`), once."""
        if name not in self._methods and load_plugins():
            return name in self._methods
        return name in self._methods

    def __iter__(self) -> Iterator[M]:
        return iter(self._methods.values())

    @property
    def names(self) -> tuple[str, ...]:
        """Every registered name, built-in ones first."""
        return tuple(self._methods)

    def unknown(self, name: str) -> str:
        """The message for a name that is not registered, with a suggestion."""
        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "."
        return (
            f"{self.step} method {name!r} is not registered{hint} Registered: {sorted(self.names)}."
        )


def registry(step: str) -> Registry[Method]:
    """The registry of ``step`` (``impute``, ``treat``, ``normalise``, ``aggregate``).

    Raises
    ------
    MethodologyError
        If the step has no registry (its module is not loaded).
    """
    if step not in _REGISTRIES and step in _HOMES:
        importlib.import_module(_HOMES[step])
    try:
        return _REGISTRIES[step]
    except KeyError:
        raise MethodologyError(
            f"no method registry for step {step!r}; known: {sorted(_REGISTRIES)}"
        ) from None


_PLUGINS: list[str] = []


def load_plugins() -> bool:
    """Import the modules that installed packages declare under :data:`ENTRY_POINT_GROUP`.

    Each entry point names a module (``mypackage.methods``) whose import registers
    methods with the step's decorators (``register_normalisation``...), so that a
    methodology file may name them from the command line as from Python. Only installed
    packages' metadata is read: nothing named in input data is ever imported. Runs once
    per process; returns whether this call loaded anything (``False`` on later calls).

    Raises
    ------
    MethodologyError
        If a declared module cannot be imported, naming the entry point, its package
        and the error.
    """
    if _PLUGINS:
        return False
    from importlib.metadata import entry_points

    _PLUGINS.append("loaded")
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        package = point.dist.name if point.dist is not None else "an installed package"
        try:
            point.load()
        except Exception as err:
            raise MethodologyError(
                f"the methods {point.name!r} that {package} declares ({point.value}, "
                f"entry point group {ENTRY_POINT_GROUP!r}) could not be loaded: "
                f"{type(err).__name__}: {err}"
            ) from err
        _PLUGINS.append(point.value)
    return len(_PLUGINS) > 1
