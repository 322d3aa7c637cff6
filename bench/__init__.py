"""Benchmarks: a synthetic archive (corpus.py), build timings against stock Pelican (bench.py), pictures."""

import sys
from pathlib import Path

# The corpus slugs stories with the site's own transliteration (plugins/l10n).
_PLUGINS = str(Path(__file__).resolve().parent.parent / "plugins")
if _PLUGINS not in sys.path:
    sys.path.insert(0, _PLUGINS)
