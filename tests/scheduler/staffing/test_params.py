"""ServiceParams validation: clear errors for impossible or missing targets."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scheduler.staffing import ServiceParams


def test_valid_params_and_derived_values() -> None:
    p = ServiceParams(
        aht_seconds=300, concurrency=3, concurrency_aht_factor=0.25, service_level=0.8
    )
    assert p.chat_handle_seconds == pytest.approx(300 * 1.5)
    assert p.effective_deflection == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"aht_seconds": 300, "service_level": 1.2}, "service_level"),
        ({"aht_seconds": -5, "service_level": 0.8}, "aht_seconds"),
        ({"aht_seconds": 0, "service_level": 0.8}, "aht_seconds"),
        ({"aht_seconds": 300, "service_level": 0.8, "shrinkage": 1.0}, "shrinkage"),
        ({"aht_seconds": 300, "service_level": 0.8, "concurrency": 0}, "concurrency"),
        ({"aht_seconds": 300, "service_level": 0.8, "max_occupancy": 0}, "max_occupancy"),
        ({"aht_seconds": 300, "service_level": 0.8, "bot_deflection": 1.0}, "bot_deflection"),
        ({"aht_seconds": 300, "service_level": 0.8, "colour": "red"}, "colour"),
    ],
)
def test_invalid_field_is_named(kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ServiceParams(**kwargs)
    assert err.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aht_seconds": 300}, "no service target"),
        ({"aht_seconds": 300, "max_abandon_rate": 0.05}, "needs patience_seconds"),
        (
            {"aht_seconds": 300, "service_level": 0.8, "question_mix": {"a": 0.5, "b": 0.4},
             "bot_deflection_by_type": {"a": 0.5}},
            "sum to 1",
        ),
        (
            {"aht_seconds": 300, "service_level": 0.8, "question_mix": {"a": 1.0},
             "bot_deflection_by_type": {"z": 0.5}},
            "not in question_mix",
        ),
        ({"aht_seconds": 300, "service_level": 0.8, "question_mix": {"a": 1.0}}, "together"),
    ],
)
def test_inconsistent_params_have_clear_messages(kwargs: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ServiceParams(**kwargs)


def test_deflection_by_question_type() -> None:
    p = ServiceParams(
        aht_seconds=300,
        service_level=0.8,
        bot_deflection=0.1,
        question_mix={"logistics": 0.5, "presale": 0.3, "refund": 0.2},
        bot_deflection_by_type={"logistics": 0.6, "presale": 0.2},
    )
    # refund falls back to the overall share 0.1.
    assert p.effective_deflection == pytest.approx(0.5 * 0.6 + 0.3 * 0.2 + 0.2 * 0.1)
