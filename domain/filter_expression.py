"""Parser and validator for Amazon Personalize filter expressions (spec §8).

``parse_filter_expression`` turns text such as
``INCLUDE ItemID WHERE Items.PRICE < $PRICE | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)``
into a tree of frozen dataclasses that the runtime evaluates. Keywords, targets, dataset names and
``CurrentItem`` / ``CurrentUser`` are case-insensitive and normalised to their documented spelling;
field names keep the spelling they were written with (``EVENT_TYPE`` is normalised). Every problem
raises ``InvalidInputException`` with a message starting with ``filterExpression: ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from domain.errors import InvalidInputException

MAX_EXPRESSION_LENGTH = 2500
MAX_DISTINCT_FIELDS = 10

DATASETS: tuple[str, ...] = ("Items", "Interactions", "Users", "Actions", "Action_Interactions")
INTERACTION_DATASETS: frozenset[str] = frozenset({"Interactions", "Action_Interactions"})
TARGET_DATASETS: dict[str, frozenset[str]] = {
    "ItemID": frozenset({"Items", "Interactions"}),
    "UserID": frozenset({"Users", "Interactions"}),
    "ActionID": frozenset({"Actions", "Action_Interactions"}),
}
COMPARISON_OPERATORS: tuple[str, ...] = ("=", "!=", "<", "<=", ">", ">=")

Action = Literal["INCLUDE", "EXCLUDE"]
Target = Literal["ItemID", "ActionID", "UserID"]
Operator = Literal["IN", "NOT IN", "=", "!=", "<", "<=", ">", ">="]
Connector = Literal["AND", "OR"]


@dataclass(frozen=True)
class Literals:
    """Literal values: a string/number list after ``IN``, or one number after a comparison."""

    values: tuple[str | float, ...]


@dataclass(frozen=True)
class Param:
    """A ``$NAME`` placeholder filled from the request's ``filterValues[name]`` (``$`` stripped)."""

    name: str


@dataclass(frozen=True)
class Wildcard:
    """``(*)``: any event type; only valid with ``Interactions``/``Action_Interactions``."""


@dataclass(frozen=True)
class CurrentItemRef:
    """``CurrentItem.FIELD``: the attribute of the request's ``itemId`` (related-items only)."""

    field: str


Operand = Literals | Param | Wildcard | CurrentItemRef


@dataclass(frozen=True)
class Condition:
    """One test ``dataset.field operator operand``.

    In ``Expression.if_conditions`` the dataset is ``"Users"`` and the test applies to the
    requesting user's own row (``CurrentUser.FIELD``).
    """

    dataset: str
    field: str
    operator: Operator
    operand: Operand


@dataclass(frozen=True)
class Expression:
    """One ``INCLUDE``/``EXCLUDE`` expression; ``connectors[i]`` joins conditions i and i+1."""

    action: Action
    target: Target
    conditions: tuple[Condition, ...]
    connectors: tuple[Connector, ...] = ()
    if_conditions: tuple[Condition, ...] = ()

    @property
    def dataset(self) -> str:
        """The dataset every WHERE condition references."""
        return self.conditions[0].dataset

    @property
    def condition_groups(self) -> tuple[tuple[Condition, ...], ...]:
        """WHERE conditions split at ``OR``: the expression holds if all of any one group hold.

        ``AND`` binds tighter than ``OR`` (the usual precedence; AWS does not document it).
        """
        groups: list[list[Condition]] = [[self.conditions[0]]]
        for connector, condition in zip(self.connectors, self.conditions[1:], strict=True):
            if connector == "OR":
                groups.append([])
            groups[-1].append(condition)
        return tuple(tuple(group) for group in groups)

    @property
    def all_conditions(self) -> tuple[Condition, ...]:
        """The WHERE conditions followed by the IF conditions."""
        return self.conditions + self.if_conditions

    @property
    def parameters(self) -> tuple[str, ...]:
        """Distinct placeholder names (without ``$``) in order of first use."""
        names = (c.operand.name for c in self.all_conditions if isinstance(c.operand, Param))
        return tuple(dict.fromkeys(names))

    @property
    def datasets(self) -> tuple[str, ...]:
        """Distinct datasets referenced (``CurrentItem`` counts as Items, IF as Users)."""
        return tuple(dict.fromkeys(dataset for dataset, _ in self.fields))

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """Distinct ``(dataset, field)`` pairs referenced, ``CurrentItem`` fields included."""
        pairs: list[tuple[str, str]] = []
        for condition in self.all_conditions:
            pairs.append((condition.dataset, condition.field))
            if isinstance(condition.operand, CurrentItemRef):
                pairs.append(("Items", condition.operand.field))
        return tuple(dict.fromkeys(pairs))


@dataclass(frozen=True)
class FilterExpression:
    """A whole filter: expressions chained with ``|``.

    Result = (union of INCLUDE matches, or all candidates if none) minus union of EXCLUDE matches.
    """

    expressions: tuple[Expression, ...]

    @property
    def parameters(self) -> tuple[str, ...]:
        """Distinct placeholder names (without ``$``) across all expressions, in order."""
        return tuple(dict.fromkeys(n for e in self.expressions for n in e.parameters))

    @property
    def datasets(self) -> tuple[str, ...]:
        """Distinct datasets referenced across all expressions, in order."""
        return tuple(dict.fromkeys(d for e in self.expressions for d in e.datasets))

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """Distinct ``(dataset, field)`` pairs across all expressions, in order."""
        return tuple(dict.fromkeys(f for e in self.expressions for f in e.fields))

    @property
    def uses_current_item(self) -> bool:
        """Whether any condition compares against ``CurrentItem`` (related-items only)."""
        return any(
            isinstance(c.operand, CurrentItemRef)
            for e in self.expressions
            for c in e.all_conditions
        )


@dataclass(frozen=True)
class _Token:
    kind: str  # word, string, number, param, op, end, or the punctuation itself: ( ) , * | .
    text: str  # the source text of the token
    pos: int  # character offset in the expression

    def describe(self) -> str:
        if self.kind == "end":
            return "end of expression"
        if self.kind == "string":
            return f"string {self.text}"
        return f'"{self.text}"'


_TOKEN_RE = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<param>\$[A-Za-z0-9_]+)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<punct>[(),*|.])""",
    re.VERBOSE,
)


def _fail(message: str) -> InvalidInputException:
    return InvalidInputException(f"filterExpression: {message}")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            if text[pos] == '"':
                raise _fail(f"unterminated string starting at position {pos}")
            if text[pos] == "$":
                raise _fail(f'expected a parameter name after "$" at position {pos}')
            raise _fail(f'unexpected character "{text[pos]}" at position {pos}')
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(match.group() if kind == "punct" else kind, match.group(), pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _unquote(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


class _Parser:
    """Recursive-descent parser over the token list; one method per grammar rule."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.token
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def at_keyword(self, *keywords: str) -> bool:
        word = self.token.text.upper() if self.token.kind == "word" else None
        return any(word == keyword.upper() for keyword in keywords)

    def error(self, expected: str, token: _Token | None = None) -> InvalidInputException:
        token = token or self.token
        return _fail(f"expected {expected} at position {token.pos}, found {token.describe()}")

    def expect(self, kind: str, expected: str) -> _Token:
        if self.token.kind != kind:
            raise self.error(expected)
        return self.advance()

    def expect_keyword(self, *keywords: str) -> str:
        """Consume one of ``keywords`` (any case) and return its spelling in ``keywords``."""
        for keyword in keywords:
            if self.at_keyword(keyword):
                self.advance()
                return keyword
        raise self.error(" or ".join(f'"{k}"' for k in keywords))

    def parse_filter(self) -> FilterExpression:
        expressions = [self.parse_expression()]
        while self.token.kind == "|":
            self.advance()
            expressions.append(self.parse_expression())
        return FilterExpression(tuple(expressions))

    def parse_expression(self) -> Expression:
        action = self.expect_keyword("INCLUDE", "EXCLUDE")
        target_token = self.token
        target = self.expect_keyword(*TARGET_DATASETS)
        self.expect_keyword("WHERE")
        first_token = self.token
        conditions = [self.parse_condition()]
        dataset = conditions[0].dataset
        if dataset not in TARGET_DATASETS[target]:
            allowed = " or ".join(sorted(TARGET_DATASETS[target]))
            raise _fail(
                f"target {target} (position {target_token.pos}) cannot be filtered on {dataset} "
                f"at position {first_token.pos}; use {allowed}"
            )
        connectors: list[str] = []
        while self.at_keyword("AND", "OR"):
            connectors.append(self.expect_keyword("AND", "OR"))
            token = self.token
            conditions.append(self.parse_condition())
            if conditions[-1].dataset != dataset:
                raise _fail(
                    f"condition at position {token.pos} references {conditions[-1].dataset} but "
                    f"the expression's first condition references {dataset}; combine datasets by "
                    'chaining expressions with "|"'
                )
        if_conditions: list[Condition] = []
        if self.at_keyword("IF"):
            self.advance()
            if_conditions.append(self.parse_user_condition())
            while self.at_keyword("AND"):
                self.advance()
                if_conditions.append(self.parse_user_condition())
            if self.at_keyword("IF", "OR"):
                raise _fail(
                    f'"{self.token.text}" at position {self.token.pos}: IF may appear only once, '
                    'at the end of an expression, and its conditions may only be joined with "AND"'
                )
        if self.token.kind not in ("|", "end"):
            more = '"AND"' if if_conditions else '"AND", "OR", "IF"'
            raise self.error(f'{more}, "|" or end of expression')
        return Expression(
            cast(Action, action),
            cast(Target, target),
            tuple(conditions),
            cast(tuple[Connector, ...], tuple(connectors)),
            tuple(if_conditions),
        )

    def parse_condition(self) -> Condition:
        token = self.token
        name = self.expect("word", "a dataset field such as Items.GENRE").text
        if name.upper() == "CURRENTUSER":
            raise _fail(f"CurrentUser at position {token.pos} may only be tested in an IF clause")
        if name.upper() == "CURRENTITEM":
            raise _fail(f"CurrentItem at position {token.pos} may only be used as a value")
        datasets = {d.upper(): d for d in DATASETS}
        if name.upper() not in datasets:
            raise _fail(
                f'unknown dataset "{name}" at position {token.pos}; expected one of '
                + ", ".join(DATASETS)
            )
        dataset = datasets[name.upper()]
        self.expect(".", f'"." after {dataset}')
        field_token = self.expect("word", "a field name")
        field = field_token.text
        if dataset in INTERACTION_DATASETS:
            if field.upper() != "EVENT_TYPE":
                raise _fail(
                    f"{dataset} conditions may only use EVENT_TYPE, found {field} at position "
                    f"{field_token.pos}"
                )
            field = "EVENT_TYPE"
        operator, operand_token, operand = self.parse_predicate(allow_current_in=True)
        if dataset in INTERACTION_DATASETS and not isinstance(operand, Literals | Param | Wildcard):
            raise _fail(
                f"{dataset}.EVENT_TYPE at position {token.pos} needs a list of event types, a "
                '$parameter or "*"'
            )
        if dataset in INTERACTION_DATASETS and operator not in ("IN", "NOT IN"):
            raise _fail(f'{dataset}.EVENT_TYPE at position {token.pos} needs "IN" or "NOT IN"')
        if isinstance(operand, Wildcard) and dataset not in INTERACTION_DATASETS:
            raise _fail(
                f'"*" at position {operand_token.pos} is only allowed with '
                "Interactions.EVENT_TYPE or Action_Interactions.EVENT_TYPE"
            )
        return Condition(dataset, field, cast(Operator, operator), operand)

    def parse_user_condition(self) -> Condition:
        token = self.token
        if not self.at_keyword("CurrentUser"):
            raise _fail(
                f"IF conditions may only test CurrentUser fields; expected CurrentUser at "
                f"position {token.pos}, found {token.describe()}"
            )
        self.advance()
        self.expect(".", '"." after CurrentUser')
        field = self.expect("word", "a field name").text
        operator, operand_token, operand = self.parse_predicate(allow_current_in=False)
        if operator == "NOT IN":
            raise _fail(f'IF condition at position {token.pos} supports "IN", not "NOT IN"')
        if isinstance(operand, Wildcard):
            raise _fail(f'"*" at position {operand_token.pos} is not allowed in an IF clause')
        return Condition("Users", field, cast(Operator, operator), operand)

    def parse_predicate(self, allow_current_in: bool) -> tuple[str, _Token, Operand]:
        if self.at_keyword("IN", "NOT"):
            operator = "NOT IN" if self.expect_keyword("IN", "NOT") == "NOT" else "IN"
            if operator == "NOT IN":
                self.expect_keyword("IN")
            operand_token = self.token
            if allow_current_in and self.at_keyword("CurrentItem"):
                return operator, operand_token, self.parse_current_item()
            expected = '"(" or CurrentItem.FIELD' if allow_current_in else '"("'
            self.expect("(", expected)
            operand_token = self.token
            operand = self.parse_value_list()
            if operator == "NOT IN" and isinstance(operand, Param):
                raise _fail(
                    f"${operand.name} at position {operand_token.pos} cannot be used with "
                    '"NOT IN"; use "IN" with the opposite INCLUDE/EXCLUDE'
                )
            return operator, operand_token, operand
        if self.token.kind != "op":
            raise self.error('"IN", "NOT IN" or a comparison operator (=, !=, <, <=, >, >=)')
        operator = self.advance().text
        operand_token = self.token
        if operand_token.kind == "number":
            return operator, operand_token, Literals((float(self.advance().text),))
        if operand_token.kind == "param":
            return operator, operand_token, Param(self.advance().text[1:])
        if self.at_keyword("CurrentItem"):
            return operator, operand_token, self.parse_current_item()
        raise _fail(
            f'comparison operator "{operator}" needs a number, $parameter or CurrentItem.FIELD '
            f"at position {operand_token.pos}, found {operand_token.describe()}"
        )

    def parse_current_item(self) -> CurrentItemRef:
        self.advance()
        self.expect(".", '"." after CurrentItem')
        return CurrentItemRef(self.expect("word", "a field name").text)

    def parse_value_list(self) -> Operand:
        if self.token.kind in ("*", "param"):
            token = self.advance()
            operand: Operand = Wildcard() if token.kind == "*" else Param(token.text[1:])
            if self.token.kind == ",":
                raise _fail(
                    f'"{token.text}" at position {token.pos} cannot be combined with other values'
                )
            self.expect(")", '")"')
            return operand
        values: list[str | float] = []
        while True:
            token = self.token
            if token.kind == "string":
                values.append(_unquote(self.advance().text))
            elif token.kind == "number":
                values.append(float(self.advance().text))
            elif token.kind in ("*", "param") and values:
                raise _fail(
                    f'"{token.text}" at position {token.pos} cannot be combined with other values'
                )
            else:
                raise self.error('a quoted value, a number, a $parameter or "*"')
            if self.token.kind != ",":
                break
            self.advance()
        self.expect(")", '"," or ")"')
        return Literals(tuple(values))


def parse_filter_expression(text: str) -> FilterExpression:
    """Parse and validate a filter expression.

    Args:
        text: The ``filterExpression`` of a CreateFilter request.

    Returns:
        The parsed filter; evaluate it with the semantics of spec §8.2.

    Raises:
        InvalidInputException: The text is empty, too long, malformed or breaks a rule of §8.2;
            the message names the 0-based character offset ("position") and what was expected.

    """
    if not text.strip():
        raise _fail("must not be empty")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise _fail(f"is {len(text)} characters long; at most {MAX_EXPRESSION_LENGTH} are allowed")
    result = _Parser(_tokenize(text)).parse_filter()
    if len(result.fields) > MAX_DISTINCT_FIELDS:
        raise _fail(
            f"references {len(result.fields)} distinct dataset fields; at most "
            f"{MAX_DISTINCT_FIELDS} are allowed"
        )
    return result
