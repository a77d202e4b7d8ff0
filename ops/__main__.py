import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)

from ops.cli import main  # noqa: E402

sys.exit(main())
