"""Which marketing channel a touch came through.

The rules are one ordered table: the first rule whose test matches names the
channel. Matching is case-insensitive; a referrer is judged by its host, so
``https://www.google.co.uk/`` and ``https://l.facebook.com/l.php?u=…`` count
as Google and Facebook. Values arrive URL-decoded (the widget and the public
endpoint decode them once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aescrm.attribution.models import MarketingChannel as C

SEARCH_ENGINES = (
    "google", "bing", "yahoo", "duckduckgo", "ecosia", "baidu", "yandex", "ask",
    "aol", "startpage", "qwant", "brave",
)  # fmt: skip
SOCIAL_SITES = (
    "facebook", "fb", "instagram", "tiktok", "twitter", "t", "x", "linkedin", "lnkd",
    "pinterest", "youtube", "reddit", "snapchat", "threads", "whatsapp", "nextdoor",
)  # fmt: skip
WEBMAIL_HOSTS = ("mail.google.com", "outlook.live.com", "outlook.office.com", "mail.yahoo.com")

PAID_MEDIUMS = ("cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "sem", "cpm")
PAID_SOCIAL_MEDIUMS = ("paid_social", "paidsocial", "paid-social", "social_paid", "social-paid")
SOCIAL_MEDIUMS = (
    "social",
    "social-network",
    "social-media",
    "sm",
    "social_network",
    "organic_social",
)
SECOND_LEVEL = ("co", "com", "org", "net", "ac", "gov", "ltd", "plc", "me")
EMAIL_MEDIUMS = ("email", "e-mail", "e_mail", "newsletter", "mail")


@dataclass(frozen=True)
class Signals:
    """What the rules look at, already lower-cased."""

    click_ids: frozenset[str]
    source: str
    medium: str
    referrer_host: str
    own_hosts: tuple[str, ...]


def site_name(host: str) -> str:
    """The registrable name of a host: ``www.google.co.uk`` → ``google``, ``t.co`` → ``t``."""
    labels = [label for label in host.lower().split(".") if label]
    if len(labels) < 2:
        return labels[0] if labels else ""
    # Drop the public suffix: "co.uk"-style pairs, else the last label.
    if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return labels[-3]
    return labels[-2]


def _source_is(names: tuple[str, ...]) -> Callable[[Signals], bool]:
    return lambda s: site_name(s.source) in names or s.source in names


def _referrer_is(names: tuple[str, ...]) -> Callable[[Signals], bool]:
    return lambda s: bool(s.referrer_host) and site_name(s.referrer_host) in names


def _medium_in(mediums: tuple[str, ...]) -> Callable[[Signals], bool]:
    return lambda s: s.medium in mediums


def _has_click(*names: str) -> Callable[[Signals], bool]:
    return lambda s: bool(s.click_ids & set(names))


def _both(a: Callable[[Signals], bool], b: Callable[[Signals], bool]) -> Callable[[Signals], bool]:
    return lambda s: a(s) and b(s)


def _own_or_no_referrer(s: Signals) -> bool:
    return not s.referrer_host or any(
        s.referrer_host == h or s.referrer_host.endswith("." + h) for h in s.own_hosts
    )


# (channel, why, test) — read top to bottom; the first match wins.
RULES: tuple[tuple[str, str, Callable[[Signals], bool]], ...] = (
    (C.PAID_SEARCH, "Google or Microsoft Ads click id (gclid, gbraid, wbraid, msclkid)",
     _has_click("gclid", "gbraid", "wbraid", "msclkid")),
    (C.PAID_SOCIAL, "TikTok ads click id (ttclid)", _has_click("ttclid")),
    (C.PAID_SOCIAL, "utm_medium says paid social", _medium_in(PAID_SOCIAL_MEDIUMS)),
    (C.PAID_SOCIAL, "paid utm_medium from a social site",
     _both(_medium_in(PAID_MEDIUMS), _source_is(SOCIAL_SITES))),
    (C.PAID_SEARCH, "paid utm_medium (cpc, ppc, paid, cpm …)", _medium_in(PAID_MEDIUMS)),
    (C.EMAIL, "utm_medium says email", _medium_in(EMAIL_MEDIUMS)),
    (C.ORGANIC_SOCIAL, "utm_medium says social", _medium_in(SOCIAL_MEDIUMS)),
    (C.ORGANIC_SEARCH, "utm_medium is organic", _medium_in(("organic", "seo"))),
    (C.REFERRAL, "utm_medium is referral or affiliate", _medium_in(("referral", "affiliate"))),
    # Meta adds fbclid to every outbound link, ads and ordinary posts alike:
    # without a paid utm_medium it is organic social.
    (C.ORGANIC_SOCIAL, "fbclid without a paid utm_medium", _has_click("fbclid")),
    (C.EMAIL, "referred by a webmail site", lambda s: s.referrer_host in WEBMAIL_HOSTS),
    (C.ORGANIC_SEARCH, "referred by a search engine", _referrer_is(SEARCH_ENGINES)),
    (C.ORGANIC_SOCIAL, "referred by a social site", _referrer_is(SOCIAL_SITES)),
    (C.ORGANIC_SEARCH, "utm_source is a search engine", _source_is(SEARCH_ENGINES)),
    (C.ORGANIC_SOCIAL, "utm_source is a social site", _source_is(SOCIAL_SITES)),
    (C.OTHER, "has a utm_source or utm_medium nothing above explains",
     lambda s: bool(s.source or s.medium)),
    (C.DIRECT, "no referrer, or a page of the clinic's own site", _own_or_no_referrer),
    (C.REFERRAL, "any other referring site", lambda s: True),
)  # fmt: skip


def referrer_host(referrer: str | None) -> str:
    if not referrer:
        return ""
    try:
        host = urlsplit(referrer.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def classify(
    *,
    click_ids: set[str] | frozenset[str],
    utm_source: str = "",
    utm_medium: str = "",
    referrer: str | None = None,
    own_hosts: tuple[str, ...] = (),
) -> str:
    signals = Signals(
        click_ids=frozenset(click_ids),
        source=(utm_source or "").strip().lower(),
        medium=(utm_medium or "").strip().lower(),
        referrer_host=referrer_host(referrer),
        own_hosts=tuple(h.lower().removeprefix("www.") for h in own_hosts),
    )
    for channel, _why, test in RULES:
        if test(signals):
            return str(channel)
    return str(C.OTHER)  # pragma: no cover - the last rule always matches
