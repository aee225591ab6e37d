"""Demo data for a local run: ``demo_load()`` (``manage.py load_demo``).

``data.py`` holds the fixed data, ``loader.py`` turns it into records.
"""

from .loader import DemoResult, demo_load

__all__ = ["DemoResult", "demo_load"]
