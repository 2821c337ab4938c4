import sys

from onevoice.cli import main

sys.exit(main())
