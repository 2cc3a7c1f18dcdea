import sys

from waqai.cli import main

sys.exit(main())
