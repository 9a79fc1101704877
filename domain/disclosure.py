"""Whether a sponsored post visibly discloses the partnership.

A post is disclosed when its caption carries a paid-partnership hashtag, in any
letter case and with or without separators (``#Kerja_Sama`` counts as
``#kerjasama``), including the usual Indonesian spellings, or when the platform's
own paid-partnership flag was set.
"""

from __future__ import annotations

import re

DISCLOSURE_TAGS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "iklan",
        "sponsored",
        "sponsor",
        "disponsori",
        "bersponsor",
        "paidpromote",
        "paidpromotion",
        "paidpartnership",
        "paidpartner",
        "promosiberbayar",
        "kerjasama",
        "kerjasamaberbayar",
        "endorse",
        "endorsed",
        "endorsement",
    }
)

_HASHTAG = re.compile(r"[#＃]([\w\-]+)", re.UNICODE)


def normalise_tag(tag: str) -> str:
    """Lower case, separators dropped: ``Paid-Promote`` → ``paidpromote``."""
    return re.sub(r"[\W_]+", "", tag.casefold())


def disclosure_tags(caption: str) -> tuple[str, ...]:
    """The disclosure hashtags found in a caption, normalised, in order of appearance."""
    found = (normalise_tag(match) for match in _HASHTAG.findall(caption))
    return tuple(tag for tag in found if tag in DISCLOSURE_TAGS)


def is_disclosed(caption: str, paid_partnership_flag: bool) -> bool:
    return paid_partnership_flag or bool(disclosure_tags(caption))
