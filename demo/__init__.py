"""Demo data for a local run: ``demo_load()`` (``manage.py load_demo``).

The top layer: it may import every app and no app imports it. ``data.py``
holds the fixed data, ``loader.py`` turns it into records.

``demo_load`` and ``DemoResult`` are re-exported lazily: Django imports this
package while it loads the apps, before any model may be imported, and the
loader imports models.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loader import DemoResult, demo_load

__all__ = ["DemoResult", "demo_load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
