"""Channel classification on URLs and referrers as clinics' websites really see them."""

from __future__ import annotations

import pytest

from aescrm.attribution.channels import classify, site_name
from aescrm.attribution.touch import params_from_url


def channel_of(landing_page: str, referrer: str = "", own: tuple[str, ...] = ()) -> str:
    params = params_from_url(landing_page)
    return classify(
        click_ids={k for k in params if not k.startswith("utm_")},
        utm_source=params.get("utm_source", ""),
        utm_medium=params.get("utm_medium", ""),
        referrer=referrer,
        own_hosts=own,
    )


CLINIC = "https://www.smileclinic.co.uk"


@pytest.mark.parametrize(
    ("landing_page", "referrer", "expected"),
    [
        # Google Ads auto-tagging, with and without UTMs.
        (f"{CLINIC}/whitening?gclid=Cj0KCQjw_abc-123", "https://www.google.co.uk/", "paid_search"),
        (f"{CLINIC}/?utm_source=google&utm_medium=cpc&utm_campaign=spring", "", "paid_search"),
        # iOS app-to-web clicks carry gbraid/wbraid instead of gclid.
        (f"{CLINIC}/?gbraid=0AAAAA-xyz", "", "paid_search"),
        (f"{CLINIC}/?wbraid=CkIKCQjw", "", "paid_search"),
        (f"{CLINIC}/?msclkid=6b2e0f0a9c", "https://www.bing.com/", "paid_search"),
        # Upper-case medium and parameter names.
        (f"{CLINIC}/?UTM_Source=Google&UTM_MEDIUM=CPC", "", "paid_search"),
        # Paid social: a paid medium from a social source, or an explicit one.
        (f"{CLINIC}/?utm_source=facebook&utm_medium=cpc", "", "paid_social"),
        (f"{CLINIC}/?utm_source=ig&utm_medium=paid_social&fbclid=IwAR3x", "", "paid_social"),
        (f"{CLINIC}/?ttclid=E.C.P.abc", "https://www.tiktok.com/", "paid_social"),
        # fbclid alone: Meta tags ordinary posts too.
        (f"{CLINIC}/?fbclid=IwAR2abc", "https://l.facebook.com/l.php?u=x", "organic_social"),
        # Organic search and social by referrer.
        (f"{CLINIC}/implants", "https://www.google.com/", "organic_search"),
        (f"{CLINIC}/implants", "https://duckduckgo.com/", "organic_search"),
        (f"{CLINIC}/implants", "https://www.bing.com/search?q=implants", "organic_search"),
        (f"{CLINIC}/", "https://t.co/abc123", "organic_social"),
        (f"{CLINIC}/", "https://www.instagram.com/", "organic_social"),
        (f"{CLINIC}/", "https://lm.facebook.com/", "organic_social"),
        # Email.
        (f"{CLINIC}/?utm_source=newsletter&utm_medium=email", "", "email"),
        (f"{CLINIC}/offer", "https://mail.google.com/", "email"),
        # Encoded values are decoded once (a %2B stays a plus in the campaign).
        (f"{CLINIC}/?utm_source=google&utm_medium=%63pc", "", "paid_search"),
        # Repeated parameters: the first value counts.
        (f"{CLINIC}/?utm_medium=email&utm_medium=cpc", "", "email"),
        # A fragment is not the query.
        (f"{CLINIC}/#utm_medium=cpc", "", "direct"),
        # Missing values count as missing.
        (f"{CLINIC}/?utm_source=&utm_medium=", "", "direct"),
        # Direct: no referrer, or a page of the clinic's own site.
        (f"{CLINIC}/contact", "", "direct"),
        (f"{CLINIC}/contact", f"{CLINIC}/whitening", "direct"),
        # Referral: any other site.
        (f"{CLINIC}/", "https://www.treatwell.co.uk/place/smile", "referral"),
        # A campaign tag nothing explains.
        (f"{CLINIC}/?utm_source=leaflet2026", "", "other"),
        (f"{CLINIC}/?utm_medium=display&utm_source=gdn", "", "other"),
    ],
)
def test_channel_is_classified_from_url_and_referrer(
    landing_page: str, referrer: str, expected: str
) -> None:
    assert channel_of(landing_page, referrer, own=("smileclinic.co.uk",)) == expected


def test_url_values_are_decoded_once_and_repeated_ones_keep_the_first() -> None:
    params = params_from_url(
        "https://clinic.example/?utm_campaign=Spring%20Sale%2B2026&utm_campaign=other"
        "&utm_term=teeth+whitening&gclid=abc%252F#utm_source=nope"
    )

    assert params == {
        "utm_campaign": "Spring Sale+2026",
        "utm_term": "teeth whitening",
        # %25 decodes to a literal %: a click id encoded twice is not decoded twice.
        "gclid": "abc%2F",
    }


def test_a_broken_url_gives_no_parameters_not_an_error() -> None:
    assert params_from_url("http://[::1") == {}


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("www.google.co.uk", "google"),
        ("google.com", "google"),
        ("l.facebook.com", "facebook"),
        ("t.co", "t"),
        ("lnkd.in", "lnkd"),
        ("news.bbc.co.uk", "bbc"),
        ("localhost", "localhost"),
        ("", ""),
    ],
)
def test_site_name_drops_subdomains_and_public_suffixes(host: str, name: str) -> None:
    assert site_name(host) == name
