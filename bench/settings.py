"""Cairn's settings with the bench's URLs (Cairn's plus a bare view), for a served benchmark."""

from cairn.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
