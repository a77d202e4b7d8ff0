"""`nameko run`, without eventlet's deprecation notice in every process's output."""
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from nameko.cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
