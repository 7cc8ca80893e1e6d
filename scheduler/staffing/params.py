"""Service parameters of one chat queue: the ``[service]`` table of a scenario TOML.

Units are in the field names: seconds, shares (0..1). Concurrency model (see ``concurrency.py``):
an agent has ``concurrency`` chat slots; the handle time of one chat when the agent works at full
concurrency c is ``aht_seconds * (1 + concurrency_aht_factor * (c - 1))``. With the default factor
0 a chat takes as long whether handled alone or alongside others (c slots are c parallel servers);
with factor 1 the agent gains nothing from concurrency (c chats take c times as long each).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Share = Annotated[float, Field(ge=0, lt=1)]
#: Upper limit of every duration in seconds (one day); inf/nan are rejected by the model config.
MAX_SECONDS = 86400.0


class ServiceParams(BaseModel):
    """Service targets and levers for a chat queue (frozen, unknown fields rejected).

    At least one target must be set: ``service_level`` (share of human inquiries whose first
    response comes within ``target_seconds``), ``three_minute_rate`` (share answered within 180 s,
    Taobao's 3-minute response rate), ``max_asa_seconds``, or ``max_abandon_rate`` (needs
    ``patience_seconds``). ``max_occupancy`` is a cap, not a target on its own.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    aht_seconds: float = Field(
        gt=0, le=MAX_SECONDS, description="Handle time of one chat handled alone, seconds."
    )
    concurrency: int = Field(default=1, ge=1, le=20, description="Chat slots per agent.")
    concurrency_aht_factor: float = Field(
        default=0.0,
        ge=0,
        le=10,
        description="Per-chat handle time = aht_seconds x (1 + factor x (concurrency - 1)).",
    )
    target_seconds: float = Field(
        default=30.0, gt=0, le=MAX_SECONDS, description="First-response threshold T, s."
    )
    service_level: float | None = Field(
        default=None, gt=0, le=1, description="Target share of first responses within T."
    )
    three_minute_rate: float | None = Field(
        default=None, gt=0, le=1, description="Target share of first responses within 180 s."
    )
    max_asa_seconds: float | None = Field(
        default=None, gt=0, le=MAX_SECONDS,
        description="Target mean wait for a first response, seconds.",
    )
    patience_seconds: float | None = Field(
        default=None,
        gt=0,
        le=MAX_SECONDS,
        description="Mean customer patience (exponential), s; None = nobody leaves (Erlang C).",
    )
    max_abandon_rate: float | None = Field(
        default=None, gt=0, lt=1, description="Target maximum share of customers who leave."
    )
    shrinkage: Share = Field(default=0.0, description="Share of on-duty time not on chats.")
    max_occupancy: float = Field(default=1.0, gt=0, le=1, description="Cap on slot occupancy.")
    bot_deflection: Share = Field(default=0.0, description="Share of inquiries the bot answers.")
    bot_deflection_by_type: dict[str, Share] | None = Field(
        default=None,
        description="Bot share per question type (needs question_mix); types of the mix not "
        "listed use bot_deflection.",
    )
    question_mix: dict[str, Annotated[float, Field(ge=0)]] | None = Field(
        default=None, description="Share of inquiries per question type (sums to 1)."
    )

    @model_validator(mode="after")
    def _check(self) -> ServiceParams:
        targets = (
            self.service_level,
            self.three_minute_rate,
            self.max_asa_seconds,
            self.max_abandon_rate,
        )
        if all(t is None for t in targets):
            raise ValueError(
                "no service target set: give service_level, three_minute_rate, "
                "max_asa_seconds or max_abandon_rate"
            )
        if self.max_abandon_rate is not None and self.patience_seconds is None:
            raise ValueError("max_abandon_rate needs patience_seconds (without it nobody leaves)")
        if (self.bot_deflection_by_type is None) != (self.question_mix is None):
            raise ValueError("bot_deflection_by_type and question_mix must be given together")
        if self.question_mix is not None:
            total = sum(self.question_mix.values())
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"question_mix shares must sum to 1, got {total:.6g}")
            unknown = sorted(set(self.bot_deflection_by_type or {}) - set(self.question_mix))
            if unknown:
                raise ValueError(f"bot_deflection_by_type has types not in question_mix: {unknown}")
        return self

    @property
    def chat_handle_seconds(self) -> float:
        """Handle time of one chat at full concurrency, seconds."""
        return self.aht_seconds * (1.0 + self.concurrency_aht_factor * (self.concurrency - 1))

    @property
    def effective_deflection(self) -> float:
        """Share of inquiries answered by the bot (per-type mix if given, else overall)."""
        if self.question_mix is None or self.bot_deflection_by_type is None:
            return self.bot_deflection
        return sum(
            share * self.bot_deflection_by_type.get(qtype, self.bot_deflection)
            for qtype, share in self.question_mix.items()
        )
