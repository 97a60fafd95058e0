"""Jinja2's sandbox with bounded work: what a user's letter template may do for one letter.

A template in ``--templates DIR`` is code from outside. Jinja2's immutable sandbox keeps it
away from Python's internals and from changing the values it is given (``list.append`` is
refused); :class:`BoundedSandbox` also bounds its work, so that no template can hang the
run or exhaust the machine. For each letter (:func:`bounded_render`):

* **loops**: all loop steps together, at most :data:`MAX_TEMPLATE_LOOPS` (each
  ``{% for %}`` and each ``loop(…)`` of a recursive loop is counted);
* **sizes**: no text or list the template makes, its output included, is longer than
  :data:`MAX_TEMPLATE_VALUE`, and all it makes adds up to at most :data:`MAX_TEMPLATE_MADE`.
  Every operator (``+ * ** %``), every ``~``, every filter, every call of a method or macro
  and every captured or emitted block is measured; where a value could grow faster than
  its inputs (``*``, ``**``, ``~``, ``indent``, ``wordwrap``, ``replace``, ``join``,
  ``expandtabs``, ``translate``, formats) it is measured before it is made;
* **formats**: a width or precision over :data:`MAX_FORMAT_WIDTH` (``%0999999d``,
  ``{:>999999}``) is refused, as is a power over 1,000;
* ``lipsum`` is not offered: nothing in a letter needs generated text.

A template over a bound raises :class:`~jinja2.exceptions.SecurityError`, which
:func:`~costshare.documents.pdf.letters.render_letter` reports in one line.

>>> sandbox = BoundedSandbox()
>>> with bounded_render():
...     sandbox.from_string("{% for i in range(3) %}{{ i ~ '!' }}{% endfor %}").render()
'0!1!2!'
>>> with bounded_render():
...     sandbox.from_string("{{ 'x'|center(2000000) }}").render()
Traceback (most recent call last):
...
jinja2.exceptions.SecurityError: a text or list of more than 1,000,000 characters or items is not allowed
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import jinja2.sandbox
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.visitor import NodeTransformer

from costshare.base.i18n import Grouped, tr
from costshare.base.limits import (
    MAX_FORMAT_WIDTH,
    MAX_TEMPLATE_LOOPS,
    MAX_TEMPLATE_MADE,
    MAX_TEMPLATE_VALUE,
)

_MAX_EXPONENT = 1000
_DIGITS_PER_BIT = 0.30103
# A printf conversion: %(key)-08.3f; the width and precision may be '*' (taken from args).
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
_NUMBERS = re.compile(r"\d+")


@dataclass
class _Budget:
    """What one letter's rendering may still do."""

    loops: int = MAX_TEMPLATE_LOOPS
    made: int = MAX_TEMPLATE_MADE


_BUDGET: ContextVar[_Budget | None] = ContextVar("costshare_template_budget", default=None)


@contextmanager
def bounded_render() -> Iterator[None]:
    """One letter's budget of loop steps and characters, for what renders inside."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # rendered outside bounded_render: a budget for the rest of the call
        budget = _Budget()
        _BUDGET.set(budget)
    return budget


def size(value: Any) -> int:
    """What a value weighs: characters, items, or digits of a whole number.

    >>> size("abc"), size([1, 2]), size(10**99), size(2.5)
    (3, 2, 100, 0)
    """
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value.bit_length() * _DIGITS_PER_BIT) + 1  # at least its digits
    return 0


def refuse_over(estimate: int) -> None:
    """Refuse to make a value of ``estimate`` characters or items if that is too many."""
    if estimate > MAX_TEMPLATE_VALUE:
        raise SecurityError(
            tr(
                "a text or list of more than {limit} characters or items is not allowed",
                limit=Grouped(MAX_TEMPLATE_VALUE),
            )
        )


def charged(value: Any) -> Any:
    """``value``, counted against the letter's budget of what a template may make."""
    weight = size(value)
    refuse_over(weight)
    budget = _budget()
    budget.made -= weight
    if budget.made < 0:
        raise SecurityError(
            tr(
                "the template made more than {limit} characters in all for one letter",
                limit=Grouped(MAX_TEMPLATE_MADE),
            )
        )
    return value


def _refuse_width(number: int) -> None:
    if number > MAX_FORMAT_WIDTH:
        raise SecurityError(
            tr(
                "a format width or precision over {limit} is not allowed",
                limit=Grouped(MAX_FORMAT_WIDTH),
            )
        )


def _printf_estimate(template: str, values: Any) -> int:
    """An upper bound on the length of ``template % values``; refuses wide formats."""
    if isinstance(values, Mapping):
        pieces = [str(value) for value in values.values()]
    else:
        pieces = [str(value) for value in (values if isinstance(values, tuple) else (values,))]
    longest = max(map(len, pieces), default=0)
    estimate = len(template)
    for match in _PRINTF.finditer(template):
        width = 0
        for number in match.group(1, 2):
            if number and number != "*":
                _refuse_width(int(number))
                width += int(number)
        estimate += width + longest + 24  # a float's digits, a sign, an exponent
    for value in pieces if "*" in template else ():
        if value.isdigit():
            _refuse_width(int(value))
    return estimate


def _join_items(items: Iterable[Any], separator: str) -> list[Any]:
    """``items`` as a list, refused if joining them would make too long a text."""
    collected: list[Any] = []
    total = 0
    for item in items:
        total += len(str(item)) + len(separator)
        refuse_over(total)
        collected.append(item)
    return collected


def _replace_estimate(text: str, old: str, new: str, count: int = -1) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new) - len(old))


def _lines_times(text: str, width: Any) -> int:
    return len(text) + (text.count("\n") + 1) * (len(width) if isinstance(width, str) else width)


def _filter_estimates() -> dict[str, Callable[..., int]]:
    """For the filters whose result can outgrow their input: its size, before it is made."""

    def indent(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
        return _lines_times(str(s), width)

    def wordwrap(s: Any, width: int = 79, *flags: Any, **kwargs: Any) -> int:
        wrapstring = kwargs.get("wrapstring", flags[1] if len(flags) > 1 else None)
        text, joint = str(s), str(wrapstring or "\n")
        return len(text) + (len(text) // max(int(width), 1) + text.count("\n") + 1) * len(joint)

    def replace(s: Any, old: Any, new: Any, count: Any = None) -> int:
        return _replace_estimate(str(s), str(old), str(new), -1 if count is None else count)

    def printf(value: Any, *args: Any, **kwargs: Any) -> int:
        return _printf_estimate(str(value), kwargs or tuple(args))

    def tojson(value: Any, indent: Any = None) -> int:
        _refuse_width(int(indent or 0))
        return 0

    return {
        "indent": indent,
        "wordwrap": wordwrap,
        "replace": replace,
        "format": printf,
        "tojson": tojson,
    }


_FILTER_ESTIMATES = _filter_estimates()
# Filters whose number arguments are widths or counts of what they make.
_COUNTING_FILTERS = frozenset(["center", "indent", "wordwrap", "truncate", "batch", "slice"])


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its result measured, and measured before for growing filters."""
    estimate = _FILTER_ESTIMATES.get(name)
    counting = name in _COUNTING_FILTERS
    # Filters marked pass_context/pass_environment/pass_eval_context get that first.
    passes_state = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        state, values = (args[:1], args[1:]) if passes_state else ((), args)
        for number in (*values[1:], *kwargs.values()) if counting else ():
            if isinstance(number, int) and not isinstance(number, bool):
                refuse_over(number)  # a width or count: center(10**9), batch(10**9)
        if name == "join" and values:
            separator = str(values[1] if len(values) > 1 else kwargs.get("d", ""))
            values = (_join_items(values[0], separator), *values[1:])
        elif estimate is not None and values:
            refuse_over(estimate(*values, **kwargs))
        return charged(function(*state, *values, **kwargs))

    return bounded


def _method_estimate(method: Any, args: Sequence[Any]) -> tuple[int, Sequence[Any]]:
    """For a method of a text that can outgrow it: the result's size, and the arguments
    (a joined iterable is collected into a list first)."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str | bytes) or not args:
        return 0, args
    if name == "join":
        return 0, (_join_items(args[0], str(owner)), *args[1:])
    if name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else -1
        return _replace_estimate(str(owner), str(args[0]), str(args[1]), count), args
    if name == "expandtabs" and isinstance(args[0], int):
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        return len(owner) + tabs * args[0], args
    if name == "translate" and isinstance(args[0], Mapping):
        longest = max((size(value) for value in args[0].values()), default=1)
        return len(owner) * max(longest, 1), args
    return 0, args


class _BoundedFormatter(jinja2.sandbox.SandboxedFormatter):
    """``str.format`` in the sandbox, with every field's width and the result bounded."""

    def vformat(self, format_string: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        self._made = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        for number in _NUMBERS.findall(format_spec):
            _refuse_width(int(number))
        self._made += len(str(value)) + MAX_FORMAT_WIDTH
        refuse_over(self._made)
        return super().format_field(value, format_spec)


class _BoundWork(NodeTransformer):
    """Rewrites a parsed template so that its loops and ``~`` go through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        assert isinstance(node.iter, nodes.Expr)
        node.iter = _environment_call("bounded_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _environment_call("bounded_concat", nodes.List(list(node.nodes)))


def _environment_call(name: str, argument: nodes.Expr) -> nodes.Expr:
    call = nodes.Call(nodes.EnvironmentAttribute(name), [argument], [], None, None)
    call.set_lineno(argument.lineno)
    return call


class BoundedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox with a bound on every kind of work (module docstring)."""

    intercepted_binops = frozenset(["+", "*", "**", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.filters = {
            name: _bounded_filter(name, function) for name, function in self.filters.items()
        }

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja2's one place where a template becomes a tree before it is compiled.
        tree = super()._parse(source, name, filename)
        result = _BoundWork().visit(tree)
        assert isinstance(result, nodes.Template)
        return result

    def bounded_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """The items of ``iterable``, each one a step of the letter's loops."""
        budget = _budget()
        for item in iterable:
            budget.loops -= 1
            if budget.loops < 0:
                raise SecurityError(
                    tr(
                        "the loops ran more than {limit} steps for one letter",
                        limit=Grouped(MAX_TEMPLATE_LOOPS),
                    )
                )
            yield item

    def bounded_concat(self, parts: list[Any]) -> str:
        """``a ~ b ~ c``: the texts joined, measured before they are."""
        texts = [str(part) for part in parts]
        refuse_over(sum(map(len, texts)))
        return str(charged("".join(texts)))

    def concat(self, parts: Iterable[str]) -> str:
        """The output of a template, a macro or a captured block, measured as it grows."""
        collected: list[str] = []
        total = 0
        for part in parts:
            total += len(part)
            refuse_over(total)
            collected.append(part)
        return str(charged("".join(collected)))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int) and abs(right) > _MAX_EXPONENT:
                raise SecurityError(tr("a power over 1000 is not allowed"))
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                refuse_over(size(left) * right)
        elif operator == "*":
            self._refuse_repeat(left, right)
        elif operator == "+" and size(left) and size(right):
            refuse_over(size(left) + size(right))
        elif operator == "%" and isinstance(left, str):
            refuse_over(_printf_estimate(left, right))
        return charged(super().call_binop(context, operator, left, right))

    @staticmethod
    def _refuse_repeat(left: Any, right: Any) -> None:
        for sized, times in ((left, right), (right, left)):
            repeats = isinstance(sized, str | bytes | list | tuple) and isinstance(times, int)
            if repeats and len(sized) * times > MAX_TEMPLATE_VALUE:
                raise SecurityError(
                    tr(
                        "repeating a text or list past {limit} items is not allowed",
                        limit=Grouped(MAX_TEMPLATE_VALUE),
                    )
                )
        if isinstance(left, int) and isinstance(right, int):
            refuse_over(size(left) + size(right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from the template: a method, a macro, ``range``, ``loop(…)``."""
        if isinstance(getattr(__obj, "__self__", None), str | bytes):
            for number in (*args, *kwargs.values()):
                if isinstance(number, int) and not isinstance(number, bool):
                    refuse_over(number)  # "x".center(10**9), "x".zfill(10**9)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (__self.bounded_loop(args[0]), *args[1:])
        estimate, arguments = _method_estimate(__obj, args)
        refuse_over(estimate)
        return charged(super().call(__context, __obj, *arguments, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        formatter = _BoundedFormatter(self)
        text: str = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if not is_map:
                return str(charged(formatter.vformat(text, args, kwargs)))
            if len(args) != 1 or kwargs:
                return wrapper(*args, **kwargs)  # Jinja2's own error for a wrong call
            return str(charged(formatter.vformat(text, (), args[0])))

        return functools.update_wrapper(bounded, value)


__all__ = ["BoundedSandbox", "bounded_render", "charged", "refuse_over", "size"]
