"""Editor tooling: start a story (`invoke new`), check content, serve and live-reload the site."""

import sys
from pathlib import Path

# The tools use the plugins' pure helpers (the content layout, the checks, the editor's messages).
_PLUGINS = str(Path(__file__).resolve().parent.parent / "plugins")
if _PLUGINS not in sys.path:
    sys.path.insert(0, _PLUGINS)
