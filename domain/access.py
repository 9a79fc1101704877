"""Who may do what, and who may see what: the one home of the ledger's authorization.

``ACCESS`` is the table of every action: the roles that may ever take it and
whose object it must be. The campaign's state machine (``domain.campaign_rules``)
then says which party may act in which state. The application pipeline enforces
the table once, for every command, in one order:

1. a caller that is neither a brand nor a creator, in a role that may never take
   the action, gets FORBIDDEN at once — auditors change nothing; admins register
   and support profiles but act in no campaign and publish no brief — the same
   answer whatever object it names (:func:`refuse_role`);
2. the object the command names is loaded — unknown is NOT_FOUND;
3. a brand or a creator acting on an object that is not theirs gets NOT_FOUND,
   exactly as for an unknown one, so no refusal tells that an object exists; on
   its own object, in a role that may not take the action, FORBIDDEN
   (:func:`authorize`);
4. on a campaign, the party and the state decide (FORBIDDEN for a party out of
   its role, INVALID_TRANSITION for a move that does not fit now).

The read side asks the predicates below, so queries and mutations agree on
what a caller may know.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from uuid import UUID

from domain.campaign_rules import RULES
from domain.catalog import Party
from domain.context import Actor, Role
from domain.errors import Forbidden, NotFound


class Owner(Enum):
    """Whose object an action is about."""

    NOBODY = "nobody"
    """The action creates its object: there is nothing to own yet."""
    BRAND = "brand"
    CREATOR = "creator"
    BRIEF = "brief"
    """The brand that published the brief."""
    CAMPAIGN = "campaign"
    """Either party of the campaign — or, for a pitch, of the campaign it starts."""


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    owner: Owner
    who: str
    """Who may, in words, for the refusal's message."""


ADMINS = frozenset({Role.ADMIN})
BRANDS = frozenset({Role.BRAND})
PARTIES = frozenset({Role.BRAND, Role.CREATOR})
BRAND_OR_ADMIN = frozenset({Role.BRAND, Role.ADMIN})
CREATOR_OR_ADMIN = frozenset({Role.CREATOR, Role.ADMIN})

_OWN_PROFILE = Access(CREATOR_OR_ADMIN, Owner.CREATOR, "the creator itself or an admin")

ACCESS: dict[str, Access] = {
    "registerBrand": Access(ADMINS, Owner.NOBODY, "an admin"),
    "updateBrandProfile": Access(BRAND_OR_ADMIN, Owner.BRAND, "the brand itself or an admin"),
    "registerCreator": Access(ADMINS, Owner.NOBODY, "an admin"),
    "linkPlatformAccount": _OWN_PROFILE,
    "recordFollowers": _OWN_PROFILE,
    "publishRateCard": _OWN_PROFILE,
    "declareCauses": _OWN_PROFILE,
    "recordContactDetails": _OWN_PROFILE,
    "forgetCreator": Access(ADMINS, Owner.CREATOR, "an admin"),
    "publishBrief": Access(BRANDS, Owner.BRAND, "the brand itself"),
    "closeBrief": Access(BRANDS, Owner.BRIEF, "the brand itself"),
    "pitchCampaign": Access(PARTIES, Owner.CAMPAIGN, "the brand or the creator itself"),
    **{action: Access(PARTIES, Owner.CAMPAIGN, "a party of the campaign") for action in RULES},
}


@dataclass(frozen=True)
class Owners:
    """The brand and the creator an object belongs to (either may be None), and how
    the object is named when it must read as unknown."""

    brand_id: UUID | None
    creator_id: UUID | None
    kind: str | None
    """``campaign``, ``brief``, …; None for a pitch, whose unknown object is the
    caller's own side (the brand or creator id it names)."""
    object_id: object = None

    def unknown(self, actor: Actor) -> NotFound:
        if self.kind is not None:
            return NotFound(self.kind, self.object_id)
        if actor.role is Role.BRAND:
            return NotFound("brand", self.brand_id)
        return NotFound("creator", self.creator_id)


def refuse_role(actor: Actor, action: str) -> None:
    """Step 1 above: before the object is even looked up."""
    access = ACCESS[action]
    if actor.role not in access.roles and (
        actor.role not in PARTIES or access.owner is Owner.NOBODY
    ):
        raise Forbidden(f"only {access.who} may {action}")


def authorize(actor: Actor, action: str, owners: Owners | None) -> None:
    """Step 3 above, once the object is loaded; ``owners`` is None for an action that
    names no object."""
    refuse_role(actor, action)
    if (
        owners is not None
        and actor.role in PARTIES
        and party_of(actor, owners.brand_id, owners.creator_id) is None
    ):
        raise owners.unknown(actor)
    access = ACCESS[action]
    if actor.role not in access.roles:
        raise Forbidden(f"only {access.who} may {action}")


# --- who is who ---------------------------------------------------------------------------


def party_of(actor: Actor | None, brand_id: object, creator_id: object) -> Party | None:
    """The actor's side in a campaign between these two, if any."""
    if actor is None or actor.id is None:
        return None
    if actor.role is Role.BRAND and actor.id == str(brand_id):
        return Party.BRAND
    if actor.role is Role.CREATOR and actor.id == str(creator_id):
        return Party.CREATOR
    return None


def reads_everything(actor: Actor | None) -> bool:
    """Auditors and admins read every campaign and brief, and change none of them."""
    return actor is not None and actor.role in {Role.AUDITOR, Role.ADMIN}


# --- what a caller may see ------------------------------------------------------------------


def may_see_campaign(actor: Actor | None, brand_id: object, creator_id: object) -> bool:
    """A campaign is visible to its two parties, and to auditors and admins."""
    return reads_everything(actor) or party_of(actor, brand_id, creator_id) is not None


def may_see_brief(actor: Actor | None, brand_id: object, is_open: bool) -> bool:
    """An open brief is a public call; a closed or ended one is its brand's (and
    auditors' and admins'). The parties of a campaign answering it see it through
    the campaign."""
    return is_open or reads_everything(actor) or party_of(actor, brand_id, None) is Party.BRAND


def may_see_creators_campaigns(actor: Actor | None, creator_id: object) -> bool:
    """Which campaigns a creator's public figures came from: the creator's own business
    (and auditors' and admins'), not the public's."""
    return reads_everything(actor) or party_of(actor, None, creator_id) is Party.CREATOR


class DetailScope(Enum):
    """How much of a creator's contact details a caller sees."""

    NONE = "NONE"
    EMAIL_IF_AGREED = "EMAIL_IF_AGREED"
    """The e-mail, if the calling brand has a concluded agreement with the creator."""
    FULL = "FULL"


def contact_details_scope(actor: Actor | None, creator_id: object) -> DetailScope:
    """The creator itself and admins see everything; a brand may see the e-mail."""
    if actor is None:
        return DetailScope.NONE
    if actor.role is Role.ADMIN or party_of(actor, None, creator_id) is Party.CREATOR:
        return DetailScope.FULL
    if actor.role is Role.BRAND:
        return DetailScope.EMAIL_IF_AGREED
    return DetailScope.NONE
