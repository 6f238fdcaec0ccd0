"""Allow `python -m intake` as a synonym for the `shotcheck` command."""

import sys

from intake.cli import main

sys.exit(main())
