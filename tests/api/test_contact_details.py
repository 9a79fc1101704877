"""A creator's contact details over the API: who sees them, who records
them, and erasure — by admins through ``forgetCreator`` and by operators through
``campaign-ledger forget-creator``.

The rules under test: the creator itself and admins see every field; a brand with
a concluded agreement with the creator sees the e-mail only; anybody else gets
null, exactly as for a creator with no details. After erasure those allowed see
``erased: true`` and nothing else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio
import pytest

from domain.infrastructure.settings import Settings
from tests.domain.builders import Parties, campaign_at
from tests.graphql_driver import (
    ADMIN,
    ANONYMOUS,
    AUDITOR,
    CREATOR_PAYLOAD,
    LedgerApi,
    Who,
    brand_token,
    creator_token,
    register_brand,
    register_creator,
    serve_ledger,
)
from tests.support import FakeClock

ROOT = Path(__file__).resolve().parents[2]
CONTACT = "contactDetails { legalName email phone payoutAccount erased }"
DETAILS = {
    "legalName": "Sari Wulandari",
    "email": "Sari.Wulandari@mail.example",
    "phone": "+62 812 3456 7890",
    "payoutAccount": "BCA 1234567890",
}
FULL = {
    "legalName": "Sari Wulandari",
    "email": "sari.wulandari@mail.example",
    "phone": "+62 812 3456 7890",
    "payoutAccount": "BCA 1234567890",
    "erased": False,
}
EMAIL_ONLY = {
    "legalName": None,
    "email": "sari.wulandari@mail.example",
    "phone": None,
    "payoutAccount": None,
    "erased": False,
}
ERASED = {"legalName": None, "email": None, "phone": None, "payoutAccount": None, "erased": True}
PAYLOAD_WITH_DETAILS = f"... on CreatorPayload {{ version position creator {{ id {CONTACT} }} }}"


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


@dataclass(frozen=True)
class World:
    """Creator C with details; brand A concluded an agreement with C, brand B only
    pitched C, brand O and creator D have nothing to do with C."""

    creator: str
    other_creator: str
    concluded_brand: str
    pitching_brand: str
    other_brand: str

    def who(self, viewer: str) -> Who:
        return {
            "creator itself": creator_token(self.creator),
            "admin": ADMIN,
            "brand with a concluded agreement": brand_token(self.concluded_brand),
            "brand with only a pitch": brand_token(self.pitching_brand),
            "other brand": brand_token(self.other_brand),
            "other creator": creator_token(self.other_creator),
            "auditor": AUDITOR,
            "anonymous": ANONYMOUS,
        }[viewer]


def campaign_between(api: LedgerApi, brand_id: str, creator_id: str, stage: str) -> None:
    campaign_at(api.ledger, stage, parties=Parties(api.ledger, UUID(brand_id), UUID(creator_id)))


async def record(api: LedgerApi, creator_id: str, *, who: Who, **changes: Any) -> dict[str, Any]:
    return await api.mutate(
        "recordContactDetails",
        {"creatorId": creator_id, **DETAILS, **changes},
        who=who,
        selection=PAYLOAD_WITH_DETAILS,
    )


async def forget(api: LedgerApi, creator_id: str, *, who: Who, **extra: Any) -> dict[str, Any]:
    return await api.mutate(
        "forgetCreator", {"creatorId": creator_id, **extra}, who=who, selection=CREATOR_PAYLOAD
    )


async def contact_details(api: LedgerApi, creator_id: str, *, who: Who) -> Any:
    data = await api.graphql(
        f"query($id: ID!) {{ creator(id: $id) {{ id {CONTACT} }} }}", {"id": creator_id}, who=who
    )
    assert data["creator"]["id"] == creator_id
    return data["creator"]["contactDetails"]


async def seen_by(api: LedgerApi, world: World, viewers: tuple[str, ...]) -> dict[str, Any]:
    return {v: await contact_details(api, world.creator, who=world.who(v)) for v in viewers}


@pytest.fixture
async def world(api: LedgerApi) -> World:
    world = World(
        creator=await register_creator(api, "sari.nano"),
        other_creator=await register_creator(api, "budi.nano"),
        concluded_brand=await register_brand(api, "Purela"),
        pitching_brand=await register_brand(api, "Kopi Nusantara"),
        other_brand=await register_brand(api, "Batik Loka"),
    )
    recorded = await record(api, world.creator, who=creator_token(world.creator))
    assert recorded["__typename"] == "CreatorPayload", recorded
    campaign_between(api, world.concluded_brand, world.creator, "CONCLUDED")
    campaign_between(api, world.pitching_brand, world.creator, "PITCHED")
    await api.settle()
    return world


VIEWERS = (
    "creator itself",
    "admin",
    "brand with a concluded agreement",
    "brand with only a pitch",
    "other brand",
    "other creator",
    "auditor",
    "anonymous",
)
VISIBLE = {
    "creator itself": FULL,
    "admin": FULL,
    "brand with a concluded agreement": EMAIL_ONLY,
    "brand with only a pitch": None,
    "other brand": None,
    "other creator": None,
    "auditor": None,
    "anonymous": None,
}


# --- who sees what ------------------------------------------------------------------------


async def test_each_caller_sees_only_the_contact_details_it_may(
    api: LedgerApi, world: World
) -> None:
    assert await seen_by(api, world, VIEWERS) == VISIBLE


async def test_a_creator_without_details_reads_as_null_to_everyone(
    api: LedgerApi, world: World
) -> None:
    for who in (ADMIN, creator_token(world.other_creator), brand_token(world.other_brand)):
        assert await contact_details(api, world.other_creator, who=who) is None


async def test_a_brand_keeps_the_email_after_the_agreement_is_completed_or_cancelled(
    api: LedgerApi, world: World
) -> None:
    for stage in ("COMPLETED", "CANCELLED"):
        brand_id = await register_brand(api, f"Brand {stage.title()}")
        campaign_between(api, brand_id, world.creator, stage)
        await api.settle()

        seen = await contact_details(api, world.creator, who=brand_token(brand_id))

        assert seen == EMAIL_ONLY, stage


async def test_a_directory_page_shows_each_creator_as_the_caller_may_see_it(
    api: LedgerApi, world: World
) -> None:
    query = f"{{ creators(first: 10) {{ edges {{ node {{ id {CONTACT} }} }} }} }}"

    data = await api.graphql(query, who=brand_token(world.concluded_brand))

    shown = {
        edge["node"]["id"]: edge["node"]["contactDetails"] for edge in data["creators"]["edges"]
    }
    assert shown == {world.creator: EMAIL_ONLY, world.other_creator: None}


# --- recording ------------------------------------------------------------------------------


async def test_the_creator_and_an_admin_record_contact_details(
    api: LedgerApi, world: World
) -> None:
    own = await record(api, world.creator, who=creator_token(world.creator), phone=None)
    by_admin = await record(api, world.creator, who=ADMIN, email="sari@studio.example")

    assert own["__typename"] == by_admin["__typename"] == "CreatorPayload"
    assert own["creator"]["contactDetails"] == {**FULL, "phone": None}
    assert by_admin["creator"]["contactDetails"] == {**FULL, "email": "sari@studio.example"}
    assert by_admin["version"] == own["version"] + 1
    assert await contact_details(api, world.creator, who=creator_token(world.creator)) == {
        **FULL,
        "email": "sari@studio.example",
    }


async def test_recording_with_an_idempotency_key_twice_records_once(
    api: LedgerApi, world: World
) -> None:
    who = creator_token(world.creator)
    first = await record(api, world.creator, who=who, idempotencyKey="pd-7")
    head = api.ledger.head_position()

    again = await record(api, world.creator, who=who, idempotencyKey="pd-7")
    changed = await record(api, world.creator, who=who, idempotencyKey="pd-7", phone=None)

    assert again["version"] == first["version"]
    assert (changed["code"], changed["field"]) == ("CONFLICT", "idempotencyKey")
    assert api.ledger.head_position() == head


@pytest.mark.parametrize(
    ("viewer", "code"),
    [
        ("other creator", "NOT_FOUND"),
        ("brand with a concluded agreement", "NOT_FOUND"),
        ("other brand", "NOT_FOUND"),
        ("auditor", "FORBIDDEN"),
        ("anonymous", "UNAUTHENTICATED"),
    ],
)
async def test_nobody_else_records_a_creators_contact_details(
    api: LedgerApi, world: World, viewer: str, code: str
) -> None:
    head = api.ledger.head_position()

    result = await record(api, world.creator, who=world.who(viewer), legalName="Someone Else")

    assert result["code"] == code, result
    assert api.ledger.head_position() == head
    assert await contact_details(api, world.creator, who=ADMIN) == FULL


async def test_an_unknown_creator_looks_like_somebody_elses(api: LedgerApi, world: World) -> None:
    who = creator_token(world.other_creator)
    unknown = await record(api, "7f0c1e0a-0000-4000-8000-000000000000", who=who)
    not_an_id = await record(api, "sari", who=who)
    others = await record(api, world.creator, who=who)

    assert {r["code"] for r in (unknown, not_an_id, others)} == {"NOT_FOUND"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"legalName": "  "}, "legalName"),
    ],
)
async def test_invalid_contact_details_are_refused_and_change_nothing(
    api: LedgerApi, world: World, changes: dict[str, str], field: str
) -> None:
    head = api.ledger.head_position()

    result = await record(api, world.creator, who=creator_token(world.creator), **changes)

    assert (result["__typename"], result["field"]) == ("ValidationError", field)
    assert api.ledger.head_position() == head
    assert await contact_details(api, world.creator, who=ADMIN) == FULL


# --- erasure --------------------------------------------------------------------------------


async def test_an_admin_forgets_a_creator_and_the_details_read_as_erased(
    api: LedgerApi, world: World
) -> None:
    result = await forget(api, world.creator, who=ADMIN, idempotencyKey="erase-1")
    assert result["__typename"] == "CreatorPayload", result
    assert result["creator"]["id"] == world.creator
    await api.settle()

    assert await seen_by(api, world, VIEWERS) == {
        viewer: None if shown is None else ERASED for viewer, shown in VISIBLE.items()
    }
    replayed = await forget(api, world.creator, who=ADMIN, idempotencyKey="erase-1")
    assert (replayed["version"], replayed["position"]) == (result["version"], result["position"])
    again = await forget(api, world.creator, who=ADMIN)
    assert again["code"] == "CONFLICT"
    refused = await record(api, world.creator, who=creator_token(world.creator))
    assert refused["code"] == "CONFLICT"
    profile = await api.graphql(
        "query($id: ID!) { creator(id: $id) { handle platforms { followers } } }",
        {"id": world.creator},
    )
    assert profile["creator"] == {"handle": "sari.nano", "platforms": [{"followers": 4200}]}


@pytest.mark.parametrize(
    ("viewer", "code"),
    [
        ("creator itself", "FORBIDDEN"),
        ("brand with a concluded agreement", "NOT_FOUND"),
        ("auditor", "FORBIDDEN"),
        ("anonymous", "UNAUTHENTICATED"),
    ],
)
async def test_only_admins_forget_creators(
    api: LedgerApi, world: World, viewer: str, code: str
) -> None:
    head = api.ledger.head_position()

    result = await forget(api, world.creator, who=world.who(viewer))

    assert result["code"] == code, result
    assert api.ledger.head_position() == head
    assert await contact_details(api, world.creator, who=ADMIN) == FULL


async def test_forgetting_an_unknown_creator_is_not_found(api: LedgerApi, world: World) -> None:
    for creator_id in ("7f0c1e0a-0000-4000-8000-000000000000", "sari"):
        result = await forget(api, creator_id, who=ADMIN)
        assert result["code"] == "NOT_FOUND", creator_id


# --- the operator's command -------------------------------------------------------------------


async def forget_creator_cli(settings: Settings, creator_id: str) -> tuple[int, str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEDGER_") and key != "PYTHONPATH"
    }
    environment["LEDGER_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        environment["LEDGER_DATABASE_URL"] = settings.database_url
    with anyio.fail_after(60):
        done = await anyio.run_process(
            [sys.executable, "-m", "graphql_api.cli", "forget-creator", creator_id],
            cwd=ROOT,
            env=environment,
            check=False,
        )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


async def test_the_forget_creator_command_erases_once_and_then_refuses_in_one_line(
    api: LedgerApi, world: World, settings: Settings
) -> None:
    code, out, err = await forget_creator_cli(settings, world.creator)

    assert (code, err) == (0, ""), err
    assert out.startswith(f"creator {world.creator}: personal data erased")
    await api.settle()
    assert await contact_details(api, world.creator, who=ADMIN) == ERASED
    assert await contact_details(api, world.creator, who=brand_token(world.concluded_brand)) == (
        ERASED
    )

    code, out, err = await forget_creator_cli(settings, world.creator)

    assert code != 0
    assert out == ""
    assert err == "campaign-ledger: error: this creator's personal data is already erased\n"
