import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from ops.cli import main  # noqa: E402

sys.exit(main())
