"""Pydantic's errors in plain English (generator/messages.py), each checked word for word, without a build."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from generator import models as m
from generator.messages import closest, describe, field_label, suggest

RULE = {"id": "meet-monthly", "title": "Meet every month", "statement": "Pairs meet at least once a month.",
        "level": "must", "glue": "hard", "rationale": "Rhythm builds trust.", "applies_to": ["mentor"],
        "owner": "mentor", "last_reviewed": "2026-10-01", "review_every": "6 months"}
EVENT = {"id": "kick-off", "title": "Kick-off", "description": "Everyone meets.", "start": "2026-09-15 10:00",
         "duration_minutes": 60}
STORY = {"title": "The first pair", "date": "2026-01-05", "summary": "They met.", "body": "Text."}
PERSON = {"name": "Dana", "role": "a leader", "consent": {"granted": True, "date": "2025-12-01"}}


class Pair(BaseModel):
    """A model of our own for what no content model shows on its own: no descriptions, a pattern of its own."""

    model_config = ConfigDict(extra="forbid")
    name: str
    size: int = 2
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "ABC"
    note: str = ""


def _error(model: type[BaseModel], data: dict[str, object]) -> ErrorDetails:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    (error,) = caught.value.errors()
    return error


def _described(model: type[BaseModel], data: dict[str, object]) -> str:
    return describe(_error(model, data), model)


# --- closest and suggest ---------------------------------------------------------------------------------------------

def test_closest_finds_the_word_that_was_meant():
    assert closest("titel", ["statement", "title", "level"]) == "title"
    assert closest("rols", ["rules", "roles"]) == "roles"


def test_closest_finds_nothing_when_no_choice_is_near():
    assert closest("colour", ["title", "level"]) is None
    assert closest("title", []) is None


def test_suggest_is_a_clause_to_append_or_nothing():
    assert suggest("titel", ["title", "level"]) == "; did you mean `title`?"
    assert suggest("colour", ["title", "level"]) == ""


# --- field_label -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("loc, label", [
    ((), ""),
    (("title",), "title"),
    (("rules", 0, "level"), "rules[meet-monthly].level"),
    (("rules", 1, "level"), "rules[2].level"),  # no id: counted from 1, as people count
    (("rules", 2), "rules[3]"),  # an id that is not text is no name
    (("rules", 7, "title"), "rules[8].title"),  # past the end of the data
    (("rules", 0, "applies_to", 1), "rules[meet-monthly].applies_to[2]"),
    (("people", 0, "consent", "date"), "people[1].consent.date"),
])
def test_field_label_names_list_items_by_their_id(loc: tuple[str | int, ...], label: str):
    data = {"rules": [{"id": "meet-monthly", "applies_to": ["mentor", 5]}, {"title": "No id"}, {"id": 7}],
            "people": [{"name": "Dana", "consent": {"granted": True}}]}
    assert field_label(loc, data) == label


# --- describe, by pydantic's error type ------------------------------------------------------------------------------

def test_a_missing_field_says_what_it_is_for_from_its_description():
    rule = {k: v for k, v in RULE.items() if k != "rationale"}
    assert _described(m.Rule, rule) == "`rationale` is required but missing (why the rule exists, in Markdown)"


def test_a_missing_field_deep_in_a_record_takes_the_description_of_its_own_model():
    story = {**STORY, "people": [{"name": "Dana", "role": "a leader"}]}
    assert _described(m.Story, story) == ("`consent` is required but missing "
                                          "(whether they agreed to be named in this story)")


def test_a_missing_field_without_a_description_is_just_named():
    assert _described(Pair, {}) == "`name` is required but missing"


def test_an_unknown_field_with_a_near_name_says_did_you_mean():
    assert _described(m.Rule, {**RULE, "titel": "Meet"}) == "unknown field `titel`; did you mean `title`?"
    assert _described(Pair, {"name": "A", "szie": 3}) == "unknown field `szie`; did you mean `size`?"


def test_an_unknown_field_without_a_near_name_lists_the_allowed_ones():
    assert _described(Pair, {"name": "A", "colour": "red"}) == "unknown field `colour`; allowed here: code, name, note, size"


def test_an_unknown_field_in_a_nested_record_is_matched_against_that_records_fields():
    story = {**STORY, "people": [{**PERSON, "rol": "a leader"}]}
    assert _described(m.Story, story) == "unknown field `rol`; did you mean `role`?"


def test_a_value_outside_the_vocabulary_lists_the_allowed_ones():
    assert _described(m.Rule, {**RULE, "level": "shall"}) == "`shall` is not allowed; use 'must' or 'should'"


def test_a_misspelt_value_of_the_vocabulary_suggests_the_right_one():
    assert _described(m.Rule, {**RULE, "level": "shoud"}) == (
        "`shoud` is not allowed; use 'must' or 'should'; did you mean `should`?")


@pytest.mark.parametrize("model, data, message", [
    (Pair, {"name": "A", "size": "two"}, "expected a whole number, got `two`"),
    (Pair, {"name": "A", "size": 2.5}, "expected a whole number, got `2.5`"),
    (m.Consent, {"granted": "maybe", "date": "2025-12-01"}, "expected true or false, got `maybe`"),
    (m.Event, {**EVENT, "duration_minutes": 2}, "must be at least 5, got 2"),
    (m.Event, {**EVENT, "duration_minutes": 1441}, "must be at most 1440, got 1441"),
    (m.Rule, {**RULE, "applies_to": []}, "needs at least 1 item(s), has 0"),
    (m.Story, {**STORY, "tags": [f"t{i}" for i in range(13)]}, "may have at most 12 items, has 13"),
    (m.Rule, {**RULE, "title": "   "}, "must not be empty"),
    (m.Rule, {**RULE, "title": "x" * 301}, "is too long: at most 300 characters"),
    (m.Rule, {**RULE, "applies_to": "mentor"}, "expected a list (lines starting with `- `)"),
    (m.Story, {**STORY, "image": "pair.jpg"}, "expected a group of `key: value` lines"),
    (m.Event, {**EVENT, "start": "2026-09-15T10:00:00+02:00"},
     "`2026-09-15T10:00:00+02:00` names a time zone; write the local time as YYYY-MM-DD HH:MM and set the zone "
     "once, as `time_zone` in program.yml"),
])
def test_each_kind_of_error_has_its_own_sentence(model: type[BaseModel], data: dict[str, object], message: str):
    assert _described(model, data) == message


@pytest.mark.parametrize("model, data, message", [
    (m.Rule, {**RULE, "id": "Meet Monthly"},
     "`Meet Monthly` is not a valid id; use lower-case letters, digits and single dashes, such as `senior-leader`"),
    (m.Rule, {**RULE, "review_every": "every year"},
     "`every year` is not a review interval; write it as `6 months` or `1 year`"),
    (Pair, {"name": "A", "code": "abc"}, "`abc` does not have the expected form"),
])
def test_a_pattern_is_explained_by_what_it_is_for(model: type[BaseModel], data: dict[str, object], message: str):
    assert _described(model, data) == message


@pytest.mark.parametrize("model, data, message", [
    (m.Consent, {"granted": True, "date": "2025-13-01"},
     "`2025-13-01` is not a valid date; write it as YYYY-MM-DD, such as 2025-03-14"),
    (m.Consent, {"granted": True, "date": "soon"},
     "`soon` is not a valid date; write it as YYYY-MM-DD, such as 2025-03-14"),
    (m.Event, {**EVENT, "start": "tomorrow"},
     "`tomorrow` is not a valid date and time; write it as YYYY-MM-DD HH:MM, such as 2026-09-15 10:00"),
])
def test_dates_and_times_show_the_form_to_write(model: type[BaseModel], data: dict[str, object], message: str):
    assert _described(model, data) == message


@pytest.mark.parametrize("given, message", [
    (42, "expected text, got the number `42`; put the value in quotes"),
    (1.5, "expected text, got the number `1.5`; put the value in quotes"),
    (True, "expected text, got `true` (true/false); put the value in quotes"),
    (["a"], "expected text, got a list; put the value in quotes"),
    ({"a": 1}, "expected text, got a group of `key: value` lines; put the value in quotes"),
    (None, "expected text, got nothing; put the value in quotes"),
])
def test_a_value_where_text_belongs_says_what_it_got(given: object, message: str):
    assert _described(m.Rule, {**RULE, "statement": given}) == message


def test_an_error_of_our_own_keeps_its_own_message():
    assert _described(m.Consent, {"granted": True, "date": "1899-12-31"}) == (
        "`1899-12-31` is out of range; use a date in years 1900 to 2999")
