"""A Neo4j address as users give it: checked, and split from any credentials it holds."""

from __future__ import annotations

import re

from graphkit.errors import InputError

# The schemes the official driver speaks (Neo4j 5 driver manual, "Connection URI").
SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """The address without credentials, and the user and password it held (a password may
    hold '@', ':' or spaces, percent-encoded or not). Never echoes the credentials."""
    from urllib.parse import unquote

    text = uri.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise InputError("the Neo4j address needs a scheme: give it as neo4j://HOST:7687 "
                         "(or bolt://, neo4j+s://, bolt+s://)")
    if scheme.lower() not in SCHEMES:
        shown = scheme if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,15}", scheme) else "this"
        raise InputError(f"the Neo4j address uses {shown}://, which the driver does not "
                         f"speak: give one of {', '.join(s + '://' for s in SCHEMES)}")
    userinfo, at, address = rest.rpartition("@")
    _check_host(scheme, address)
    if not at:
        return text, None, None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{address}", unquote(user) or None, unquote(password) or None


def _check_host(scheme: str, address: str) -> None:
    """A host name, and a port from 1 to 65535 if one is given (the driver would try
    localhost for an empty host, and report a bad port as a refused connection)."""
    from urllib.parse import urlsplit

    example = f"give it as {scheme}://HOST:7687"
    try:
        parts = urlsplit(f"{scheme}://{address}")
        host, port = parts.hostname, parts.port
    except ValueError:
        port_text = address.split("/", 1)[0].rpartition(":")[2]
        shown = f" {port_text}" if re.fullmatch(r"\w{1,12}", port_text) else ""
        raise InputError(f"the Neo4j address's port{shown} is not a port number (1 to "
                         f"65535): {example}") from None
    if not host:
        raise InputError(f"the Neo4j address names no host: {example}")
    if port == 0:
        raise InputError(f"the Neo4j address's port 0 is not a port number (1 to 65535): "
                         f"{example}")
