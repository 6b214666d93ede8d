"""The product's settings with the bench's urlconf (the product's URLs plus the floor page)
and DEBUG off, whatever the environment says."""

from banding.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
