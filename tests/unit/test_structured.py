"""Structured output through the one LLM door: grammar schema, fitting, repair, clear failure."""

from __future__ import annotations

import json

import pytest

from agents.llm.fake import SchemaFakeChatModel, fill
from agents.llm.structured import StructuredLLM, StructuredOutputError, fit, grammar_schema
from studio.drafts import BriefDraft, ScriptDraft, ShotRefinement, TreatmentDraft
from studio.pipeline import sized


def llm(*replies: str) -> tuple[StructuredLLM, SchemaFakeChatModel]:
    model = SchemaFakeChatModel(replies=list(replies))
    return StructuredLLM(model, name="fake"), model


def test_schema_goes_to_the_model_as_a_grammar():
    s, model = llm()
    out = s.complete([{"role": "user", "content": "brief please"}], BriefDraft)
    assert isinstance(out, BriefDraft) and out.title
    schema = model.calls[0]["schema"]
    assert "$defs" not in json.dumps(schema) and schema["properties"]["title"]["maxLength"] == 60


def test_long_bounds_leave_the_grammar_but_are_enforced_after():
    g = grammar_schema(TreatmentDraft.model_json_schema())
    text_schema = g["properties"]["variants"]["items"]["properties"]["text"]
    assert "maxLength" not in text_schema, "a 1200-character bound would explode llama.cpp's grammar"
    long = {"variants": [{"title": "t", "logline": "l", "text": "x" * 5000}] * 3}
    s, _ = llm(json.dumps(long))
    out = s.complete([{"role": "user", "content": "go"}], TreatmentDraft)
    assert len(out.variants[0].text) == 1200


def test_fit_clamps_numbers_and_drops_bad_enums():
    schema = grammar_schema(ShotRefinement.model_json_schema())
    data = fit({"changes": [{"shot": 0, "lens_mm": 5, "size": "GIANT"}] * 20}, schema)
    assert len(data["changes"]) == 4
    assert data["changes"][0] == {"shot": 1, "lens_mm": 12, "size": None}
    ShotRefinement.model_validate(data)


def test_one_repair_attempt_then_success():
    s, model = llm("this is not json", json.dumps({"title": "Rain", "logline": "x", "genre": "g", "tone": "t"}))
    out = s.complete([{"role": "user", "content": "brief"}], BriefDraft)
    assert out.title == "Rain"
    assert len(model.calls) == 2
    assert "not valid" in model.calls[1]["messages"][-1], "the repair turn says what was wrong"
    assert s.accountant.take().calls == 2


def test_invalid_twice_is_a_clear_error():
    s, model = llm("nope", '{"title": ""}')
    with pytest.raises(StructuredOutputError) as exc:
        s.complete([{"role": "user", "content": "brief"}], BriefDraft)
    assert "BriefDraft" in exc.value.problem and "AUTEUR_MODEL" in exc.value.fix
    assert len(model.calls) == 2


def test_sized_schema_asks_for_exact_counts():
    schema = sized(ScriptDraft, scenes=4)
    assert schema["properties"]["scenes"]["minItems"] == 4 == schema["properties"]["scenes"]["maxItems"]
    assert len(fill(grammar_schema(schema))["scenes"]) == 4


def test_accounting_counts_tokens_and_seconds():
    s, _ = llm()
    s.complete([{"role": "user", "content": "a" * 400}], BriefDraft)
    usage = s.accountant.take()
    assert usage.calls == 1 and usage.tokens >= 100 and usage.seconds >= 0
    assert s.accountant.take().calls == 0, "taking resets the count"
    assert s.accountant.total.calls == 1
