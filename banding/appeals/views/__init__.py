"""Staff workspace views, one small module per page (see urls.py)."""
