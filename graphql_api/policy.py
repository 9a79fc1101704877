"""Who may call which profile mutation, decided before the domain is asked.

Two kinds of refusal, so that nothing leaks whether an object exists:

- a role that may never do something (an auditor changing anything, a brand
  editing a creator, an admin publishing a brand's brief) gets FORBIDDEN,
  whatever object it names;
- a role that may do it, but only to its own objects, gets NOT_FOUND for
  anybody else's — exactly what it gets for an object that does not exist.
  The domain's application service makes that second check.
"""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from domain.context import CommandContext, Role
from domain.errors import Forbidden, NotFound

ADMINS = frozenset({Role.ADMIN})
BRAND_OR_ADMIN = frozenset({Role.BRAND, Role.ADMIN})
CREATOR_OR_ADMIN = frozenset({Role.CREATOR, Role.ADMIN})
BRANDS = frozenset({Role.BRAND})


def require_role(ctx: CommandContext, roles: Collection[Role], action: str) -> None:
    if ctx.actor.role not in roles:
        raise Forbidden(f"a caller with the {ctx.actor.role.value} role may not {action}")


def require_own_brand(ctx: CommandContext, brand_id: UUID, field: str = "brandId") -> None:
    """A brand acts for itself only; any other brand id looks unknown to it."""
    if ctx.actor.role is Role.BRAND and ctx.actor.id != str(brand_id):
        raise NotFound("brand", brand_id, field=field)
