"""Tests for domain.filter_expression: the AST of valid filters and the errors of invalid ones."""

from __future__ import annotations

import dataclasses

import pytest

from domain.errors import InvalidInputException
from domain.filter_expression import (
    Condition,
    CurrentItemRef,
    Expression,
    FilterExpression,
    Literals,
    Param,
    Wildcard,
    parse_filter_expression,
)


def one(expression: Expression) -> FilterExpression:
    return FilterExpression((expression,))


# ---------------------------------------------------------------------------------------------
# Valid expressions: exact AST
# ---------------------------------------------------------------------------------------------


def test_exclude_interacted_event_types() -> None:
    parsed = parse_filter_expression(
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")'
    )
    assert parsed == one(
        Expression(
            "EXCLUDE",
            "ItemID",
            (Condition("Interactions", "EVENT_TYPE", "IN", Literals(("click", "stream"))),),
        )
    )


def test_include_with_parameter() -> None:
    parsed = parse_filter_expression("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)")
    assert parsed == one(
        Expression("INCLUDE", "ItemID", (Condition("Items", "CATEGORY", "IN", Param("CATEGORY")),))
    )
    assert parsed.parameters == ("CATEGORY",)


def test_chained_expressions_with_comparison_parameter() -> None:
    parsed = parse_filter_expression(
        'INCLUDE ItemID WHERE Items.PRICE < $PRICE AND Items.GENRE IN ("Comedy") | '
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    )
    assert parsed == FilterExpression(
        (
            Expression(
                "INCLUDE",
                "ItemID",
                (
                    Condition("Items", "PRICE", "<", Param("PRICE")),
                    Condition("Items", "GENRE", "IN", Literals(("Comedy",))),
                ),
                ("AND",),
            ),
            Expression(
                "EXCLUDE",
                "ItemID",
                (Condition("Interactions", "EVENT_TYPE", "IN", Literals(("purchase",))),),
            ),
        )
    )
    assert parsed.parameters == ("PRICE",)
    assert parsed.datasets == ("Items", "Interactions")
    assert parsed.fields == (("Items", "PRICE"), ("Items", "GENRE"), ("Interactions", "EVENT_TYPE"))
    assert parsed.expressions[0].dataset == "Items"
    assert parsed.expressions[1].dataset == "Interactions"


def test_in_current_item() -> None:
    parsed = parse_filter_expression("INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE")
    assert parsed == one(
        Expression(
            "INCLUDE", "ItemID", (Condition("Items", "GENRE", "IN", CurrentItemRef("GENRE")),)
        )
    )
    assert parsed.uses_current_item is True


def test_comparison_with_current_item_counts_its_field() -> None:
    parsed = parse_filter_expression("INCLUDE ItemID WHERE Items.PRICE <= CurrentItem.MAX_PRICE")
    assert parsed.expressions[0].conditions == (
        Condition("Items", "PRICE", "<=", CurrentItemRef("MAX_PRICE")),
    )
    assert parsed.fields == (("Items", "PRICE"), ("Items", "MAX_PRICE"))
    assert parsed.uses_current_item is True


def test_if_clause_on_current_user() -> None:
    parsed = parse_filter_expression("EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.AGE < 18")
    assert parsed == one(
        Expression(
            "EXCLUDE",
            "ItemID",
            (Condition("Items", "AGE", ">", Literals((18.0,))),),
            (),
            (Condition("Users", "AGE", "<", Literals((18.0,))),),
        )
    )
    assert parsed.datasets == ("Items", "Users")
    assert parsed.fields == (("Items", "AGE"), ("Users", "AGE"))
    assert parsed.uses_current_item is False


def test_if_clause_with_several_conditions() -> None:
    parsed = parse_filter_expression(
        'EXCLUDE ItemID WHERE Items.RATING IN ("R") '
        'IF CurrentUser.AGE < $MIN_AGE AND CurrentUser.COUNTRY IN ("US", "CA")'
    )
    assert parsed.expressions[0].if_conditions == (
        Condition("Users", "AGE", "<", Param("MIN_AGE")),
        Condition("Users", "COUNTRY", "IN", Literals(("US", "CA"))),
    )
    assert parsed.parameters == ("MIN_AGE",)


def test_wildcard_event_type() -> None:
    parsed = parse_filter_expression("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)")
    assert parsed == one(
        Expression(
            "EXCLUDE", "ItemID", (Condition("Interactions", "EVENT_TYPE", "IN", Wildcard()),)
        )
    )


def test_lower_case_keywords_give_the_same_tree() -> None:
    upper = parse_filter_expression(
        'INCLUDE ItemID WHERE Items.GENRE NOT IN ("Horror") OR Items.PRICE > 5 '
        "IF CurrentUser.AGE >= 18 | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)"
    )
    lower = parse_filter_expression(
        'include itemid where items.GENRE not in ("Horror") or items.PRICE > 5 '
        "if currentuser.AGE >= 18 | exclude itemid where interactions.event_type in (*)"
    )
    assert lower == upper
    assert lower.expressions[0].connectors == ("OR",)
    assert lower.expressions[0].conditions[0].operator == "NOT IN"


def test_field_names_keep_their_spelling_except_event_type() -> None:
    parsed = parse_filter_expression(
        'INCLUDE ItemID WHERE Items.Genre IN ("x") | EXCLUDE ItemID WHERE Interactions.event_Type '
        'IN ("click")'
    )
    assert parsed.fields == (("Items", "Genre"), ("Interactions", "EVENT_TYPE"))


def test_not_in_literal_list() -> None:
    parsed = parse_filter_expression('EXCLUDE ItemID WHERE Items.GENRE NOT IN ("Horror", "Gore")')
    assert parsed.expressions[0].conditions == (
        Condition("Items", "GENRE", "NOT IN", Literals(("Horror", "Gore"))),
    )


@pytest.mark.parametrize("operator", ["=", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator(operator: str) -> None:
    parsed = parse_filter_expression(f"INCLUDE ItemID WHERE Items.PRICE {operator} 10")
    assert parsed.expressions[0].conditions == (
        Condition("Items", "PRICE", operator, Literals((10.0,))),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("literal", "value"), [("-5", -5.0), ("2.75", 2.75), ("0", 0.0)])
def test_number_literals(literal: str, value: float) -> None:
    parsed = parse_filter_expression(f"INCLUDE ItemID WHERE Items.PRICE > {literal}")
    assert parsed.expressions[0].conditions[0].operand == Literals((value,))


def test_numbers_in_value_list() -> None:
    parsed = parse_filter_expression('INCLUDE ItemID WHERE Items.YEAR IN (1999, 2000.5, "2001")')
    assert parsed.expressions[0].conditions[0].operand == Literals((1999.0, 2000.5, "2001"))


def test_strings_keep_separators_and_escaped_quotes() -> None:
    parsed = parse_filter_expression(
        r'INCLUDE ItemID WHERE Items.TITLE IN ("a | b, c", "say \"hi\"", "back\\slash", "")'
    )
    assert parsed.expressions[0].conditions[0].operand == Literals(
        ("a | b, c", 'say "hi"', "back\\slash", "")
    )
    assert len(parsed.expressions) == 1


def test_whitespace_is_optional_and_may_be_newlines() -> None:
    compact = parse_filter_expression(
        'INCLUDE ItemID WHERE Items.PRICE<=$P AND Items.G IN("x","y")'
    )
    spaced = parse_filter_expression(
        'INCLUDE\tItemID\nWHERE  Items.PRICE <= $P\n  AND Items.G IN ( "x" , "y" )  '
    )
    assert compact == spaced
    assert compact.expressions[0].conditions[1].operand == Literals(("x", "y"))


def test_and_binds_tighter_than_or_in_condition_groups() -> None:
    parsed = parse_filter_expression(
        'INCLUDE ItemID WHERE Items.A IN ("1") AND Items.B IN ("2") OR Items.C IN ("3") '
        'AND Items.D IN ("4") OR Items.E IN ("5")'
    )
    expression = parsed.expressions[0]
    a, b, c, d, e = expression.conditions
    assert [x.field for x in expression.conditions] == ["A", "B", "C", "D", "E"]
    assert expression.connectors == ("AND", "OR", "AND", "OR")
    assert expression.condition_groups == ((a, b), (c, d), (e,))


def test_parameters_are_distinct_and_in_order_of_first_use() -> None:
    parsed = parse_filter_expression(
        "INCLUDE ItemID WHERE Items.B IN ($B) AND Items.A < $A | "
        "EXCLUDE ItemID WHERE Items.C IN ($B) IF CurrentUser.Z IN ($Z) | "
        "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($a)"
    )
    assert parsed.parameters == ("B", "A", "Z", "a")
    assert parsed.expressions[1].parameters == ("B", "Z")


def test_user_segment_targets() -> None:
    parsed = parse_filter_expression(
        'INCLUDE UserID WHERE Users.MEMBERSHIP IN ("gold") | '
        'EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")'
    )
    assert [(e.action, e.target, e.dataset) for e in parsed.expressions] == [
        ("INCLUDE", "UserID", "Users"),
        ("EXCLUDE", "UserID", "Interactions"),
    ]


def test_action_targets() -> None:
    parsed = parse_filter_expression(
        "INCLUDE ActionID WHERE Actions.VALUE > 10 | "
        'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("TAKEN")'
    )
    assert parsed.expressions[1].conditions == (
        Condition("Action_Interactions", "EVENT_TYPE", "IN", Literals(("TAKEN",))),
    )
    assert parsed.datasets == ("Actions", "Action_Interactions")


def test_ten_distinct_fields_are_allowed_and_repeats_count_once() -> None:
    text = " | ".join(f'EXCLUDE ItemID WHERE Items.F{i} IN ("x")' for i in range(10))
    parsed = parse_filter_expression(text + ' | INCLUDE ItemID WHERE Items.F0 IN ("y")')
    assert len(parsed.fields) == 10
    assert len(parsed.expressions) == 11


def test_expression_of_exactly_2500_characters_is_allowed() -> None:
    head = 'INCLUDE ItemID WHERE Items.GENRE IN ("'
    text = head + "x" * (2500 - len(head) - 2) + '")'
    assert len(text) == 2500
    parsed = parse_filter_expression(text)
    assert parsed.expressions[0].conditions[0].operand == Literals(("x" * (2500 - len(head) - 2),))


def test_tree_is_frozen_and_hashable() -> None:
    parsed = parse_filter_expression('INCLUDE ItemID WHERE Items.GENRE IN ("x")')
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.expressions[0].action = "EXCLUDE"  # type: ignore[misc]
    assert hash(parsed) == hash(
        parse_filter_expression('INCLUDE ItemID WHERE Items.GENRE IN ("x")')
    )


# ---------------------------------------------------------------------------------------------
# Invalid expressions: exact messages. "{pos}" is the offset of the anchor's first occurrence
# in the input ("last:X": of its last occurrence; "<end>": the input's length).
# ---------------------------------------------------------------------------------------------

INVALID = [
    # (input, expected message after "filterExpression: ", anchor whose offset fills {pos})
    (
        'EXCLUDE ItemID WHEN Items.GENRE IN ("x")',
        'expected "WHERE" at position {pos}, found "WHEN"',
        "WHEN",
    ),
    (
        'REMOVE ItemID WHERE Items.GENRE IN ("x")',
        'expected "INCLUDE" or "EXCLUDE" at position {pos}, found "REMOVE"',
        "REMOVE",
    ),
    (
        'INCLUDE Items WHERE Items.GENRE IN ("x")',
        'expected "ItemID" or "UserID" or "ActionID" at position {pos}, found "Items"',
        "Items",
    ),
    (
        'INCLUDE ItemID WHERE Products.GENRE IN ("x")',
        'unknown dataset "Products" at position {pos}; expected one of Items, Interactions, '
        "Users, Actions, Action_Interactions",
        "Products",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("x") AND Interactions.EVENT_TYPE IN ("click")',
        "condition at position {pos} references Interactions but the expression's first "
        'condition references Items; combine datasets by chaining expressions with "|"',
        "Interactions",
    ),
    (
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("a") OR Items.GENRE IN ("x")',
        "condition at position {pos} references Items but the expression's first "
        'condition references Interactions; combine datasets by chaining expressions with "|"',
        "Items",
    ),
    (
        "EXCLUDE ItemID WHERE Interactions.EVENT_VALUE > 3",
        "Interactions conditions may only use EVENT_TYPE, found EVENT_VALUE at position {pos}",
        "EVENT_VALUE",
    ),
    (
        'EXCLUDE ActionID WHERE Action_Interactions.ACTION_ID IN ("a")',
        "Action_Interactions conditions may only use EVENT_TYPE, found ACTION_ID at position {pos}",
        "ACTION_ID",
    ),
    (
        "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE = 3",
        'Interactions.EVENT_TYPE at position {pos} needs "IN" or "NOT IN"',
        "Interactions",
    ),
    (
        "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN CurrentItem.GENRE",
        "Interactions.EVENT_TYPE at position {pos} needs a list of event types, a $parameter "
        'or "*"',
        "Interactions",
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN (*)",
        '"*" at position {pos} is only allowed with Interactions.EVENT_TYPE or '
        "Action_Interactions.EVENT_TYPE",
        "*",
    ),
    (
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*, "click")',
        '"*" at position {pos} cannot be combined with other values',
        "*",
    ),
    (
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", *)',
        '"*" at position {pos} cannot be combined with other values',
        "*",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE, "x")',
        '"$GENRE" at position {pos} cannot be combined with other values',
        "$GENRE",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("x", $GENRE)',
        '"$GENRE" at position {pos} cannot be combined with other values',
        "$GENRE",
    ),
    (
        "EXCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)",
        '$GENRE at position {pos} cannot be used with "NOT IN"; use "IN" with the opposite '
        "INCLUDE/EXCLUDE",
        "$GENRE",
    ),
    (
        'INCLUDE ItemID WHERE Items.PRICE < "10"',
        'comparison operator "<" needs a number, $parameter or CurrentItem.FIELD at position '
        '{pos}, found string "10"',
        '"10"',
    ),
    (
        "INCLUDE ItemID WHERE Items.PRICE >= (10)",
        'comparison operator ">=" needs a number, $parameter or CurrentItem.FIELD at position '
        '{pos}, found "("',
        "(",
    ),
    (
        'EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.AGE < 18 IF CurrentUser.X IN ("a")',
        '"IF" at position {pos}: IF may appear only once, at the end of an expression, and its '
        'conditions may only be joined with "AND"',
        "IF CurrentUser.X",
    ),
    (
        "EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.AGE < 18 OR CurrentUser.B > 1",
        '"OR" at position {pos}: IF may appear only once, at the end of an expression, and its '
        'conditions may only be joined with "AND"',
        "OR",
    ),
    (
        "EXCLUDE ItemID WHERE Items.AGE > 18 IF Items.AGE < 18",
        "IF conditions may only test CurrentUser fields; expected CurrentUser at position {pos}, "
        'found "Items"',
        "Items.AGE < 18",
    ),
    (
        'EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.AGE < 18 AND Items.G IN ("x")',
        "IF conditions may only test CurrentUser fields; expected CurrentUser at position {pos}, "
        'found "Items"',
        "Items.G",
    ),
    (
        'EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.C NOT IN ("x")',
        'IF condition at position {pos} supports "IN", not "NOT IN"',
        "CurrentUser",
    ),
    (
        "EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.C IN CurrentItem.C",
        'expected "(" at position {pos}, found "CurrentItem"',
        "CurrentItem",
    ),
    (
        "EXCLUDE ItemID WHERE Items.AGE > 18 IF CurrentUser.C IN (*)",
        '"*" at position {pos} is not allowed in an IF clause',
        "*",
    ),
    (
        "INCLUDE ItemID WHERE CurrentUser.AGE > 18",
        "CurrentUser at position {pos} may only be tested in an IF clause",
        "CurrentUser",
    ),
    (
        'INCLUDE ItemID WHERE CurrentItem.GENRE IN ("x")',
        "CurrentItem at position {pos} may only be used as a value",
        "CurrentItem",
    ),
    (
        "INCLUDE ItemID WHERE Users.AGE > 18",
        "target ItemID (position {pos}) cannot be filtered on Users at position 21; use "
        "Interactions or Items",
        "ItemID",
    ),
    (
        "INCLUDE ActionID WHERE Items.PRICE > 18",
        "target ActionID (position {pos}) cannot be filtered on Items at position 23; use "
        "Action_Interactions or Actions",
        "ActionID",
    ),
    (
        'INCLUDE UserID WHERE Action_Interactions.EVENT_TYPE IN ("a")',
        "target UserID (position {pos}) cannot be filtered on Action_Interactions at position 21; "
        "use Interactions or Users",
        "UserID",
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN ()",
        'expected a quoted value, a number, a $parameter or "*" at position {pos}, found ")"',
        ")",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a",)',
        'expected a quoted value, a number, a $parameter or "*" at position {pos}, found ")"',
        ")",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a" "b")',
        'expected "," or ")" at position {pos}, found string "b"',
        '"b"',
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a"',
        'expected "," or ")" at position {pos}, found end of expression',
        "<end>",
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN ($G",
        'expected ")" at position {pos}, found end of expression',
        "<end>",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("abc)',
        "unterminated string starting at position {pos}",
        '"abc',
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN ('abc')",
        'unexpected character "\'" at position {pos}',
        "'",
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN ($)",
        'expected a parameter name after "$" at position {pos}',
        "$",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("x") |',
        'expected "INCLUDE" or "EXCLUDE" at position {pos}, found end of expression',
        "<end>",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE ("x")',
        'expected "IN", "NOT IN" or a comparison operator (=, !=, <, <=, >, >=) at position '
        '{pos}, found "("',
        "(",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE NOT ("x")',
        'expected "IN" at position {pos}, found "("',
        "(",
    ),
    (
        "INCLUDE ItemID WHERE Items.GENRE IN $GENRE",
        'expected "(" or CurrentItem.FIELD at position {pos}, found "$GENRE"',
        "$GENRE",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a") ("b")',
        'expected "AND", "OR", "IF", "|" or end of expression at position {pos}, found "("',
        '("b")',
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a") IF CurrentUser.A IN ("b") Items',
        'expected "AND", "|" or end of expression at position {pos}, found "Items"',
        "last:Items",
    ),
    (
        'INCLUDE ItemID WHERE Items IN ("a")',
        'expected "." after Items at position {pos}, found "IN"',
        "IN (",
    ),
    (
        'INCLUDE ItemID WHERE Items.("a")',
        'expected a field name at position {pos}, found "("',
        "(",
    ),
    (
        'INCLUDE ItemID WHERE ("a")',
        'expected a dataset field such as Items.GENRE at position {pos}, found "("',
        "(",
    ),
    (
        'INCLUDE ItemID WHERE Items.GENRE IN ("a") AND',
        "expected a dataset field such as Items.GENRE at position {pos}, found end of expression",
        "<end>",
    ),
]


def _position(text: str, anchor: str) -> int:
    if anchor == "<end>":
        return len(text)
    if anchor.startswith("last:"):
        return text.rindex(anchor.removeprefix("last:"))
    return text.index(anchor)


@pytest.mark.parametrize(("text", "message", "anchor"), INVALID)
def test_invalid_expression_message(text: str, message: str, anchor: str) -> None:
    with pytest.raises(InvalidInputException) as caught:
        parse_filter_expression(text)
    expected = "filterExpression: " + message.format(pos=_position(text, anchor))
    assert caught.value.message == expected


def test_where_position_in_example_message() -> None:
    # The position is a 0-based character offset: "EXCLUDE ItemID " is 15 characters.
    with pytest.raises(
        InvalidInputException, match=r'expected "WHERE" at position 15, found "WHEN"'
    ):
        parse_filter_expression('EXCLUDE ItemID WHEN Items.GENRE IN ("x")')


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_expression(text: str) -> None:
    with pytest.raises(InvalidInputException) as caught:
        parse_filter_expression(text)
    assert caught.value.message == "filterExpression: must not be empty"


def test_expression_over_2500_characters() -> None:
    head = 'INCLUDE ItemID WHERE Items.GENRE IN ("'
    text = head + "x" * (2501 - len(head) - 2) + '")'
    with pytest.raises(InvalidInputException) as caught:
        parse_filter_expression(text)
    assert caught.value.message == (
        "filterExpression: is 2501 characters long; at most 2500 are allowed"
    )


def test_eleven_distinct_fields_are_rejected() -> None:
    text = " | ".join(f'EXCLUDE ItemID WHERE Items.F{i} IN ("x")' for i in range(10))
    text += " IF CurrentUser.AGE < 18"  # Users.AGE is the eleventh field
    with pytest.raises(InvalidInputException) as caught:
        parse_filter_expression(text)
    assert caught.value.message == (
        "filterExpression: references 11 distinct dataset fields; at most 10 are allowed"
    )


def test_current_item_fields_count_toward_the_limit() -> None:
    text = " | ".join(f'EXCLUDE ItemID WHERE Items.F{i} IN ("x")' for i in range(9))
    text += " | INCLUDE ItemID WHERE Items.F0 IN CurrentItem.OTHER"
    assert len(parse_filter_expression(text).fields) == 10
    with pytest.raises(InvalidInputException, match="11 distinct dataset fields"):
        parse_filter_expression(text + " | INCLUDE ItemID WHERE Items.F1 < CurrentItem.THIRD")


def test_error_is_reported_as_invalid_input() -> None:
    with pytest.raises(InvalidInputException) as caught:
        parse_filter_expression("INCLUDE")
    assert str(caught.value).startswith("InvalidInputException: filterExpression: ")
    assert caught.value.aws_name == "InvalidInputException"
