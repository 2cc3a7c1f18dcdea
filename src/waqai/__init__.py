"""Waqai (وقائع): Arabic news to PLOVER/CAMEO political event records."""

__version__ = "0.1.0"
__all__ = ["code_article", "code_text", "__version__"]


def __getattr__(name):  # lazy: importing waqai.arabic must not load every resource
    if name in ("code_article", "code_text"):
        from waqai import api

        return getattr(api, name)
    raise AttributeError(name)
