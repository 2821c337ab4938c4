"""`python -m onevoice.demo.app [FOLDER]`: redraw the demo app's screens (default: journeys/app)."""

import sys
from pathlib import Path

from onevoice.demo.app import render

for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "journeys/app")):
    print(path)
