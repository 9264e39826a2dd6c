"""Shared fixtures: the bundled public data, loaded once per test session."""

from __future__ import annotations

import pytest

from graphkit import bundled
from graphkit.loaders import load_source, load_sources


@pytest.fixture(scope="session")
def openflights():
    return load_source(bundled.bundled(bundled.OPENFLIGHTS))


@pytest.fixture(scope="session")
def membership():
    return load_source(bundled.bundled(bundled.MEMBERSHIP))


@pytest.fixture(scope="session")
def airline_data():
    return load_sources([bundled.bundled(bundled.OPENFLIGHTS), bundled.bundled(bundled.MEMBERSHIP)])
