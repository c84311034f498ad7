"""An organisation's own options (`extra.peerkb` in mkdocs.yml): read them, check them, use them.

Pure: takes the parsed `extra.peerkb` value and the site's address, returns settings and problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from peerkb.problems import Problem, did_you_mean, error, warning

CONFIG = "mkdocs.yml"
PREFIX = "extra.peerkb"
OPTIONS = ("custom_domain", "edit_branch", "organisation")
ORGANISATION_OPTIONS = ("name", "url")

# RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 63 characters
# at most each; at least two labels (GitHub Pages serves no single-label domain).
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}", re.IGNORECASE)
# A git branch name as a URL path segment: no spaces, no characters that need escaping.
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
# Material prints site_name, site_description and repo_name into the page unescaped.
_MARKUP = ("<", ">", '"')


@dataclass(frozen=True)
class Organisation:
    """Who publishes this copy of the site, shown in every page's footer."""

    name: str = ""
    """The organisation's name; empty to show none."""
    url: str = ""
    """Its website (http or https); empty for the name without a link."""


@dataclass(frozen=True)
class OrgSettings:
    """The organisation's options under `extra.peerkb`, checked."""

    edit_branch: str = "main"
    """The branch that "Improve this summary" links open for editing."""
    organisation: Organisation = field(default_factory=Organisation)
    """Who publishes this copy."""
    custom_domain: str = ""
    """Host name the site is served at instead of ORG.github.io; empty for none."""


def is_hostname(text: str) -> bool:
    """Tell whether text is a plain host name such as kb.example.org (no scheme, port or path)."""
    return len(text) <= 253 and _HOSTNAME.fullmatch(text) is not None


def cname_text(domain: str) -> str:
    """The text of the CNAME file that names the site's custom domain."""
    return domain + "\n"


def _string(value: object, name: str, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    problems.append(error(CONFIG, 0, f"{PREFIX}.{name}", f"expected text, got {value!r}"))
    return ""


def _unknown(data: Mapping[object, object], known: tuple[str, ...], where: str) -> list[Problem]:
    return [
        error(
            CONFIG,
            0,
            f"{where}.{key}",
            f"unknown option {str(key)!r}; expected one of {', '.join(known)}."
            + did_you_mean(str(key), known),
        )
        for key in sorted(data, key=str)
        if key not in known
    ]


def _domain(value: str, site_url: str) -> list[Problem]:
    name = f"{PREFIX}.custom_domain"
    if not is_hostname(value):
        hint = urlsplit(value if "//" in value else "//" + value).hostname or ""
        example = f" such as {hint!r}" if hint and is_hostname(hint) else ", for example 'kb.example.org'"
        return [
            error(
                CONFIG,
                0,
                name,
                f"expected a host name alone (no https://, port or path){example}, got {value!r}",
            )
        ]
    site_host = urlsplit(site_url).hostname or ""
    if site_host != value.lower():
        return [
            warning(
                CONFIG,
                0,
                name,
                f"the custom domain is {value!r} but site_url is {site_url!r}; expected site_url "
                f"https://{value.lower()}/ so that links, search and the 404 page work there",
            )
        ]
    return []


def check_plain_text(options: Mapping[str, str]) -> list[Problem]:
    """Errors for top-level options (site_name, ...) holding characters Material would print as markup."""
    return [
        error(
            CONFIG,
            0,
            name,
            f"expected plain text without {', '.join(repr(c) for c in _MARKUP)}, got {value!r}",
        )
        for name, value in sorted(options.items())
        if any(c in value for c in _MARKUP)
    ]


def read_org_settings(extra: object, site_url: str) -> tuple[OrgSettings, list[Problem]]:
    """Check `extra.peerkb` from mkdocs.yml; return the settings and every problem found."""
    if extra is None:
        return OrgSettings(), []
    if not isinstance(extra, Mapping):
        return OrgSettings(), [error(CONFIG, 0, PREFIX, f"expected a mapping of options, got {extra!r}")]
    problems = _unknown(extra, OPTIONS, PREFIX)

    branch = _string(extra.get("edit_branch", "main"), "edit_branch", problems)
    if not _BRANCH.fullmatch(branch):
        problems.append(
            error(
                CONFIG, 0, f"{PREFIX}.edit_branch", f"expected a branch name such as 'main', got {branch!r}"
            )
        )

    organisation = Organisation()
    raw_org = extra.get("organisation")
    if isinstance(raw_org, Mapping):
        problems += _unknown(raw_org, ORGANISATION_OPTIONS, f"{PREFIX}.organisation")
        name = _string(raw_org.get("name"), "organisation.name", problems)
        url = _string(raw_org.get("url"), "organisation.url", problems)
        if url and urlsplit(url).scheme not in ("http", "https"):
            problems.append(
                error(
                    CONFIG,
                    0,
                    f"{PREFIX}.organisation.url",
                    f"expected a web address starting with https://, got {url!r}",
                )
            )
        if url and not name:
            problems.append(
                error(
                    CONFIG, 0, f"{PREFIX}.organisation.name", "expected a name to show with the url, got none"
                )
            )
        organisation = Organisation(name=name, url=url)
    elif raw_org is not None:
        problems.append(
            error(
                CONFIG,
                0,
                f"{PREFIX}.organisation",
                f"expected name and url, for example {{name: 'Our Trust', url: 'https://example.org'}}, "
                f"got {raw_org!r}",
            )
        )

    domain = _string(extra.get("custom_domain"), "custom_domain", problems)
    if domain:
        problems += _domain(domain, site_url)
    settings = OrgSettings(edit_branch=branch, organisation=organisation, custom_domain=domain.lower())
    return settings, problems
